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
                let record = try resolving { try FailureResolution.retry(id, in: events, at: try storeNow(events)) }
                Output.say("retrying \(record.subscriber) at #\(record.position)")
            }
        }

        struct Skip: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Move the subscriber past the failed event; it is never applied.")
            @OptionGroup var store: StoreOptions
            @Argument(help: "The failure's id, from `marquee failures`.") var id: Int64

            func run() async throws {
                let events = try store.openExisting(refusal: Failures.readOnlyRefusal)
                let record = try resolving { try FailureResolution.skip(id, in: events, at: try storeNow(events)) }
                Output.say("\(record.subscriber) skipped #\(record.position) (\(record.eventType))")
            }
        }
    }
}

/// Now on the store's clock (every writer records the store's time), or exit 2 (thrown).
private func storeNow(_ store: any EventStore) throws -> Date {
    do { return try StoreClock.attach(store, speed: nil).clock.now() } catch { throw failure(error) }
}

/// A retry or skip through the one implementation the console and the bus share: exit 1 when
/// no open failure has the id (naming the open ones), 2 when the store cannot be written.
private func resolving(_ work: () throws -> FailureRecord) throws -> FailureRecord {
    do {
        return try work()
    } catch let error as FailureResolution.Failure {
        if case .notOpen = error {
            Output.complain(error.description)
            throw ExitCode(1)
        }
        throw failure(error)
    }
}
