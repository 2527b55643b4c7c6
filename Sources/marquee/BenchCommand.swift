import ArgumentParser
import Bench
import BoxOffice
import Console
import EventStore
import Foundation

extension Marquee {
    struct BenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure speed, latency and bytes, each against a baseline measured in the same run.",
            discussion: "Build with `swift build -c release` first; debug numbers mean little. Exits 0 whether goals pass or miss."
        )

        @Flag(help: "A small, fast run (a smoke test, not a measurement).") var quick = false
        @Flag(help: "Print JSON on standard output; progress goes to standard error.") var json = false

        func run() async throws {
            guard let catalog = DemoCatalog.locate() else { fail(DemoError.missingFolder.description) }
            let theme = loadTheme("default")
            let rows: [BenchRow]
            do {
                rows = try await BenchSuite.run(quick: quick, catalog: catalog, theme: theme) { step in
                    FileHandle.standardError.write(Data("bench: \(step)\n".utf8))
                }
            } catch {
                fail("the benchmark could not run: \(error)")
            }
            print(json ? Self.json(rows) : Self.table(rows))
        }

        static func number(_ value: Double?) -> String {
            guard let value else { return "—" }
            return value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
        }

        static func table(_ rows: [BenchRow]) -> String {
            var lines = ["id      measure                                                   value          baseline        ratio   goal                                   result"]
            for row in rows {
                let value = "\(number(row.value)) \(row.unit)"
                let baseline = row.baseline.map { "\(number($0)) \(row.baselineLabel == "goal" ? "(goal)" : row.unit)" } ?? "—"
                lines.append(row.id.padding(toLength: 8, withPad: " ", startingAt: 0) + row.measure.padding(toLength: 58, withPad: " ", startingAt: 0)
                    + value.padding(toLength: 15, withPad: " ", startingAt: 0) + baseline.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + (row.ratio.map { String(format: "%.2f×", $0) } ?? "—").padding(toLength: 8, withPad: " ", startingAt: 0)
                    + row.goal.padding(toLength: 39, withPad: " ", startingAt: 0) + row.verdict + (row.note.isEmpty ? "" : "  (\(row.note))"))
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ rows: [BenchRow]) -> String {
            func optional(_ value: Double?) -> String { value.map { String($0) } ?? "null" }
            let objects = rows.map { row in
                "{\"id\":\(JSONText.quoted(row.id)),\"measure\":\(JSONText.quoted(row.measure)),\"value\":\(optional(row.value)),\"unit\":\(JSONText.quoted(row.unit)),"
                    + "\"baseline\":\(optional(row.baseline)),\"baselineLabel\":\(JSONText.quoted(row.baselineLabel)),\"ratio\":\(optional(row.ratio)),"
                    + "\"goal\":\(JSONText.quoted(row.goal)),\"result\":\(JSONText.quoted(row.verdict)),\"note\":\(JSONText.quoted(row.note))}"
            }
            return "[" + objects.joined(separator: ",") + "]"
        }
    }
}
