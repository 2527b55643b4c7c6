import Foundation
import Synchronization

/// An event store in memory, for tests and throwaway runs; same contract as the SQLite store.
public final class InMemoryEventStore: EventStore {
    private struct State {
        var events: [RecordedEvent] = []
        var streams: [String: [Int]] = [:]
        var commands: [String: [Int64]] = [:]
        var snapshots: [String: Snapshot] = [:]
        var checkpoints: [String: Int64] = [:]
        var info: [String: String] = [:]
    }

    private let state = Mutex(State())
    let readModels = InMemoryReadModels()

    public init() {}

    public func append(_ requests: [AppendRequest]) throws(EventStoreError) -> [Result<AppendOutcome, EventStoreError>] {
        state.withLock { state in
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
        var positions: [Int64] = []
        for write in request.writes {
            for event in write.events {
                let position = Int64(state.events.count + 1)
                let version = Int64((state.streams[write.stream]?.count ?? 0) + 1)
                state.streams[write.stream, default: []].append(state.events.count)
                state.events.append(RecordedEvent(
                    position: position, streamId: write.stream, streamVersion: version, type: event.type,
                    schemaVersion: event.schemaVersion, payload: event.payload, metadata: event.metadata,
                    recordedAt: Timestamp.rounded(request.recordedAt)
                ))
                positions.append(position)
            }
        }
        if let id = request.commandId { state.commands[id] = positions }
        return .success(.appended(positions: positions))
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
