import ArgumentParser
import BoxOffice
import EventStore
import Foundation

extension Marquee {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild read models from the log (or, with --dry-run or --verify, only check them).",
            discussion: """
                A rebuild writes into shadow tables and swaps them in, every read model and its checkpoint \
                in one transaction: live rows are never emptied, and a console running on the store shows \
                the new rows as soon as they are swapped in.
                --dry-run prints, per projection, how many rows a rebuild would insert, update and delete.
                --verify rebuilds in memory and compares with the live read models; exits 1 when any differs.
                --from P repairs from position P: each read model is restored to its state just before P \
                (rebuilt from events 1…P−1, never taken from the live rows) and then folds P on, so no \
                event is applied twice.
                """
        )

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this projection: \(ReadSide.projectionNames.joined(separator: ", ")).", valueName: "name"))
        var projection: String?
        @Option(help: "Repair from this position: restore each read model to just before it, then fold from it.") var from: Int64 = 1
        @Flag(help: "Count what a rebuild would change; write nothing.") var dryRun = false
        @Flag(help: "Compare a rebuild with the live read models; write nothing; exit 1 if any differs.") var verify = false

        func validate() throws {
            if let projection, !ReadSide.projectionNames.contains(projection) {
                throw ValidationError("unknown projection \"\(projection)\"; choose one of \(ReadSide.projectionNames.joined(separator: ", "))")
            }
            if dryRun && verify { throw ValidationError("use --dry-run or --verify, not both") }
            if from < 1 { throw ValidationError("--from must be a position ≥ 1") }
        }

        func run() async throws {
            let mode: Rebuild.Mode = verify ? .verify : dryRun ? .dryRun : .write
            let events = mode == .write ? try store.openExisting() : try store.openForReading()
            let bar = ProgressReporter(label: mode == .write ? "rebuilding" : "checking")
            let reports: [Rebuild.Report]
            do {
                reports = try Rebuild.run(storage: events, names: projection.map { [$0] }, from: from, mode: mode) { bar.update($0) }
            } catch {
                bar.finish()
                throw failure("\(error)")
            }
            bar.finish()
            if let restored = reports.first?.restoredThrough {
                Output.say("restored every read model to #\(restored) from events 1…\(restored) (not from the live rows), then folded #\(restored + 1) on")
            }
            for report in reports {
                switch mode {
                case .write:
                    let changes = report.matches
                        ? "live rows were already equal"
                        : "\(report.inserted) added, \(report.updated) changed, \(report.deleted) removed against the live rows"
                    Output.say("\(report.projection): \(plural(report.rows, "row")) from \(plural(Int(report.events), "event")), checkpoint #\(report.checkpoint); \(changes)")
                case .dryRun:
                    Output.say("\(report.projection): would insert \(report.inserted), update \(report.updated), delete \(report.deleted) of \(plural(report.liveRows, "row"))")
                case .verify:
                    let verdict = report.matches ? "matches" : "DIFFERS (\(report.inserted) missing, \(report.updated) changed, \(report.deleted) extra; first keys: \(report.differingKeys.joined(separator: ", ")))"
                    Output.say("\(report.projection): \(verdict) at #\(report.checkpoint), \(plural(report.rows, "row"))")
                }
            }
            if mode == .verify, reports.contains(where: { !$0.matches }) { throw ExitCode(1) }
        }
    }
}

/// Draws progress on standard error (a rebuild, a generated store, the benchmark): a bar on a
/// terminal, a plain line every few seconds or per step otherwise.
final class ProgressReporter {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastLine = Date(timeIntervalSince1970: 0)
    private var lastStep = ""
    private var drew = false

    init(label: String) { self.label = label }

    func update(_ progress: Rebuild.Progress) {
        update(done: progress.done, total: progress.total, perSecond: progress.eventsPerSecond, secondsLeft: progress.secondsLeft)
    }

    /// Progress of work measured in events, timed from `started`.
    func update(done: Int64, total: Int64, started: Date) {
        let rate = Double(done) / max(Date().timeIntervalSince(started), 0.000_001)
        update(done: done, total: total, perSecond: rate, secondsLeft: Double(max(total - done, 0)) / max(rate, 1))
    }

    private func update(done: Int64, total: Int64, perSecond: Double, secondsLeft: Double) {
        let fraction = total == 0 ? 1 : min(Double(done) / Double(total), 1)
        let numbers = "\(done)/\(total) events · \(Int(perSecond)) ev/s · ETA \(Int(secondsLeft.rounded(.up))) s"
        let due = Date().timeIntervalSince(lastLine) >= 2 || done >= total
        if due { lastLine = Date() }
        show(fraction, numbers, line: due ? numbers : nil)
    }

    /// A named step of a longer run (the benchmark): off a terminal, one line per step.
    func step(_ text: String, fraction: Double) {
        // The part before " · " names the step; what follows (a count) changes within it.
        let name = text.components(separatedBy: " · ").first ?? text
        let isNew = name != lastStep
        lastStep = name
        show(fraction, text, line: isNew ? name : nil)
    }

    /// Redraws the bar on a terminal; elsewhere writes `line`, when there is one, as a log line.
    private func show(_ fraction: Double, _ text: String, line: String?) {
        if isTerminal {
            let filled = Int((fraction * 30).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
            Output.rawError("\r\(label) \(bar) \(Int(fraction * 100))% \(Output.readable(String(text.prefix(80))))\u{1B}[K")
            drew = true
        } else if let line {
            Output.rawError(Output.readable("\(label): \(line)") + "\n")
        }
    }

    func finish() {
        if drew { Output.rawError("\n") }
    }
}
