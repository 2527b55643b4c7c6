import ArgumentParser
import Bench
import BoxOffice
import Console
import EventStore
import Foundation
import PostgresStore

extension Marquee {
    struct BenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure speed, latency and bytes, each against a baseline measured in the same run.",
            discussion: "Build with `swift build -c release` first; debug numbers mean little. Exits 0 whether goals pass or miss."
        )

        @Flag(help: "A small, fast run (a smoke test, not a measurement).") var quick = false
        @Flag(help: "Print JSON on standard output; progress goes to standard error.") var json = false
        @Option(help: ArgumentHelp("Build a realistic store of about N events at --db, then stop.", valueName: "N")) var generate: Int?
        @Option(help: ArgumentHelp("The store: where --generate writes it, or a generated store P2, P3 and P6 use (else one is built in a temporary folder).", valueName: "path"))
        var db: String?

        @Option(help: ArgumentHelp("Only these rows, e.g. P2,P7 (P1 to P7; P1 also runs P1 hot; Live on PostgreSQL).", valueName: "ids")) var only: String?
        @Flag(help: .hidden) var probeConsole = false
        @Option(help: .hidden) var probeKeys = 0
        @Option(help: .hidden) var probeStarted: UInt64 = 0
        @Flag(help: .hidden) var rushWorker = false
        @Flag(help: .hidden) var liveWatcher = false
        @Option(help: .hidden) var rushCommands = 2_500
        @Option(help: .hidden) var rushSeed: UInt64 = 1

        func validate() throws {
            if let only {
                let ids = only.split(separator: ",").map(String.init)
                let unknown = ids.filter { !["P1", "P2", "P3", "P4", "P5", "P6", "P7", "Live"].contains($0) }
                guard unknown.isEmpty else { throw ValidationError("--only takes row ids P1 to P7 (and Live on PostgreSQL), e.g. --only P2,P7; not \(unknown.joined(separator: ", "))") }
                if ids.contains("Live"), !(db.map(StoreLocation.isServer) ?? false) {
                    throw ValidationError("the Live row is measured on PostgreSQL: give --db postgres://USER@HOST:PORT/DATABASE")
                }
            }
            if let generate {
                guard (1_000...50_000_000).contains(generate) else { throw ValidationError("--generate takes 1000 to 50000000 events") }
                guard db != nil else { throw ValidationError("--generate needs --db PATH: where to write the new store") }
            }
        }

        func run() async throws {
            guard let catalog = DemoCatalog.locate() else { throw failure(DemoError.missingFolder) }
            if rushWorker, let db {
                let store: any ReadModelStore
                do { store = try StoreLocation.open(db, create: false) } catch { throw failure(error) }
                let report = try await P1Hot.worker(store: store, commands: rushCommands, seed: rushSeed)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                Output.exact(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            if liveWatcher, let db {
                let store: any ReadModelStore
                do { store = try StoreLocation.open(db, readOnly: true, create: false) } catch { throw failure(error) }
                let sightings = try LiveLatency.watch(store: store)
                Output.exact(String(decoding: try JSONEncoder().encode(sightings), as: UTF8.self))
                return
            }
            if let db, StoreLocation.isServer(db) {
                try await onServer(db, catalog: catalog)
                return
            }
            if let generate, let db {
                try Self.generate(generate, at: db, catalog: catalog)
                return
            }
            if probeConsole, let db {
                try await Self.probe(db, keys: probeKeys, started: probeStarted)
                return
            }
            if let db, !FileManager.default.fileExists(atPath: db) {
                throw failure("no store at \(db): make one with `marquee bench --generate 1000000 --db \(db)`, or drop --db to have bench build one")
            }
            let theme = try loadTheme("default")
            let rows: [BenchRow]
            let bar = ProgressReporter(label: "bench")
            do {
                rows = try await BenchSuite.run(
                    quick: quick, only: only.map { Set($0.split(separator: ",").map(String.init)) }, store: db, catalog: catalog, theme: theme
                ) { step, fraction in bar.step(step, fraction: fraction) }
                bar.finish()
            } catch {
                bar.finish()
                throw failure("the benchmark could not run: \(error)")
            }
            Output.exact(json ? Self.json(rows) : Self.table(rows))
        }

        /// `bench --db postgres://…`: the rows measured on a server (P1 for now), in scratch
        /// databases beside the one named; the role needs CREATEDB.
        func onServer(_ db: String, catalog: DemoCatalog) async throws {
            guard generate == nil, !probeConsole else {
                throw failure("--generate and the probes write SQLite files; on a server, run `marquee bench --db URL` alone")
            }
            let only = only.map { Set($0.split(separator: ",").map(String.init)) }
            if let only, !only.isSubset(of: ["P1", "P2", "Live"]) {
                throw failure("on PostgreSQL the bench measures P1 (with P1 hot), Live and P2; use --only with those, or drop --only")
            }
            let url: PostgresURL
            do { url = try PostgresURL(db) } catch { throw failure(error.description) }
            let rows: [BenchRow]
            let bar = ProgressReporter(label: "bench")
            do {
                rows = try await BenchSuite.run(server: url, quick: quick, only: only, catalog: catalog) { step, fraction in bar.step(step, fraction: fraction) }
                bar.finish()
            } catch {
                bar.finish()
                throw failure("the benchmark could not run on \(url): \(error)")
            }
            Output.exact(json ? Self.json(rows) : Self.table(rows))
        }

        /// The child side of P3/P6: the console's start-up on `path`, reported as one JSON line.
        static func probe(_ path: String, keys: Int, started: UInt64) async throws {
            let result = try await ConsoleProbe.run(path: path, keys: keys, started: started)
            let latencies = result.keyToFrameMilliseconds.map { String($0) }.joined(separator: ",")
            Output.exact("{\"firstFrameMs\":\(result.firstFrameMilliseconds),\"keyToFrameMs\":[\(latencies)],\"eventsPerSecond\":\(result.eventsPerSecondDuringKeys),\"peakKB\":\(result.peakResidentKilobytes)}")
        }

        /// `--generate N --db PATH`: builds the store and says what it holds.
        static func generate(_ count: Int, at path: String, catalog: DemoCatalog) throws {
            let bar = ProgressReporter(label: "generating")
            let started = Date()
            do {
                let report = try StoreGenerator.generate(events: count, path: path, catalog: catalog) { done, total in
                    bar.update(done: done, total: total, started: started)
                }
                bar.finish()
                Output.say("\(path): \(report.events) events, \(report.shows) shows, \(report.reservations) reservations, read models built, in \(String(format: "%.1f", report.seconds)) s")
            } catch {
                bar.finish()
                throw failure("cannot generate the store: \(error)")
            }
        }

        static func number(_ value: Double?) -> String {
            guard let value else { return "—" }
            return value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
        }

        static func table(_ rows: [BenchRow]) -> String {
            var lines = ["id        " + "measure".padding(toLength: 64, withPad: " ", startingAt: 0) + "value            baseline          ratio   goal                                          result"]
            for row in rows {
                let value = "\(number(row.value)) \(row.unit)"
                let baseline = row.baseline.map { "\(number($0)) \(row.baselineLabel == "goal" ? "(goal)" : row.unit)" } ?? "—"
                lines.append(row.id.padding(toLength: 10, withPad: " ", startingAt: 0) + row.measure.padding(toLength: 64, withPad: " ", startingAt: 0)
                    + value.padding(toLength: 17, withPad: " ", startingAt: 0) + baseline.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + (row.ratio.map { String(format: "%.2f×", $0) } ?? "—").padding(toLength: 8, withPad: " ", startingAt: 0)
                    + row.goal.padding(toLength: 46, withPad: " ", startingAt: 0) + row.verdict + (row.note.isEmpty ? "" : "  (\(row.note))"))
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

