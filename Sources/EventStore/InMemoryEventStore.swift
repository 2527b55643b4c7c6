import Foundation
import Faults
import Synchronization

/// An event store in memory, for tests and throwaway runs; same contract as the SQLite store.
public final class InMemoryEventStore: EventStore {
    fileprivate struct State {
        var events: [RecordedEvent] = []
        var streams: [String: [Int]] = [:]
        var commands: [String: [Int64]] = [:]
        var snapshots: [String: Snapshot] = [:]
        var checkpoints: [String: Int64] = [:]
        var info: [String: String] = [:]
    }

    private let state = Mutex(State())
    /// Held by a transaction from start to commit and by every append, so nothing is appended
    /// between what a transaction read and what it appends.
    private let writeLock = NSLock()
    let readModels = InMemoryReadModels()
    /// Deliberate defects in force (tests only; always empty in a normal run).
    let faults = Faults.active

    public init() {}

    public func append(_ requests: [AppendRequest]) throws(EventStoreError) -> [Result<AppendOutcome, EventStoreError>] {
        writeLock.lock()
        defer { writeLock.unlock() }
        return state.withLock { state in
            var tainted = BatchTaint()
            return requests.map { request in
                if let refusal = tainted.refusal(for: request, actual: { Int64(state.streams[$0]?.count ?? 0) }) { return .failure(refusal) }
                let outcome = Self.appendOne(request, &state)
                tainted.record(outcome, of: request)
                return outcome
            }
        }
    }

    private static func appendOne(_ request: AppendRequest, _ state: inout State) -> Result<AppendOutcome, EventStoreError> {
        if let id = request.commandId, let positions = state.commands[id] { return .success(.duplicate(positions: positions)) }
        for write in request.writes {
            let actual = Int64(state.streams[write.stream]?.count ?? 0)
            guard write.expected.admits(actual) else {
                return .failure(.wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual))
            }
        }
        let recorded = Self.recorded(request, after: Int64(state.events.count)) { Int64(state.streams[$0]?.count ?? 0) }
        state.add(recorded, command: request.commandId)
        return .success(.appended(positions: recorded.map(\.position)))
    }

    /// A request's events as they are recorded after `head`, each stream continuing from `version`.
    private static func recorded(_ request: AppendRequest, after head: Int64, version: (String) -> Int64) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        var versions: [String: Int64] = [:]
        for write in request.writes {
            for event in write.events {
                let version = (versions[write.stream] ?? version(write.stream)) + 1
                versions[write.stream] = version
                events.append(RecordedEvent(
                    position: head + Int64(events.count) + 1, streamId: write.stream, streamVersion: version, type: event.type,
                    schemaVersion: event.schemaVersion, payload: event.payload, metadata: event.metadata,
                    recordedAt: Timestamp.rounded(request.recordedAt)
                ))
            }
        }
        return events
    }

    public func transaction<T>(_ body: (any EventStoreTransaction) throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        let transaction = Transaction(store: self, head: state.withLock { Int64($0.events.count) })
        let result = try body(transaction)
        let (events, commands, snapshots) = (transaction.appended, transaction.commands, transaction.snapshots)
        state.withLock { state in
            state.add(events, command: nil)
            state.commands.merge(commands) { _, new in new }
            for snapshot in snapshots.values where (state.snapshots[snapshot.stream]?.version ?? 0) < snapshot.version {
                state.snapshots[snapshot.stream] = snapshot
            }
        }
        return result
    }

    /// A transaction keeps what it writes to itself until it commits; the store's write lock
    /// keeps everyone else's appends out meanwhile.
    private final class Transaction: EventStoreTransaction {
        let store: InMemoryEventStore
        let head: Int64
        var appended: [RecordedEvent] = []
        var commands: [String: [Int64]] = [:]
        var snapshots: [String: Snapshot] = [:]

        init(store: InMemoryEventStore, head: Int64) {
            self.store = store
            self.head = head
        }

        func headPosition() -> Int64 { head + Int64(appended.count) }

        func streams(writtenAfter position: Int64) -> Set<String> {
            let committed = store.state.withLock { state in
                Set(state.events[Int(min(max(position, 0), head))...].map(\.streamId))
            }
            return committed.union(appended.filter { $0.position > position }.map(\.streamId))
        }

        func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] {
            try store.read(stream: stream, fromVersion: version) + appended.filter { $0.streamId == stream && $0.streamVersion >= version }
        }

        func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? {
            if let snapshot = snapshots[stream] { return snapshot }
            return try store.loadSnapshot(stream: stream)
        }

        func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? {
            if let positions = commands[commandId] { return positions }
            return try store.recordedCommand(commandId)
        }

        func saveSnapshot(_ snapshot: Snapshot) {
            if (snapshots[snapshot.stream]?.version ?? 0) < snapshot.version { snapshots[snapshot.stream] = snapshot }
        }

        func append(_ request: AppendRequest) throws(EventStoreError) -> [Int64] {
            let checking = !store.faults.contains(.skipVersionCheck)
            for write in request.writes where !write.events.isEmpty {
                let actual = try version(of: write.stream)
                let base: Int64 = switch (checking, write.expected) {
                case (true, .noStream): 0
                case (true, .exact(let version)): version
                default: actual
                }
                // The store's `UNIQUE(stream_id, stream_version)`: a version already taken.
                guard base == actual else { throw .wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual) }
            }
            var versions: [String: Int64] = [:]
            for write in request.writes { versions[write.stream] = try version(of: write.stream) }
            let events = InMemoryEventStore.recorded(request, after: headPosition()) { versions[$0] ?? 0 }
            appended += events
            if let id = request.commandId { commands[id] = events.map(\.position) }
            return events.map(\.position)
        }

        private func version(of stream: String) throws(EventStoreError) -> Int64 {
            try store.version(of: stream) + Int64(appended.count { $0.streamId == stream })
        }
    }

    public func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] {
        state.withLock { state in
            let indexes = state.streams[stream] ?? []
            let first = Int(max(version, 1)) - 1
            guard first < indexes.count else { return [] }
            return indexes[first...].map { state.events[$0] }
        }
    }

    public func readAll(after position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        state.withLock { state in
            let start = Int(max(position, 0))
            guard start < state.events.count, limit > 0 else { return [] }
            return Array(state.events[start..<min(start + limit, state.events.count)])
        }
    }

    public func headPosition() throws(EventStoreError) -> Int64 {
        state.withLock { Int64($0.events.count) }
    }

    public func version(of stream: String) throws(EventStoreError) -> Int64 {
        state.withLock { Int64($0.streams[stream]?.count ?? 0) }
    }

    public func statistics(since: Date) throws(EventStoreError) -> StoreStatistics {
        state.withLock { state in
            var byType: [String: Int64] = [:]
            for event in state.events { byType[event.type, default: 0] += 1 }
            let recent = state.events.filter { $0.recordedAt >= since }.count
            return StoreStatistics(head: Int64(state.events.count), events: Int64(state.events.count), byType: byType, since: Int64(recent))
        }
    }

    public func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? {
        state.withLock { $0.commands[commandId] }
    }

    public func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError) {
        state.withLock { state in
            if let existing = state.snapshots[snapshot.stream], existing.version >= snapshot.version { return }
            state.snapshots[snapshot.stream] = snapshot
        }
    }

    public func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? {
        state.withLock { $0.snapshots[stream] }
    }

    public func info(_ key: String) throws(EventStoreError) -> String? {
        state.withLock { $0.info[key] }
    }

    public func setInfoIfAbsent(_ key: String, _ value: String) throws(EventStoreError) -> String {
        state.withLock { state in
            if let existing = state.info[key] { return existing }
            state.info[key] = value
            return value
        }
    }

    public func checkpoint(of subscriber: String) throws(EventStoreError) -> Int64 {
        state.withLock { $0.checkpoints[subscriber] ?? 0 }
    }

    public func saveCheckpoint(_ position: Int64, of subscriber: String) throws(EventStoreError) {
        state.withLock { $0.checkpoints[subscriber] = position }
    }
}

extension InMemoryEventStore.State {
    /// Records events (positions and versions already assigned) and the command that wrote them.
    fileprivate mutating func add(_ recorded: [RecordedEvent], command: String?) {
        for event in recorded {
            streams[event.streamId, default: []].append(events.count)
            events.append(event)
        }
        if let command { commands[command] = recorded.map(\.position) }
    }
}
