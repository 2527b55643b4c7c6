import ArgumentParser
import BoxOffice
import EventStore
import Foundation

extension Marquee {
    struct Failures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List subscriber failures, or retry or skip one (a running console or simulator picks it up).",
            subcommands: [List.self, Retry.self, Skip.self],
            defaultSubcommand: List.self
        )

        static let readOnlyRefusal = "this command resolves a failure record, and --read-only forbids writes; drop --read-only"

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List open failures (with --all, resolved ones too).")
            @OptionGroup var store: StoreOptions
            @Flag(help: "Include resolved failures.") var all = false

            func run() async throws {
                let records: [FailureRecord]
                do { records = try store.openForReading().failures(includeResolved: all) } catch { throw failure(error) }
                if records.isEmpty { Output.say(all ? "no failures recorded" : "no open failures") }
                for f in records {
                    let resolved = f.resolvedAt.map { " — \(f.resolution ?? "resolved") at \(Timestamp.string($0))" } ?? ""
                    Output.say("[\(f.id)] \(f.subscriber) stopped at #\(f.position) (\(f.eventType)) after \(f.attempts) attempts: \(f.error)\(resolved)")
                }
            }
        }

        struct Retry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Let the subscriber try the failed event again.")
            @OptionGroup var store: StoreOptions
            @Argument(help: "The failure's id, from `marquee failures`.") var id: Int64

            func run() async throws {
                let events = try store.openExisting(refusal: Failures.readOnlyRefusal)
                let record = try openRecord(events, id)
                let now = try storeNow(events)
                do { try events.resolveFailure(id: id, resolution: "retried", at: now) } catch { throw failure(error) }
                Output.say("retrying \(record.subscriber) at #\(record.position)")
            }
        }

        struct Skip: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Move the subscriber past the failed event; it is never applied.")
            @OptionGroup var store: StoreOptions
            @Argument(help: "The failure's id, from `marquee failures`.") var id: Int64

            func run() async throws {
                let events = try store.openExisting(refusal: Failures.readOnlyRefusal)
                let record = try openRecord(events, id)
                let now = try storeNow(events)
                do { try events.skip(subscriber: record.subscriber, position: record.position, failureId: id, at: now) } catch { throw failure(error) }
                Output.say("\(record.subscriber) skipped #\(record.position) (\(record.eventType))")
            }
        }
    }
}

/// Now on the store's clock (every writer records the store's time), or exit 2 (thrown).
private func storeNow(_ store: SQLiteEventStore) throws -> Date {
    do { return try StoreClock.attach(store, speed: nil).clock.now() } catch { throw failure(error) }
}

/// The open failure with this id, or exit 1 naming the open ones.
private func openRecord(_ store: SQLiteEventStore, _ id: Int64) throws -> FailureRecord {
    let open: [FailureRecord]
    do { open = try store.failures(includeResolved: false) } catch { throw failure(error) }
    guard let record = open.first(where: { $0.id == id }) else {
        let ids = open.map { String($0.id) }
        Output.complain("no open failure \(id); \(ids.isEmpty ? "there are no open failures" : "open failures: \(ids.joined(separator: ", "))")")
        throw ExitCode(1)
    }
    return record
}
