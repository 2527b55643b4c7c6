import EventStore
import Foundation
import PostgresNIO

/// A write transaction's view of a PostgreSQL store: valid only inside `transaction`'s body,
/// which holds the log lock, so nobody else writes until it commits.
///
/// Every statement is a round trip to the server and a wait for the writer, so under the lock
/// it makes as few as it can:
/// - the look at what other processes wrote fetches those events themselves, and a snapshot
///   look-up fetches the stream's events after the snapshot, so the catch-up read that follows
///   either is answered from memory;
/// - the streams a batch will load are fetched together when the writer says which (`prefetch`);
/// - the command ids of a whole batch are looked up in one query;
/// - appends are numbered here (the head is known under the lock) and kept until the body
///   returns, then written with their command ids and the NOTIFY in one statement. Reads,
///   `streams(writtenAfter:)` and `recordedCommand` see them meanwhile. A version that turns out
///   to be taken fails that statement; the writer abandons the transaction as before.
final class WriteTransaction: EventStoreTransaction {
    private let session: Session
    private let store: PostgresEventStore
    private var open = true
    private(set) var head: Int64
    /// Per stream: every stored event of it from version `from` on, as of the lock.
    private var fetched: [String: (from: Int64, events: [RecordedEvent])] = [:]
    /// Snapshots fetched ahead (nil: the stream has none), each handed out once.
    private var snapshots: [String: Snapshot?] = [:]
    /// Appended here and not written yet, in position order and per stream.
    private var appended: [RecordedEvent] = []
    private var appendedByStream: [String: [RecordedEvent]] = [:]
    private var commands: [(id: String, positions: [Int64], recordedAt: String)] = []
    private var commandPositions: [String: [Int64]] = [:]
    /// Each write appended, with the version it vouched for: to name the stream that was taken.
    private var vouched: [(stream: String, expected: ExpectedVersion, base: Int64)] = []

    /// The most events `streams(writtenAfter:)` fetches; past that it only names the streams.
    static let fetchLimit = 1_000

    init(session: Session, store: PostgresEventStore) throws(EventStoreError) {
        self.session = session
        self.store = store
        head = try PostgresEventStore.head(session)
    }

    private func live() throws(EventStoreError) -> Session {
        guard open else { throw .storage("a write transaction was used after it ended") }
        return session
    }

    func close() { open = false }

    func headPosition() throws(EventStoreError) -> Int64 {
        _ = try live()
        return head
    }

    func streams(writtenAfter position: Int64) throws(EventStoreError) -> Set<String> {
        let session = try live()
        var streams = Set(appended.lazy.filter { $0.position > position }.map(\.streamId))
        let stored = try PostgresEventStore.events(after: position, limit: Self.fetchLimit + 1, session)
        if stored.count > Self.fetchLimit {
            for row in try session.query("SELECT DISTINCT stream_id FROM events WHERE position > \(position)") {
                streams.insert(try decode(row, String.self))
            }
            return streams
        }
        var byStream: [String: [RecordedEvent]] = [:]
        for event in stored { byStream[event.streamId, default: []].append(event) }
        for (stream, events) in byStream { fetched[stream] = (events[0].streamVersion, events) }
        return streams.union(byStream.keys)
    }

    func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] {
        let session = try live()
        let mine = appendedByStream[stream] ?? []
        var events: [RecordedEvent]
        if let known = fetched[stream], version >= known.from {
            events = known.events.filter { $0.streamVersion >= version }
        } else if let first = mine.first, version >= first.streamVersion {
            events = []
        } else {
            events = try PostgresEventStore.events(of: stream, fromVersion: version, session)
        }
        events.append(contentsOf: mine.lazy.filter { $0.streamVersion >= version })
        return events
    }

    func prefetch(streams: [String]) throws(EventStoreError) {
        let wanted = streams.filter { snapshots[$0] == nil }
        guard !wanted.isEmpty else { return }
        for (stream, (snapshot, events)) in try PostgresEventStore.snapshotsAndEvents(of: wanted, try live()) {
            snapshots[stream] = .some(snapshot)
            fetched[stream] = ((snapshot?.version ?? 0) + 1, events)
        }
    }

    func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? {
        if let index = snapshots.index(forKey: stream) {
            defer { snapshots.remove(at: index) }
            return snapshots[index].value
        }
        let (snapshot, events) = try PostgresEventStore.snapshotsAndEvents(of: [stream], try live())[stream] ?? (nil, [])
        fetched[stream] = ((snapshot?.version ?? 0) + 1, events)
        return snapshot
    }

    func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? {
        try recordedCommands([commandId])[commandId]
    }

    func recordedCommands(_ commandIds: [String]) throws(EventStoreError) -> [String: [Int64]] {
        let session = try live()
        var found: [String: [Int64]] = [:]
        var unknown: [String] = []
        for id in commandIds {
            if let positions = commandPositions[id] { found[id] = positions } else { unknown.append(id) }
        }
        guard !unknown.isEmpty else { return found }
        for row in try session.query("SELECT id, positions FROM commands WHERE id = ANY(\(unknown)::text[])") {
            let (id, positions) = try decode(row, (String, String).self)
            found[id] = positions.split(separator: ",").compactMap { Int64($0) }
        }
        return found
    }

    func append(_ request: AppendRequest) throws(EventStoreError) -> [Int64] {
        _ = try live()
        let recordedAt = Timestamp.rounded(request.recordedAt)
        var positions: [Int64] = []
        for write in request.writes where !write.events.isEmpty {
            let base: Int64 = switch write.expected {
            case .noStream: 0
            case .exact(let version): version
            case .any: try currentVersion(of: write.stream)
            }
            vouched.append((write.stream, write.expected, base))
            var version = base
            for event in write.events {
                version += 1
                head += 1
                let recorded = RecordedEvent(
                    position: head, streamId: write.stream, streamVersion: version, type: event.type, schemaVersion: event.schemaVersion,
                    payload: event.payload, metadata: event.metadata, recordedAt: recordedAt
                )
                appended.append(recorded)
                appendedByStream[write.stream, default: []].append(recorded)
                positions.append(head)
            }
        }
        if let id = request.commandId {
            commands.append((id, positions, Timestamp.string(request.recordedAt)))
            commandPositions[id] = positions
        }
        return positions
    }

    /// A stream's version counting what this transaction appended.
    private func currentVersion(of stream: String) throws(EventStoreError) -> Int64 {
        if let last = appendedByStream[stream]?.last { return last.streamVersion }
        return try PostgresEventStore.version(of: stream, try live())
    }

    func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError) {
        try PostgresEventStore.save(snapshot, try live())
    }

    /// Writes what was appended (events, command ids) and notifies listeners, in one
    /// statement; then the transaction can commit.
    func flush() throws(EventStoreError) {
        let session = try live()
        open = false
        guard !appended.isEmpty || !commands.isEmpty else { return }
        let written = try session.insert("""
            WITH e AS (
                INSERT INTO events (position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at)
                SELECT * FROM unnest(\(appended.map(\.position))::int8[], \(appended.map(\.streamId))::text[], \(appended.map(\.streamVersion))::int8[],
                    \(appended.map(\.type))::text[], \(appended.map { Int32($0.schemaVersion) })::int4[],
                    \(appended.map { String(decoding: $0.payload, as: UTF8.self) })::text[], \(appended.map { MetadataCoding.encode($0.metadata) })::text[],
                    \(appended.map { Timestamp.string($0.recordedAt) })::text[])
            ), c AS (
                INSERT INTO commands (id, positions, recorded_at)
                SELECT * FROM unnest(\(commands.map(\.id))::text[], \(commands.map { $0.positions.map(String.init).joined(separator: ",") })::text[],
                    \(commands.map(\.recordedAt))::text[])
            )
            SELECT pg_notify(\(PostgresEventStore.channel), \(String(head))) WHERE \(!appended.isEmpty)
            """)
        guard written else { throw try taken() }
    }

    /// The first write whose vouched version was taken, read on another connection (this
    /// transaction is aborted; the lock is still held, so nothing moves meanwhile).
    private func taken() throws(EventStoreError) -> EventStoreError {
        for write in vouched {
            let actual = try store.version(of: write.stream)
            if actual != write.base { return .wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual) }
        }
        let first = vouched.first
        return .wrongExpectedVersion(stream: first?.stream ?? "?", expected: first?.expected ?? .any, actual: -1)
    }
}
