import ArgumentParser
import BoxOffice
import EventStore
import Foundation

extension Marquee {
    struct Monitor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the log's size, every projection's checkpoint, lag and state, and open failures.",
            discussion: "Without --stats, --projections or --failures all three are shown. --json prints one object: head, events, projections, failures."
        )

        @OptionGroup var store: StoreOptions
        @Flag(help: "Event counts: total, today, per type.") var stats = false
        @Flag(help: "Open failure records.") var failures = false
        @Flag(help: "Each projection's checkpoint, lag and state.") var projections = false
        @Flag(help: "Refresh every second until interrupted.") var watch = false
        @Flag(help: "Print JSON on standard output.") var json = false

        func run() async throws {
            let events = try store.openForReading()
            while true {
                let report: MonitorReport
                do { report = try MonitorReport.make(store: events, now: Date()) } catch { throw failure(error) }
                let text = json ? Self.json(report) : render(report)
                if watch && !json && isatty(STDOUT_FILENO) == 1 {
                    Output.raw("\u{1B}[H\u{1B}[2J" + Output.readable(text) + "\n")
                } else if json {
                    Output.exact(text)
                } else {
                    Output.say(text)
                }
                guard watch else { return }
                try await Task.sleep(for: .seconds(1))
            }
        }

        private func render(_ report: MonitorReport) -> String {
            let all = !stats && !failures && !projections
            var lines: [String] = []
            if all || stats {
                lines.append("events \(report.events) · head #\(report.head) · today \(report.eventsToday)")
                for (type, count) in report.eventsByType.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                    lines.append("  \(type.padding(toLength: 24, withPad: " ", startingAt: 0)) \(count)")
                }
            }
            if all || projections {
                lines.append("projections")
                for subscriber in report.subscribers {
                    let error = subscriber.error.map { " — \($0)" } ?? ""
                    lines.append("  \(subscriber.name.padding(toLength: 18, withPad: " ", startingAt: 0)) #\(subscriber.checkpoint)  lag \(subscriber.lag)  \(subscriber.state)\(error)")
                }
            }
            if all || failures {
                lines.append(report.failures.isEmpty ? "no open failures" : "open failures")
                for failure in report.failures {
                    lines.append("  [\(failure.id)] \(failure.subscriber) at #\(failure.position) (\(failure.eventType)), \(failure.attempts) attempts: \(failure.error)")
                }
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ report: MonitorReport) -> String {
            let projections = report.subscribers.map { s in
                "{\"name\":\(JSONText.quoted(s.name)),\"checkpoint\":\(s.checkpoint),\"lag\":\(s.lag),\"state\":\(JSONText.quoted(s.state)),\"error\":\(JSONText.quoted(s.error))}"
            }
            let failures = report.failures.map { f in
                "{\"id\":\(f.id),\"subscriber\":\(JSONText.quoted(f.subscriber)),\"position\":\(f.position),\"eventType\":\(JSONText.quoted(f.eventType)),"
                    + "\"error\":\(JSONText.quoted(f.error)),\"attempts\":\(f.attempts),\"firstAttemptAt\":\(JSONText.quoted(Timestamp.string(f.firstAttemptAt))),"
                    + "\"lastAttemptAt\":\(JSONText.quoted(Timestamp.string(f.lastAttemptAt))),\"resolvedAt\":\(JSONText.quoted(f.resolvedAt.map(Timestamp.string))),"
                    + "\"resolution\":\(JSONText.quoted(f.resolution))}"
            }
            let types = report.eventsByType.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }
            return "{\"head\":\(report.head),\"events\":\(report.events),\"eventsToday\":\(report.eventsToday),"
                + "\"eventsByType\":{\(types.joined(separator: ","))},\"projections\":[\(projections.joined(separator: ","))],"
                + "\"failures\":[\(failures.joined(separator: ","))]}"
        }
    }
}
