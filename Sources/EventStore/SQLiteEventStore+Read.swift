import Foundation
import GRDB

extension SQLiteEventStore {
    private static let columns = "position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at"

    public func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] {
        try guarded { try database.read { try Self.events(of: stream, fromVersion: version, $0) } }
    }

    static func events(of stream: String, fromVersion version: Int64, _ db: Database) throws -> [RecordedEvent] {
        try events(db, sql: """
            SELECT \(columns) FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version
            """, arguments: [stream, version])
    }

    public func readAll(after position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        try guarded {
            try database.read { try Self.events(after: position, limit: limit, $0) }
        }
    }

    /// The events after `position`, at most `limit`, in position order, on a given connection.
    static func events(after position: Int64, limit: Int, _ db: Database) throws -> [RecordedEvent] {
        try events(db, sql: "SELECT \(columns) FROM events WHERE position > ? ORDER BY position LIMIT ?", arguments: [position, limit])
    }

    public func headPosition() throws(EventStoreError) -> Int64 {
        try checkFiles()
        return try guarded { try database.read { try Self.head($0) } }
    }

    static func head(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(position) FROM events")) ?? 0
    }

    public func version(of stream: String) throws(EventStoreError) -> Int64 {
        try guarded { try database.read { try Self.currentVersion(of: stream, $0) } }
    }

    public func statistics(since: Date) throws(EventStoreError) -> StoreStatistics {
        try guarded {
            try database.read { db in
                var byType: [String: Int64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT type, count(*) FROM events GROUP BY type") { byType[row[0]] = row[1] }
                // recorded_at is ISO 8601 UTC text, so text order is time order.
                let recent = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events WHERE recorded_at >= ?", arguments: [Timestamp.string(since)]) ?? 0
                let head = try Int64.fetchOne(db, sql: "SELECT max(position) FROM events") ?? 0
                return StoreStatistics(head: head, events: byType.values.reduce(0, +), byType: byType, since: recent)
            }
        }
    }

    public func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? {
        try guarded {
            try database.read { try Self.recordedCommand(commandId, $0) }
        }
    }

    static func recordedCommand(_ commandId: String, _ db: Database) throws -> [Int64]? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT positions FROM commands WHERE id = ?"), arguments: [commandId])
            .map { $0.split(separator: ",").compactMap { Int64($0) } }
    }

    public func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError) {
        try guarded {
            try database.write { try Self.save(snapshot, $0) }
        }
    }

    static func save(_ snapshot: Snapshot, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO snapshots (stream_id, stream_version, type, schema_version, payload) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (stream_id) DO UPDATE SET stream_version = excluded.stream_version, type = excluded.type,
                schema_version = excluded.schema_version, payload = excluded.payload
            WHERE excluded.stream_version > snapshots.stream_version
            """).execute(arguments: [snapshot.stream, snapshot.version, snapshot.type, snapshot.schemaVersion, snapshot.payload])
    }

    public func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? {
        try guarded {
            try database.read { try Self.snapshot(of: stream, $0) }
        }
    }

    static func snapshot(of stream: String, _ db: Database) throws -> Snapshot? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT stream_version, type, schema_version, payload FROM snapshots WHERE stream_id = ?
            """), arguments: [stream]).map { row in
            Snapshot(stream: stream, version: row[0], type: row[1], schemaVersion: row[2], payload: row[3])
        }
    }

    public func info(_ key: String) throws(EventStoreError) -> String? {
        try guarded { try database.read { try String.fetchOne($0, sql: "SELECT value FROM store_info WHERE key = ?", arguments: [key]) } }
    }

    public func setInfoIfAbsent(_ key: String, _ value: String) throws(EventStoreError) -> String {
        try guarded {
            try database.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO store_info (key, value) VALUES (?, ?)", arguments: [key, value])
                return try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = ?", arguments: [key]) ?? value
            }
        }
    }

    public func checkpoint(of subscriber: String) throws(EventStoreError) -> Int64 {
        try guarded {
            try database.read {
                try Int64.fetchOne($0, sql: "SELECT position FROM checkpoints WHERE subscriber = ?", arguments: [subscriber]) ?? 0
            }
        }
    }

    public func saveCheckpoint(_ position: Int64, of subscriber: String) throws(EventStoreError) {
        try guarded {
            try database.write { db in
                try db.execute(sql: """
                    INSERT INTO checkpoints (subscriber, position) VALUES (?, ?)
                    ON CONFLICT (subscriber) DO UPDATE SET position = excluded.position
                    """, arguments: [subscriber, position])
            }
        }
    }

    static func events(_ db: Database, sql: String, arguments: StatementArguments) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            let position: Int64 = row[0]
            let recordedAt = try row.withUnsafeData(atIndex: 7) { data in
                data?.withUnsafeBytes { Timestamp.date(utf8: $0) }
            }
            guard let recordedAt else {
                let text: String? = row[7]
                throw EventStoreError.corrupt(path: db.description, detail: "event at position \(position) has an unreadable time \"\(text ?? "null")\"")
            }
            // Payload and metadata straight from SQLite's bytes, without a detour through String.
            let payload = try row.withUnsafeData(atIndex: 5) { data in
                // SQLite's buffer lives only until the next step: copy it.
                data?.withUnsafeBytes { raw in raw.baseAddress.map { Data(bytes: $0, count: raw.count) } } ?? Data()
            }
            let metadata = try row.withUnsafeData(atIndex: 6) { try MetadataCoding.decode($0 ?? Data(), position: position) }
            events.append(RecordedEvent(
                position: position, streamId: row[1], streamVersion: row[2], type: row[3], schemaVersion: row[4],
                payload: payload, metadata: metadata, recordedAt: recordedAt
            ))
        }
        return events
    }
}

extension SQLiteEventStore {
    /// Every recorded command id (what `marquee copy` carries to another store).
    public func allCommands() throws(EventStoreError) -> [RecordedCommand] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT id, positions, recorded_at FROM commands ORDER BY id").map { row in
                    let positions: String = row[1]
                    return RecordedCommand(id: row[0], positions: positions.split(separator: ",").compactMap { Int64($0) }, recordedAt: row[2])
                }
            }
        }
    }

    /// Every stored snapshot.
    public func allSnapshots() throws(EventStoreError) -> [Snapshot] {
        try guarded {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT stream_id, stream_version, type, schema_version, payload FROM snapshots ORDER BY stream_id").map { row in
                    Snapshot(stream: row[0], version: row[1], type: row[2], schemaVersion: row[3], payload: row[4])
                }
            }
        }
    }

    /// Every store-wide setting (the clock among them).
    public func allInfo() throws(EventStoreError) -> [String: String] {
        try guarded {
            try database.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM store_info").map { ($0[0], $0[1]) }, uniquingKeysWith: { $1 })
            }
        }
    }
}
