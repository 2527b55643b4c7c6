import ArgumentParser
import BoxOffice
import EventStore
import Foundation
import PostgresStore

extension Marquee {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a SQLite store into an empty PostgreSQL database, then rebuild and verify its read models there.",
            discussion: """
                Copies every event (positions, stream versions, metadata and times as they were), the recorded \
                command ids (a retried command is still recognised), snapshots and the store's clock, in one \
                transaction; then rebuilds every read model and the saga ledger from the copied log and \
                verifies them. A destination that holds a store already is refused and left as it was. \
                Stop the processes writing to the source first: events they append later are not copied.
                """
        )

        @Option(help: ArgumentHelp("The SQLite store to copy.", valueName: "path")) var from: String
        @Option(help: ArgumentHelp("The PostgreSQL database to copy into: postgres://USER@HOST:PORT/DATABASE.", valueName: "url")) var to: String

        func validate() throws {
            if StoreLocation.isServer(from) { throw ValidationError("--from must be a SQLite store file; copying out of PostgreSQL is not supported") }
            guard StoreLocation.isServer(to) else { throw ValidationError("--to must be a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)") }
            if let problem = StoreLocation.problem(to) { throw ValidationError("--to: \(problem)") }
        }

        func run() async throws {
            let source: SQLiteEventStore, destination: PostgresEventStore
            do {
                source = try SQLiteEventStore(path: from, readOnly: true)
                destination = try PostgresEventStore(url: try PostgresURL(to))
            } catch let error as EventStoreError {
                throw failure(error)
            }
            let started = Date()
            let copying = ProgressReporter(label: "copying")
            let report: PostgresEventStore.CopyReport
            do {
                report = try destination.copy(from: source) { done, total in copying.update(done: done, total: total, started: started) }
            } catch {
                copying.finish()
                throw failure(error)
            }
            copying.finish()
            Output.say("copied \(plural(Int(report.events), "event")), \(plural(report.commands, "command id")), \(plural(report.snapshots, "snapshot")) and \(report.settings.isEmpty ? "no settings" : report.settings.joined(separator: ", ")) to \(destination.url)")
            let rebuilding = ProgressReporter(label: "rebuilding")
            do {
                _ = try Rebuild.run(storage: destination, names: Runtime.subscriberNames, mode: .write) { rebuilding.update($0) }
                rebuilding.finish()
                let differing = try Rebuild.run(storage: destination, names: Runtime.subscriberNames, mode: .verify).filter { !$0.matches }
                guard differing.isEmpty else {
                    throw failure("the read models rebuilt at \(destination.url) differ from a second rebuild (\(differing.map(\.projection).joined(separator: ", "))); run `marquee replay --db URL` there")
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                rebuilding.finish()
                throw failure("the log was copied, but rebuilding its read models failed: \(error); run `marquee replay --db URL` there")
            }
            Output.say("rebuilt and verified \(Runtime.subscriberNames.count) read models at #\(report.events == 0 ? 0 : try destination.headPosition()) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}
