import EventStore
import Foundation
import PostgresNIO
import Synchronization

/// What `marquee bench` needs of a server: scratch databases beside the one named (the role
/// needs CREATEDB; the named database is never touched), and the baseline its rows are
/// measured against.
public enum PostgresBench {
    /// Creates an empty database named `name` on `url`'s server; returns its URL.
    public static func createDatabase(_ name: String, on url: PostgresURL) throws(EventStoreError) -> PostgresURL {
        try Connections(url: url, readOnly: false).with { session throws(EventStoreError) in
            try session.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            return
        }
        return url.database(name)
    }

    /// Drops a scratch database (its connections must be closed).
    public static func dropDatabase(_ name: String, on url: PostgresURL) {
        try? Connections(url: url, readOnly: false).with { session throws(EventStoreError) in
            try session.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            return
        }
    }

    /// Single-row `INSERT` transactions per second into a table shaped like `events`, from
    /// `connections` connections at once, through the same client library the store uses.
    public static func inserts(url: PostgresURL, connections: Int, count: Int) throws(EventStoreError) -> Double {
        let pool = Connections(url: url, readOnly: false)
        try pool.with { session throws(EventStoreError) in
            try session.query("""
                CREATE TABLE IF NOT EXISTS baseline_events (position BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, stream_version BIGINT NOT NULL,
                    type TEXT NOT NULL, schema_version INTEGER NOT NULL, payload TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
                    UNIQUE (stream_id, stream_version))
                """)
            return
        }
        let payload = #"{"at":"2026-11-29T20:14:03.250Z","by":"buyer-17","expiresAt":"2026-11-29T20:19:03.250Z","reservationId":"R-7KQ2M9XA","seats":["Stalls-A-4","Stalls-A-5"],"showId":"grand-hall-sat"}"#
        let metadata = #"{"actor":"buyer-17","causationId":null,"commandId":null,"correlationId":"C-0123456789"}"#
        let failure = Mutex<EventStoreError?>(nil)
        let each = count / connections
        let started = DispatchTime.now().uptimeNanoseconds
        // A thread per connection (concurrentPerform would run only as many as there are cores).
        let finished = DispatchGroup()
        for worker in 0..<connections {
            finished.enter()
            Thread {
                defer { finished.leave() }
                do {
                    let connection = try pool.open()
                    defer { try? (connection.close() as EventLoopFuture<Void>).wait() }
                    let session = Session(connection: connection, url: url)
                    for n in 0..<each {
                        try session.query("""
                            INSERT INTO baseline_events (stream_id, stream_version, type, schema_version, payload, metadata, recorded_at)
                            VALUES (\("inventory-\(worker)"), \(Int64(n + 1)), 'SeatsHeld', 1, \(payload), \(metadata), '2026-11-29T20:14:03.250Z')
                            """)
                    }
                } catch {
                    failure.withLock { $0 = (error as? EventStoreError) ?? .storage("\(error)") }
                }
            }.start()
        }
        finished.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if let error = failure.withLock({ $0 }) { throw error }
        // The database is empty again, so a store can be created in it.
        try pool.with { session throws(EventStoreError) in
            try session.query("DROP TABLE baseline_events")
            return
        }
        return Double(each * connections) / elapsed
    }

    /// Reads every row of `events` through the client library in position order, 10,000 rows
    /// a query (as a rebuild reads them), every column decoded: P2's baseline on a server.
    public static func scan(url: PostgresURL) throws(EventStoreError) -> (rate: Double, rows: Int64, seconds: Double) {
        try Connections(url: url, readOnly: true).with { session throws(EventStoreError) in
            var rows: Int64 = 0, after: Int64 = 0, checksum = 0
            let started = DispatchTime.now().uptimeNanoseconds
            while true {
                let batch = try session.query("""
                    SELECT position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at
                    FROM events WHERE position > \(after) ORDER BY position LIMIT 10000
                    """)
                var last: Int64?
                for row in batch {
                    let (position, stream, _, type, _, payload, metadata, recorded) = try decode(
                        row, (Int64, String, Int64, String, Int32, Data, Data, String).self)
                    checksum &+= stream.utf8.count &+ type.utf8.count &+ payload.count &+ metadata.count &+ recorded.utf8.count
                    last = position
                    rows += 1
                }
                guard let last else { break }
                after = last
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            guard checksum != 0 || rows == 0 else { throw .storage("the scan read nothing") }
            return (Double(rows) / max(elapsed, 1e-9), rows, elapsed)
        }
    }
}
