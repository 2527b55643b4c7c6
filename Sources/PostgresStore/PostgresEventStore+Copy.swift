import EventStore
import Foundation
import PostgresNIO

extension PostgresEventStore {
    /// What a copy carried over.
    public struct CopyReport: Sendable, Hashable {
        public var events: Int64
        public var commands: Int
        public var snapshots: Int
        public var settings: [String]
    }

    /// Copies a SQLite store's log into this empty store, in one transaction: every event with
    /// its position, stream version, metadata and time, the recorded command ids, snapshots and
    /// store settings (the clock among them) — not read models, which the caller rebuilds here.
    /// A store that holds events or settings already is refused and left as it was.
    public func copy(from source: SQLiteEventStore, batch: Int = 10_000, progress: (Int64, Int64) -> Void = { _, _ in }) throws(EventStoreError) -> CopyReport {
        let head = try source.headPosition()
        let commands = try source.allCommands(), snapshots = try source.allSnapshots()
        // The read-model generation belongs to this store's read models, not the source's.
        let settings = try source.allInfo().filter { $0.key != StoreNames.generationKey }
        return try connections.with { session throws(EventStoreError) in
            try session.transaction(lock: .log) { () throws(EventStoreError) -> CopyReport in
                let held = try single(session.query("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM store_info) + (SELECT count(*) FROM commands)"), Int64.self) ?? 0
                guard held == 0 else { throw .storage("\(url) already holds a store (events, command ids or settings); copy into an empty database, or drop and create this one") }
                var after: Int64 = 0, copied: Int64 = 0
                while true {
                    let events = try source.readAll(after: after, limit: batch)
                    guard let last = events.last else { break }
                    try session.query("""
                        INSERT INTO events (position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at)
                        SELECT * FROM unnest(\(events.map(\.position))::int8[], \(events.map(\.streamId))::text[], \(events.map(\.streamVersion))::int8[],
                            \(events.map(\.type))::text[], \(events.map { Int32($0.schemaVersion) })::int4[],
                            \(events.map { String(decoding: $0.payload, as: UTF8.self) })::text[],
                            \(events.map { MetadataCoding.encode($0.metadata) })::text[], \(events.map { Timestamp.string($0.recordedAt) })::text[])
                        """)
                    copied += Int64(events.count)
                    after = last.position
                    progress(copied, head)
                }
                for chunk in stride(from: 0, to: commands.count, by: batch).map({ commands[$0..<min($0 + batch, commands.count)] }) {
                    try session.query("""
                        INSERT INTO commands (id, positions, recorded_at)
                        SELECT * FROM unnest(\(chunk.map(\.id))::text[], \(chunk.map { $0.positions.map(String.init).joined(separator: ",") })::text[],
                            \(chunk.map(\.recordedAt))::text[])
                        """)
                }
                for snapshot in snapshots { try Self.save(snapshot, session) }
                for (key, value) in settings { try session.query("INSERT INTO store_info (key, value) VALUES (\(key), \(value))") }
                return CopyReport(events: copied, commands: commands.count, snapshots: snapshots.count, settings: settings.keys.sorted())
            }
        }
    }
}
