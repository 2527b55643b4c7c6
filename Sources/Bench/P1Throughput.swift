import BoxOffice
import EventStore
import Foundation
import GRDBSQLite
import PostgresStore
import Ticketing

/// P1: durable commands per second from 16 concurrent submitters (reserve / pay / cancel),
/// every projection caught up at the end, against raw SQLite inserts, one per transaction.
enum P1Throughput {
    static func run(folder: URL, quick: Bool, catalog: DemoCatalog) async throws -> BenchRow {
        let inserts = quick ? 2_000 : 20_000
        let baseline = try rawInserts(path: folder.appendingPathComponent("p1-raw.sqlite").path, count: inserts)
        let store = try SQLiteEventStore(path: folder.appendingPathComponent("p1.sqlite").path)
        let (commands, elapsed) = try await submit(to: store, quick: quick, catalog: catalog)
        return BenchRow(
            id: "P1", measure: "durable commands/s, 16 submitters, projections caught up", value: Double(commands) / elapsed, unit: "cmd/s",
            baseline: baseline, baselineLabel: "raw SQLite inserts/s, 1 per transaction", higherIsBetter: true, goal: "≥ 1.0 × baseline",
            note: "\(commands) commands in \(String(format: "%.2f", elapsed)) s"
        )
    }

    /// P1 on a PostgreSQL server, in a scratch database created and dropped beside the one
    /// named, against single-row INSERT transactions from 16 connections on the same server.
    static func run(server: PostgresURL, quick: Bool, catalog: DemoCatalog) async throws -> BenchRow {
        let name = "marquee_bench_\(UInt32.random(in: 0...UInt32.max))"
        let scratch = try PostgresBench.createDatabase(name, on: server)
        defer { PostgresBench.dropDatabase(name, on: server) }
        let baseline = try PostgresBench.inserts(url: scratch, connections: 16, count: quick ? 2_000 : 16_000)
        let (commands, elapsed) = try await submit(to: try PostgresEventStore(url: scratch), quick: quick, catalog: catalog)
        return BenchRow(
            id: "P1", measure: "durable commands/s on PostgreSQL, 16 submitters, caught up", value: Double(commands) / elapsed, unit: "cmd/s",
            baseline: baseline, baselineLabel: "INSERT transactions/s, 16 connections", higherIsBetter: true, goal: "≥ 0.5 × baseline",
            note: "\(commands) commands in \(String(format: "%.2f", elapsed)) s", ratioGoal: 0.5
        )
    }

    /// 16 submitters reserve, pay and cancel on eight arena shows through a full runtime; returns
    /// the commands sent and the seconds until every projection caught up.
    static func submit(to store: any ReadModelStore, quick: Bool, catalog: DemoCatalog) async throws -> (commands: Int, elapsed: Double) {
        let commandsPerSubmitter = quick ? 60 : 600
        let runtime = Runtime(store: store, clock: SystemClock(), gateway: SimulatedGateway(seed: 1, failureRate: 0.05, latency: 0...0))
        try runtime.start()
        let arena = try catalog.venue("arena")
        let shows = (0..<8).map { ShowID("bench-\($0)") }
        for show in shows {
            let operatorContext = CommandContext(actor: "bench")
            _ = try await runtime.box.execute(.createShow(show, name: "Bench \(show)", venue: arena, startsAt: Date().addingTimeInterval(86_400)), operatorContext)
            _ = try await runtime.box.execute(.submitShow(show), operatorContext)
            _ = try await runtime.box.execute(.approveShow(show), CommandContext(actor: "bench-approver"))
        }
        runtime.bus.drain()
        let box = runtime.box
        let start = DispatchTime.now().uptimeNanoseconds
        let commands = await withTaskGroup(of: Int.self) { group in
            for submitter in 0..<16 {
                group.addTask {
                    var sent = 0
                    var random = SplitMix64(seed: UInt64(submitter + 1))
                    var held: [ReservationID] = []
                    let context = CommandContext(actor: "buyer-\(submitter)")
                    while sent < commandsPerSubmitter {
                        let roll = random.next() % 3
                        if roll == 0 || held.isEmpty {
                            let show = shows[Int(random.next() % UInt64(shows.count))]
                            if let result = try? await box.reserveBestAvailable(show, quantity: 2, customer: "Bench \(submitter)", context), let id = result.reservationID {
                                held.append(id)
                            }
                        } else if roll == 1 {
                            _ = try? await box.execute(.requestPayment(held.removeFirst(), method: .card), context)
                        } else {
                            _ = try? await box.execute(.cancelReservation(held.removeLast()), context)
                        }
                        sent += 1
                    }
                    return sent
                }
            }
            return await group.reduce(0, +)
        }
        box.waitUntilIdle()
        runtime.bus.drain(timeout: 120)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        runtime.shutdown()
        return (commands, elapsed)
    }

    /// Inserts into the same `events` schema through the sqlite3 C API: WAL, synchronous=NORMAL,
    /// one INSERT per transaction. Returns inserts per second.
    static func rawInserts(path: String, count: Int) throws -> Double {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw BenchError.sqlite("cannot open \(path)") }
        defer { sqlite3_close(db) }
        let setup = """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
              type TEXT NOT NULL, schema_version INTEGER NOT NULL, payload TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
              UNIQUE (stream_id, stream_version));
            """
        guard sqlite3_exec(db, setup, nil, nil, nil) == SQLITE_OK else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
        var statement: OpaquePointer?
        let sql = "INSERT INTO events (stream_id, stream_version, type, schema_version, payload, metadata, recorded_at) VALUES (?, ?, 'SeatsHeld', 1, ?, ?, ?)"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(statement) }
        let payload = #"{"at":"2026-11-29T20:14:03.250Z","by":"buyer-17","expiresAt":"2026-11-29T20:19:03.250Z","reservationId":"R-7KQ2M9XA","seats":["Stalls-A-4","Stalls-A-5"],"showId":"grand-hall-sat"}"#
        let metadata = #"{"actor":"buyer-17","causationId":null,"commandId":null,"correlationId":"C-0123456789"}"#
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let elapsed = try seconds {
            for index in 0..<count {
                sqlite3_bind_text(statement, 1, "inventory-\(index % 50)", -1, transient)
                sqlite3_bind_int64(statement, 2, Int64(index / 50 + 1))
                sqlite3_bind_text(statement, 3, payload, -1, transient)
                sqlite3_bind_text(statement, 4, metadata, -1, transient)
                sqlite3_bind_text(statement, 5, "2026-11-29T20:14:03.250Z", -1, transient)
                guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(statement)
            }
        }
        return Double(count) / elapsed
    }
}

enum BenchError: Error, CustomStringConvertible {
    case sqlite(String)
    case probe(String)
    var description: String {
        switch self {
        case .sqlite(let message): "SQLite: \(message)"
        case .probe(let message): message
        }
    }
}
