import BoxOffice
import Foundation
import TerminalUI

/// `marquee bench`: every row, each a ratio against a baseline measured in the same run (or,
/// where there is no natural baseline, against its goal).
public enum BenchSuite {
    public static func run(quick: Bool, catalog: DemoCatalog, theme: Theme, progress: (String) -> Void) async throws -> [BenchRow] {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("marquee-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows: [BenchRow] = []
        progress("P1: raw SQLite baseline, then 16 submitters")
        rows.append(try await P1Throughput.run(folder: folder, quick: quick, catalog: catalog))
        progress("P4: a rush on the arena, then frames")
        let scene = try await RushScene.state(folder: folder, catalog: catalog, seconds: quick ? 3 : 20)
        rows += P4Frames.run(scene, quick: quick)
        progress("P5: the ncurses backend on a pseudo-terminal")
        rows.append(try P5Bytes.run(scene, theme: theme))
        let pending = "not measured yet: needs the N-event store generator (`bench --generate`)"
        rows += [
            BenchRow(id: "P2", measure: "rebuild every projection, 1,000,000 events", value: nil, unit: "events/s", baseline: nil,
                     baselineLabel: "raw scan of the events table", higherIsBetter: true, goal: "≥ 1,000,000/s and ≥ 0.5 × scan", note: pending),
            BenchRow(id: "P3", measure: "cold start to first frame, 1,000,000 events", value: nil, unit: "ms", baseline: 300,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 300 ms, ≤ 2 × a 1,000-event store", note: pending),
            BenchRow(id: "P6", measure: "peak resident memory, console on 1,000,000 events", value: nil, unit: "MB", baseline: 64,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 64 MB", note: pending),
            BenchRow(id: "P7", measure: "hold expiry lateness p99, 100,000 holds over 10 min", value: nil, unit: "ms", baseline: 100,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 100 ms", note: "not measured yet"),
        ]
        return rows.sorted { $0.id < $1.id }
    }
}
