import BoxOffice
import Foundation
import PostgresStore
import TerminalUI

/// `marquee bench`: every row, each a ratio against a baseline measured in the same run (or,
/// where there is no natural baseline, against its goal).
public enum BenchSuite {
    /// Runs every row (or the groups named in `only`: P1, P2, P3, P4, P5, P6, P7). `store` is a
    /// generated store for P2, P3 and P6 (one of 1,000,000 events is generated in a temporary
    /// folder when nil); it is rebuilt and opened, so it changes.
    /// The rows measured on a PostgreSQL server (`bench --db postgres://…`), each in a scratch
    /// database beside the one named (see `OnServer`): P1 against the server's own single-row
    /// insert rate, P1 hot against that P1, Live (commit to another process's read model), and
    /// P2 against a scan through the same client. `only` takes P1 (with P1 hot), Live and P2.
    public static func run(server: PostgresURL, quick: Bool, only: Set<String>? = nil, catalog: DemoCatalog, progress: (String, Double) -> Void) async throws -> [BenchRow] {
        var rows: [BenchRow] = []
        if only?.contains("P1") ?? true {
            progress("P1 on PostgreSQL: INSERT baseline from 16 connections, then 16 submitters", 0)
            let p1 = try await P1Throughput.run(server: server, quick: quick, catalog: catalog)
            rows.append(p1)
            progress("P1 hot on PostgreSQL: 8 box offices rushing one show", 0.2)
            rows.append(try await OnServer.p1Hot(server: server, quick: quick, catalog: catalog, p1: p1.value))
        }
        if only?.contains("Live") ?? true {
            progress("Live on PostgreSQL: a commit here, another process's read model there", 0.35)
            rows.append(try await OnServer.live(server: server, quick: quick, catalog: catalog))
        }
        if only?.contains("P2") ?? true {
            rows.append(try await OnServer.p2(server: server, quick: quick, catalog: catalog) { progress($0, 0.5) })
        }
        return rows
    }

    public static func run(
        quick: Bool, only: Set<String>? = nil, store: String?, catalog: DemoCatalog, theme: Theme, progress: (String, Double) -> Void
    ) async throws -> [BenchRow] {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("marquee-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func wanted(_ ids: [String]) -> Bool { only.map { !$0.isDisjoint(with: ids) } ?? true }
        func wanted(_ ids: String...) -> Bool { wanted(ids) }
        var rows: [BenchRow] = []
        // Overall progress: each part's share of a full run's time, roughly.
        let parts: [(ids: [String], weight: Double)] = [(["P1"], 0.12), (["P4", "P5"], 0.12), (["P2", "P3", "P4", "P6"], 0.35), (["P2"], 0.08), (["P3", "P4", "P6"], 0.12), (["P7"], 0.25)]
        let total = parts.filter { wanted($0.ids) }.reduce(0) { $0 + $1.weight }
        var done = 0.0
        func step(_ text: String, _ weight: Double, within: Double = 0) { progress(text, min((done + weight * within) / max(total, 0.01), 1)) }
        func finished(_ weight: Double) { done += weight }
        if wanted("P1") {
            step("P1: raw SQLite baseline, then 16 submitters", 0.12)
            let p1 = try await P1Throughput.run(folder: folder, quick: quick, catalog: catalog)
            rows.append(p1)
            step("P1 hot: 8 box offices rushing one show", 0.12, within: 0.4)
            rows.append(try await P1Hot.run(folder: folder, quick: quick, catalog: catalog, p1: p1.value))
            finished(0.12)
        }
        if wanted("P4", "P5") {
            step("P4: a rush on the arena, then frames", 0.12)
            let scene = try await RushScene.state(folder: folder, catalog: catalog, seconds: quick ? 3 : 20)
            rows += P4Frames.run(scene, quick: quick)
            step("P5: the ncurses backend on a pseudo-terminal", 0.12, within: 0.9)
            rows.append(try P5Bytes.run(scene, theme: theme))
            finished(0.12)
        }
        if wanted("P2", "P3", "P4", "P6") {
            let large: String
            if let store {
                large = store
            } else {
                let events = quick ? 20_000 : 1_000_000
                large = folder.appendingPathComponent("large.sqlite").path
                _ = try StoreGenerator.generate(events: events, path: large, catalog: catalog) { written, target in
                    step("generating a \(events)-event store (bench --generate) · \(written) events", 0.35, within: Double(written) / Double(max(target, 1)))
                }
            }
            finished(0.35)
            if wanted("P2") {
                step("P2: raw scan, then a full rebuild", 0.08)
                rows.append(try P2Rebuild.run(path: large))
                finished(0.08)
            }
            if wanted("P3", "P4", "P6") {
                let small = folder.appendingPathComponent("small.sqlite").path
                _ = try StoreGenerator.generate(events: 1_000, path: small, catalog: catalog)
                step("P3, P6: console probes in new processes; P4 key: keys under load", 0.12)
                rows += try ConsoleRows.run(large: large, small: small, quick: quick)
                finished(0.12)
            }
        }
        if wanted("P7") {
            step("P7: holds falling due on an accelerated clock", 0.25)
            rows += try await P7Expiry.run(folder: folder, catalog: catalog, quick: quick)
        }
        return rows.sorted { $0.id < $1.id }
    }
}
