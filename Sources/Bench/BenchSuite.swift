import BoxOffice
import Foundation
import TerminalUI

/// `marquee bench`: every row, each a ratio against a baseline measured in the same run (or,
/// where there is no natural baseline, against its goal).
public enum BenchSuite {
    /// Runs every row (or the groups named in `only`: P1, P2, P3, P4, P5, P6, P7). `store` is a
    /// generated store for P2, P3 and P6 (one of 1,000,000 events is generated in a temporary
    /// folder when nil); it is rebuilt and opened, so it changes.
    public static func run(
        quick: Bool, only: Set<String>? = nil, store: String?, catalog: DemoCatalog, theme: Theme, progress: (String) -> Void
    ) async throws -> [BenchRow] {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("marquee-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func wanted(_ ids: String...) -> Bool { only.map { !$0.isDisjoint(with: ids) } ?? true }
        var rows: [BenchRow] = []
        if wanted("P1") {
            progress("P1: raw SQLite baseline, then 16 submitters")
            rows.append(try await P1Throughput.run(folder: folder, quick: quick, catalog: catalog))
        }
        if wanted("P4", "P5") {
            progress("P4: a rush on the arena, then frames")
            let scene = try await RushScene.state(folder: folder, catalog: catalog, seconds: quick ? 3 : 20)
            rows += P4Frames.run(scene, quick: quick)
            progress("P5: the ncurses backend on a pseudo-terminal")
            rows.append(try P5Bytes.run(scene, theme: theme))
        }
        if wanted("P2", "P3", "P4", "P6") {
            let large: String
            if let store {
                large = store
            } else {
                let events = quick ? 20_000 : 1_000_000
                progress("generating a \(events)-event store (bench --generate)")
                large = folder.appendingPathComponent("large.sqlite").path
                _ = try StoreGenerator.generate(events: events, path: large, catalog: catalog)
            }
            if wanted("P2") {
                progress("P2: raw scan, then a full rebuild")
                rows.append(try P2Rebuild.run(path: large))
            }
            if wanted("P3", "P4", "P6") {
                let small = folder.appendingPathComponent("small.sqlite").path
                _ = try StoreGenerator.generate(events: 1_000, path: small, catalog: catalog)
                progress("P3, P6: console probes in new processes; P4 key: keys under load")
                rows += try ConsoleRows.run(large: large, small: small, quick: quick)
            }
        }
        if wanted("P7") {
            progress("P7: holds falling due on an accelerated clock")
            rows += try await P7Expiry.run(folder: folder, catalog: catalog, quick: quick)
        }
        return rows.sorted { $0.id < $1.id }
    }
}
