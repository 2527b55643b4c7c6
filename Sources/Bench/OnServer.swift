import BoxOffice
import EventStore
import Foundation
import PostgresStore

/// The rows `marquee bench --db postgres://…` measures. Each runs in a scratch database of its
/// own beside the one named (the role needs CREATEDB), dropped afterwards; the named database
/// is never touched. Child processes get the scratch URL and the password in their environment.
enum OnServer {
    /// Runs `body` on a new empty database on `server`'s server, then drops it.
    static func inScratchDatabase<T>(on server: PostgresURL, _ body: (PostgresURL) async throws -> T) async throws -> T {
        let name = "marquee_bench_\(UInt32.random(in: 0...UInt32.max))"
        let scratch = try PostgresBench.createDatabase(name, on: server)
        defer { PostgresBench.dropDatabase(name, on: server) }
        return try await body(scratch)
    }

    /// P1 hot: eight box-office processes on the server.
    static func p1Hot(server: PostgresURL, quick: Bool, catalog: DemoCatalog, p1: Double?) async throws -> BenchRow {
        try await inScratchDatabase(on: server) { url in
            var row = try await P1Hot.run(
                store: try PostgresEventStore(url: url), db: url.description, environment: url.childEnvironment, quick: quick, catalog: catalog, p1: p1
            )
            row.measure = "commands/s, 8 box offices × 16 submitters, PostgreSQL"
            return row
        }
    }

    /// Live: a commit here, seen by another process's read models, woken by NOTIFY.
    static func live(server: PostgresURL, quick: Bool, catalog: DemoCatalog) async throws -> BenchRow {
        try await inScratchDatabase(on: server) { url in
            try await LiveLatency.run(store: try PostgresEventStore(url: url), db: url.description, environment: url.childEnvironment, quick: quick, catalog: catalog)
        }
    }

    /// P2: a generated store copied to the server, every read model rebuilt there, against a
    /// scan of the same rows through the same client library.
    static func p2(server: PostgresURL, quick: Bool, catalog: DemoCatalog, progress: (String) -> Void) async throws -> BenchRow {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("marquee-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("p2.sqlite").path
        let target = quick ? 20_000 : 1_000_000
        progress("P2 on PostgreSQL: generating \(target) events")
        _ = try StoreGenerator.generate(events: target, path: path, catalog: catalog)
        return try await inScratchDatabase(on: server) { url in
            let store = try PostgresEventStore(url: url)
            progress("P2 on PostgreSQL: copying the log to the server")
            _ = try store.copy(from: try SQLiteEventStore(path: path, create: false))
            progress("P2 on PostgreSQL: scanning, then rebuilding")
            let scan = try PostgresBench.scan(url: url)
            var events: Int64 = 0
            let elapsed = try seconds {
                events = try Rebuild.run(storage: store, names: Runtime.subscriberNames, mode: .write).first?.events ?? 0
            }
            return BenchRow(
                id: "P2", measure: "rebuild every read model on PostgreSQL, \(events) events", value: Double(events) / elapsed, unit: "events/s",
                baseline: scan.rate, baselineLabel: "scan, same client", higherIsBetter: true, goal: "≥ 1,000,000/s and ≥ 0.5 × scan",
                note: String(format: "rebuild %.2f s; scan of %lld rows %.2f s", elapsed, scan.rows, scan.seconds), ratioGoal: 0.5, absoluteGoal: 1_000_000
            )
        }
    }
}
