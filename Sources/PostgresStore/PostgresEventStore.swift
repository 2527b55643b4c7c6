import EventStore
import Foundation
import PostgresNIO

/// The event store in a PostgreSQL database, shared by box offices on several machines.
///
/// Every append runs in a transaction that first takes the store's log lock (an advisory
/// `pg_advisory_xact_lock`, `WriteLock.log`), held until it commits. That one lock gives both
/// promises SQLite's `BEGIN IMMEDIATE` gives:
/// - **positions become visible in order.** A writer reads the head and numbers its events
///   itself while holding the lock, and PostgreSQL makes a commit visible before it releases the
///   transaction's locks, so when position N can be read every position below it can be too
///   (a `BIGSERIAL` alone would let a reader skip an event committed late);
/// - **no command gives up.** The command writer re-reads and re-decides inside the lock, so
///   another process's append is seen, never lost in a race; a lock wait past the deadline is
///   `busy`, as on SQLite.
/// Read-model commits, rebuild swaps and skips take a second lock of their own
/// (`WriteLock.readModels`): they never append, so projections and commands do not wait for each
/// other (on SQLite both share the one write lock). Readers take neither: they read committed
/// rows on connections of their own.
public final class PostgresEventStore: EventStore, ReadModelStorage {
    public let url: PostgresURL
    let connections: Connections
    /// Key of the lock that serialises creating and migrating the schema ("MRQS").
    static let schemaLockKey: Int64 = 0x4D52_5153
    /// Channel told of every commit that appended events (payload: the new head).
    public static let channel = "marquee_events"

    /// Opens the store in the database `url` names, creating its tables when the database is
    /// empty and `create` is true (and not `readOnly`).
    ///
    /// - Important: a database holding tables that are not a Marquee store's, or a store written
    ///   by a newer Marquee, is refused before anything is written to it.
    public init(url: PostgresURL, readOnly: Bool = false, create: Bool = true, busyTimeout: TimeInterval = 5) throws(EventStoreError) {
        self.url = url
        connections = Connections(url: url, readOnly: readOnly, lockTimeout: busyTimeout)
        try connections.with { session throws(EventStoreError) in
            try PostgresSchema.prepare(session, create: create && !readOnly, readOnly: readOnly)
        }
    }

    static let columns = "position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at"

    // MARK: - Appending

    public func append(_ requests: [AppendRequest]) throws(EventStoreError) -> [Result<AppendOutcome, EventStoreError>] {
        guard !requests.isEmpty else { return [] }
        return try connections.with { session throws(EventStoreError) in
            try session.transaction(lock: .log) { () throws(EventStoreError) in
                var writer = try Writer(session: session)
                var results: [Result<AppendOutcome, EventStoreError>] = []
                var tainted = BatchTaint()
                for request in requests {
                    let refusal: EventStoreError?
                    do { refusal = try tainted.refusal(for: request, actual: { stream in try writer.version(of: stream) }) } catch {
                        throw (error as? EventStoreError) ?? .storage("\(error)")
                    }
                    if let refusal {
                        results.append(.failure(refusal))
                        continue
                    }
                    // Versions are checked before anything is written, under the lock: a refused
                    // request writes nothing, so no savepoint is needed.
                    let outcome = try writer.appendChecked(request)
                    tainted.record(outcome, of: request)
                    results.append(outcome)
                }
                try writer.notify()
                return results
            }
        }
    }

    public func transaction<T>(_ body: (any EventStoreTransaction) throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        try connections.with { session throws(EventStoreError) in
            try session.transaction(lock: .log) { () throws(EventStoreError) in
                let transaction = try WriteTransaction(session: session, store: self)
                defer { transaction.close() }
                let result = try body(transaction)
                try transaction.flush()
                return result
            }
        }
    }

    // MARK: - Reading

    public func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] {
        try connections.with { session throws(EventStoreError) in try Self.events(of: stream, fromVersion: version, session) }
    }

    static func events(of stream: String, fromVersion version: Int64, _ session: Session) throws(EventStoreError) -> [RecordedEvent] {
        try events(session.query("""
            SELECT \(unescaped: columns) FROM events WHERE stream_id = \(stream) AND stream_version >= \(version) ORDER BY stream_version
            """), url: session.url)
    }

    public func readAll(after position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        try connections.with { session throws(EventStoreError) in try Self.events(after: position, limit: limit, session) }
    }

    static func events(after position: Int64, limit: Int, _ session: Session) throws(EventStoreError) -> [RecordedEvent] {
        try events(session.query("SELECT \(unescaped: columns) FROM events WHERE position > \(position) ORDER BY position LIMIT \(Int64(limit))"), url: session.url)
    }

    public func headPosition() throws(EventStoreError) -> Int64 {
        try connections.with { session throws(EventStoreError) in try Self.head(session) }
    }

    static func head(_ session: Session) throws(EventStoreError) -> Int64 {
        try single(session.query("SELECT coalesce(max(position), 0)::int8 FROM events"), Int64.self) ?? 0
    }

    public func version(of stream: String) throws(EventStoreError) -> Int64 {
        try connections.with { session throws(EventStoreError) in try Self.version(of: stream, session) }
    }

    static func version(of stream: String, _ session: Session) throws(EventStoreError) -> Int64 {
        try single(session.query("SELECT coalesce(max(stream_version), 0)::int8 FROM events WHERE stream_id = \(stream)"), Int64.self) ?? 0
    }

    public func statistics(since: Date) throws(EventStoreError) -> StoreStatistics {
        try connections.with { session throws(EventStoreError) in
            var byType: [String: Int64] = [:]
            for row in try session.query("SELECT type, count(*)::int8 FROM events GROUP BY type") {
                let (type, count) = try decode(row, (String, Int64).self)
                byType[type] = count
            }
            // recorded_at is ISO 8601 UTC text, so text order (COLLATE "C") is time order.
            let recent = try single(session.query(
                "SELECT count(*)::int8 FROM events WHERE recorded_at COLLATE \"C\" >= \(Timestamp.string(since))"), Int64.self) ?? 0
            return StoreStatistics(head: try Self.head(session), events: byType.values.reduce(0, +), byType: byType, since: recent)
        }
    }

    public func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? {
        try connections.with { session throws(EventStoreError) in try Self.recordedCommand(commandId, session) }
    }

    static func recordedCommand(_ commandId: String, _ session: Session) throws(EventStoreError) -> [Int64]? {
        try single(session.query("SELECT positions FROM commands WHERE id = \(commandId)"), String.self)
            .map { $0.split(separator: ",").compactMap { Int64($0) } }
    }

    public func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError) {
        try connections.with { session throws(EventStoreError) in try Self.save(snapshot, session) }
    }

    static func save(_ snapshot: Snapshot, _ session: Session) throws(EventStoreError) {
        try session.query("""
            INSERT INTO snapshots (stream_id, stream_version, type, schema_version, payload)
            VALUES (\(snapshot.stream), \(snapshot.version), \(snapshot.type), \(Int32(snapshot.schemaVersion)), \(ByteBuffer(bytes: snapshot.payload)))
            ON CONFLICT (stream_id) DO UPDATE SET stream_version = excluded.stream_version, type = excluded.type,
                schema_version = excluded.schema_version, payload = excluded.payload
            WHERE excluded.stream_version > snapshots.stream_version
            """)
    }

    public func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? {
        try connections.with { session throws(EventStoreError) in try Self.snapshot(of: stream, session) }
    }

    static func snapshot(of stream: String, _ session: Session) throws(EventStoreError) -> Snapshot? {
        guard let row = try session.query("""
            SELECT stream_version, type, schema_version, payload FROM snapshots WHERE stream_id = \(stream)
            """).first(where: { _ in true }) else { return nil }
        let (version, type, schema, payload) = try decode(row, (Int64, String, Int32, Data).self)
        return Snapshot(stream: stream, version: version, type: type, schemaVersion: Int(schema), payload: payload)
    }

    public func info(_ key: String) throws(EventStoreError) -> String? {
        try connections.with { session throws(EventStoreError) in try Self.info(key, session) }
    }

    static func info(_ key: String, _ session: Session) throws(EventStoreError) -> String? {
        try single(session.query("SELECT value FROM store_info WHERE key = \(key)"), String.self)
    }

    public func setInfoIfAbsent(_ key: String, _ value: String) throws(EventStoreError) -> String {
        try connections.with { session throws(EventStoreError) in
            try session.query("INSERT INTO store_info (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING")
            return try Self.info(key, session) ?? value
        }
    }

    public func checkpoint(of subscriber: String) throws(EventStoreError) -> Int64 {
        try connections.with { session throws(EventStoreError) in try Self.checkpoint(of: subscriber, session) }
    }

    static func checkpoint(of subscriber: String, _ session: Session) throws(EventStoreError) -> Int64 {
        try single(session.query("SELECT position FROM checkpoints WHERE subscriber = \(subscriber)"), Int64.self) ?? 0
    }

    public func saveCheckpoint(_ position: Int64, of subscriber: String) throws(EventStoreError) {
        try connections.with { session throws(EventStoreError) in try Self.setCheckpoint(subscriber, position, session) }
    }

    static func setCheckpoint(_ subscriber: String, _ position: Int64, _ session: Session) throws(EventStoreError) {
        try session.query("""
            INSERT INTO checkpoints (subscriber, position) VALUES (\(subscriber), \(position))
            ON CONFLICT (subscriber) DO UPDATE SET position = excluded.position
            """)
    }

    static func events(_ rows: PostgresQueryResult, url: PostgresURL) throws(EventStoreError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            let (position, stream, version, type, schema, payload, metadata, recorded) = try decode(
                row, (Int64, String, Int64, String, Int32, Data, Data, String).self)
            events.append(try event(position, stream, version, type, schema, payload, metadata, recorded, url: url))
        }
        return events
    }

    /// One event from its columns.
    static func event(
        _ position: Int64, _ stream: String, _ version: Int64, _ type: String, _ schema: Int32, _ payload: Data, _ metadata: Data, _ recorded: String,
        url: PostgresURL
    ) throws(EventStoreError) -> RecordedEvent {
        guard let recordedAt = Timestamp.date(recorded) else {
            throw .corrupt(path: url.description, detail: "event at position \(position) has an unreadable time \"\(recorded)\"")
        }
        let decoded: EventMetadata
        do { decoded = try MetadataCoding.decode(metadata, position: position) } catch {
            throw (error as? EventStoreError) ?? .storage("\(error)")
        }
        return RecordedEvent(
            position: position, streamId: stream, streamVersion: version, type: type, schemaVersion: Int(schema),
            payload: payload, metadata: decoded, recordedAt: recordedAt
        )
    }

    /// Each stream's snapshot and every event after it, in one round trip: one row per event
    /// (the snapshot's columns on a stream's first only), or a row of NULL events for a stream
    /// without any. Every stream asked for is in the answer.
    static func snapshotsAndEvents(of streams: [String], _ session: Session) throws(EventStoreError) -> [String: (Snapshot?, [RecordedEvent])] {
        let rows = try session.query("""
            SELECT k.id, s.stream_version, s.type, s.schema_version,
                CASE WHEN e.stream_version IS NULL OR e.stream_version = coalesce(s.stream_version, 0) + 1 THEN s.payload END,
                e.position, e.stream_version, e.type, e.schema_version, e.payload, e.metadata, e.recorded_at
            FROM unnest(\(streams)::text[]) AS k(id)
            LEFT JOIN snapshots s ON s.stream_id = k.id
            LEFT JOIN LATERAL (
                SELECT position, stream_version, type, schema_version, payload, metadata, recorded_at FROM events
                WHERE stream_id = k.id AND stream_version > coalesce(s.stream_version, 0) ORDER BY stream_version
            ) e ON true
            ORDER BY k.id, e.stream_version
            """)
        var found: [String: (Snapshot?, [RecordedEvent])] = [:]
        for stream in streams { found[stream] = (nil, []) }
        for row in rows {
            let (stream, snapshotVersion, snapshotType, snapshotSchema, snapshotPayload, position, version, type, schema, payload, metadata, recorded) = try decode(
                row, (String, Int64?, String?, Int32?, Data?, Int64?, Int64?, String?, Int32?, Data?, Data?, String?).self)
            if found[stream]?.0 == nil, let snapshotVersion, let snapshotType, let snapshotSchema, let snapshotPayload {
                found[stream]?.0 = Snapshot(stream: stream, version: snapshotVersion, type: snapshotType, schemaVersion: Int(snapshotSchema), payload: snapshotPayload)
            }
            guard let position, let version, let type, let schema, let payload, let metadata, let recorded else { continue }
            found[stream]?.1.append(try event(position, stream, version, type, schema, payload, metadata, recorded, url: session.url))
        }
        return found
    }
}

/// What one write transaction appends: it knows the head (read once, under the lock) and
/// numbers events from it.
struct Writer {
    let session: Session
    private(set) var head: Int64
    private var appended = false

    init(session: Session) throws(EventStoreError) {
        self.session = session
        head = try PostgresEventStore.head(session)
    }

    func version(of stream: String) throws(EventStoreError) -> Int64 {
        try PostgresEventStore.version(of: stream, session)
    }

    /// Appends a request unless its command id is recorded or a stream is not at its expected version.
    mutating func appendChecked(_ request: AppendRequest) throws(EventStoreError) -> Result<AppendOutcome, EventStoreError> {
        if let id = request.commandId, let positions = try PostgresEventStore.recordedCommand(id, session) {
            return .success(.duplicate(positions: positions))
        }
        var bases: [String: Int64] = [:]
        for write in request.writes {
            let actual = try version(of: write.stream)
            guard write.expected.admits(actual) else {
                return .failure(.wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual))
            }
            bases[write.stream] = actual
        }
        guard let positions = try insert(request, at: bases) else {
            throw .storage("an append broke the stream-version constraint while holding the write lock")
        }
        return .success(.appended(positions: positions))
    }

    /// Inserts a request's events after the given stream versions and records its command id,
    /// in one statement each; nil when a stream version was taken (a unique violation).
    mutating func insert(_ request: AppendRequest, at bases: [String: Int64]) throws(EventStoreError) -> [Int64]? {
        let recordedAt = Timestamp.string(request.recordedAt)
        var positions: [Int64] = [], streams: [String] = [], versions: [Int64] = [], types: [String] = []
        var schemas: [Int32] = [], payloads: [String] = [], metadata: [String] = []
        var next = bases
        for write in request.writes {
            for event in write.events {
                let version = (next[write.stream] ?? 0) + 1
                next[write.stream] = version
                positions.append(head + Int64(positions.count) + 1)
                streams.append(write.stream)
                versions.append(version)
                types.append(event.type)
                schemas.append(Int32(event.schemaVersion))
                payloads.append(String(decoding: event.payload, as: UTF8.self))
                metadata.append(MetadataCoding.encode(event.metadata))
            }
        }
        if !positions.isEmpty {
            let inserted = try session.insert("""
                INSERT INTO events (position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at)
                SELECT p, s, v, t, sv, pl, m, \(recordedAt) FROM unnest(\(positions)::int8[], \(streams)::text[], \(versions)::int8[],
                    \(types)::text[], \(schemas)::int4[], \(payloads)::text[], \(metadata)::text[]) AS e(p, s, v, t, sv, pl, m)
                """)
            guard inserted else { return nil }
            head += Int64(positions.count)
            appended = true
        }
        if let id = request.commandId {
            try session.query("""
                INSERT INTO commands (id, positions, recorded_at) VALUES (\(id), \(positions.map(String.init).joined(separator: ",")), \(recordedAt))
                """)
        }
        return positions
    }

    /// Tells listening processes that the log grew; delivered when the transaction commits.
    func notify() throws(EventStoreError) {
        guard appended else { return }
        try session.query("SELECT pg_notify(\(PostgresEventStore.channel), \(String(head)))")
    }
}

/// The first column of the first row, if any.
func single<T: PostgresDecodable>(_ rows: PostgresQueryResult, _ type: T.Type) throws(EventStoreError) -> T? where T._DecodableType == T {
    guard let row = rows.first(where: { _ in true }) else { return nil }
    do { return try row.decode(T?.self) } catch { throw .storage("unexpected column in a store row: \(String(reflecting: error).prefix(200))") }
}

func decode<each Column: PostgresDecodable>(_ row: PostgresRow, _ type: (repeat each Column).Type) throws(EventStoreError) -> (repeat each Column) {
    do { return try row.decode(type) } catch { throw .storage("unexpected column in a store row: \(String(reflecting: error).prefix(200))") }
}

extension PostgresEventStore: AppendNotifying {
    /// Listens on `marquee_events` on a connection of its own, kept until the store is released;
    /// every writer's commit notifies the channel (see `Writer.notify`).
    @discardableResult
    public func whenAppended(_ handler: @escaping @Sendable () -> Void) -> Bool {
        guard let connection = try? connections.open() else { return false }
        connection.addListener(channel: Self.channel) { _, _ in handler() }
        do {
            _ = try connection.query("LISTEN \(unescaped: Self.channel)", logger: Connections.quiet).wait()
        } catch {
            try? (connection.close() as EventLoopFuture<Void>).wait()
            return false
        }
        connections.keepListening(connection)
        return true
    }
}
