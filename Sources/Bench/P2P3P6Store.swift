import BoxOffice
import EventStore
import Foundation
import GRDBSQLite

/// P2: rebuilding every read model (and the saga ledger) from a generated store, against a raw
/// scan of the same events table through the sqlite3 C API.
enum P2Rebuild {
    static func run(path: String) throws -> BenchRow {
        let scan = try rawScan(path: path)
        let store = try SQLiteEventStore(path: path, create: false)
        var events: Int64 = 0
        let elapsed = try seconds {
            events = try Rebuild.run(storage: store, names: Runtime.subscriberNames, mode: .write).first?.events ?? 0
        }
        let rate = Double(events) / elapsed
        return BenchRow(
            id: "P2", measure: "rebuild every read model, \(events) events", value: rate, unit: "events/s", baseline: scan.rate,
            baselineLabel: "raw scan", higherIsBetter: true, goal: "≥ 1,000,000/s and ≥ 0.5 × scan",
            note: String(format: "rebuild %.2f s; scan of %lld rows %.2f s", elapsed, scan.rows, scan.seconds), ratioGoal: 0.5, absoluteGoal: 1_000_000
        )
    }

    /// Reads every row of `events` (payload and metadata bytes touched). Returns rows per second.
    static func rawScan(path: String) throws -> (rate: Double, rows: Int64, seconds: Double) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else { throw BenchError.sqlite("cannot open \(path)") }
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        let sql = "SELECT position, stream_id, stream_version, type, payload, metadata, recorded_at FROM events ORDER BY position"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(statement) }
        var rows: Int64 = 0
        var checksum = 0
        let elapsed = try seconds {
            while true {
                let step = sqlite3_step(statement)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
                rows += 1
                for column: Int32 in [1, 3, 4, 5, 6] {
                    if let text = sqlite3_column_text(statement, column) { checksum &+= Int(text[0]) &+ Int(sqlite3_column_bytes(statement, column)) }
                }
            }
        }
        guard checksum != 0 || rows == 0 else { throw BenchError.sqlite("the scan read nothing") }
        return (Double(rows) / elapsed, rows, elapsed)
    }
}

/// P3, P6 and P4's key-to-frame: the console probe in child processes.
enum ConsoleRows {
    struct Probe: Decodable {
        var firstFrameMs: Double
        var keyToFrameMs: [Double]
        var eventsPerSecond: Double
        var peakKB: Int
    }

    /// Runs `marquee bench --probe-console` on a store in a fresh process.
    static func probe(path: String, keys: Int = 0) throws -> Probe {
        guard let executable = Bundle.main.executablePath else { throw BenchError.probe("cannot find the marquee executable") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let started = DispatchTime.now().uptimeNanoseconds
        process.arguments = ["bench", "--probe-console", "--db", path, "--probe-keys", String(keys), "--probe-started", String(started)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let probe = try? JSONDecoder().decode(Probe.self, from: data) else {
            throw BenchError.probe("the console probe failed (exit \(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
        }
        return probe
    }

    static func run(large: String, small: String, quick: Bool) throws -> [BenchRow] {
        let runs = quick ? 1 : 3
        let largeProbes = try (0..<runs).map { _ in try probe(path: large) }
        let smallProbes = try (0..<runs).map { _ in try probe(path: small) }
        let largeStart = percentile(largeProbes.map(\.firstFrameMs), 50)
        let smallStart = percentile(smallProbes.map(\.firstFrameMs), 50)
        let keys = try probe(path: large, keys: quick ? 10 : 200)
        let peak = Double((largeProbes + [keys]).map(\.peakKB).max() ?? 0) / 1024
        return [
            BenchRow(id: "P3", measure: "cold start to first frame, large store (median of \(runs))", value: largeStart, unit: "ms", baseline: 300,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 300 ms", note: "new process each time"),
            BenchRow(id: "P3 growth", measure: "start-up, large store vs a 1,000-event store", value: largeStart, unit: "ms", baseline: smallStart,
                     baselineLabel: "1k-event store", higherIsBetter: false, goal: "≤ 1.5 × the small store", note: "", ratioGoal: 1.5),
            BenchRow(id: "P4 key", measure: "key press → frame drawn, bus applying ~1,000 events/s (p99)", value: percentile(keys.keyToFrameMs, 99),
                     unit: "ms", baseline: 8, baselineLabel: "goal", higherIsBetter: false, goal: "≤ 8 ms",
                     note: String(format: "%d keys, median %.2f ms, load %.0f events/s", keys.keyToFrameMs.count, percentile(keys.keyToFrameMs, 50), keys.eventsPerSecond)),
            BenchRow(id: "P6", measure: "peak resident memory, console on the large store", value: peak, unit: "MB", baseline: 48,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 48 MB", note: "VmHWM of the probe process"),
            try tenMillion(large: large, firstFrame: largeStart, peak: Double(largeProbes.map(\.peakKB).max() ?? 0) / 1024),
        ]
    }

    static let tenMillionEvents: Int64 = 10_000_000

    /// P3 10M: the large store's first frame and peak memory, when it holds at least ten million
    /// events (generating one is a separate step: minutes and gigabytes).
    static func tenMillion(large: String, firstFrame: Double, peak: Double) throws -> BenchRow {
        let events = try SQLiteEventStore(path: large, create: false).headPosition()
        var row = BenchRow(
            id: "P3 10M", measure: "first frame on a 10,000,000-event store (median of 3)", value: nil, unit: "ms", baseline: 150,
            baselineLabel: "goal", higherIsBetter: false, goal: "≤ 150 ms, peak ≤ 64 MB",
            note: "not measured: the store has \(events) events; make one with `marquee bench --generate 10000000 --db PATH`, then `--db PATH`"
        )
        guard events >= tenMillionEvents else { return row }
        row.value = firstFrame
        row.otherGoalsMet = peak <= 64
        row.note = String(format: "%lld events, peak %.1f MB", events, peak)
        return row
    }
}
