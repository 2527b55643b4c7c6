import Foundation
import Synchronization

/// Read models, checkpoints and failures kept in memory beside the in-memory log.
final class InMemoryReadModels: Sendable {
    struct State {
        var tables: [String: [String: Data]] = [:]
        var failures: [FailureRecord] = []
    }

    let state = Mutex(State())
}

extension InMemoryEventStore: ReadModelStorage {
    public func loadRows(of model: String) throws(EventStoreError) -> (rows: [String: Data], checkpoint: Int64) {
        let checkpoint = try checkpoint(of: model)
        return (readModels.state.withLock { $0.tables[model] ?? [:] }, checkpoint)
    }

    public func persist(
        _ model: String, rows: [String: Data], deleted: Set<String>, checkpoint: Int64
    ) throws(EventStoreError) -> Bool {
        guard try self.checkpoint(of: model) < checkpoint else { return false }
        readModels.state.withLock { state in
            for key in deleted { state.tables[model, default: [:]][key] = nil }
            for (key, value) in rows { state.tables[model, default: [:]][key] = value }
        }
        try saveCheckpoint(checkpoint, of: model)
        return true
    }

    public func update(
        _ model: String, through checkpoint: Int64,
        _ fold: (_ stored: Int64, _ read: (String) throws -> Data?) throws -> (rows: [String: Data], deleted: Set<String>)
    ) throws(EventStoreError) -> Bool {
        let stored = try self.checkpoint(of: model)
        guard stored < checkpoint else { return false }
        let table = readModels.state.withLock { $0.tables[model] ?? [:] }
        let changes: (rows: [String: Data], deleted: Set<String>)
        do { changes = try fold(stored) { table[$0] } } catch { throw .storage("cannot fold \(model): \(error)") }
        return try persist(model, rows: changes.rows, deleted: changes.deleted, checkpoint: checkpoint)
    }

    public func replaceRows(of model: String, with rows: [String: Data], checkpoint: Int64) throws(EventStoreError) -> Int64? {
        let stored = try self.checkpoint(of: model)
        if stored > checkpoint { return stored }
        readModels.state.withLock { $0.tables[model] = rows }
        try saveCheckpoint(checkpoint, of: model)
        return nil
    }

    public func recordFailure(_ failure: FailureRecord) throws(EventStoreError) -> FailureRecord {
        readModels.state.withLock { state in
            if let index = state.failures.firstIndex(where: {
                $0.subscriber == failure.subscriber && $0.position == failure.position && $0.resolvedAt == nil
            }) {
                var record = failure
                record.id = state.failures[index].id
                state.failures[index] = record
                return record
            }
            var record = failure
            record.id = Int64(state.failures.count + 1)
            state.failures.append(record)
            return record
        }
    }

    public func failures(includeResolved: Bool) throws(EventStoreError) -> [FailureRecord] {
        readModels.state.withLock { state in state.failures.filter { includeResolved || $0.resolvedAt == nil } }
    }

    public func resolveFailure(id: Int64, resolution: String, at: Date) throws(EventStoreError) {
        readModels.state.withLock { state in
            for index in state.failures.indices where state.failures[index].id == id && state.failures[index].resolvedAt == nil {
                state.failures[index].resolvedAt = at
                state.failures[index].resolution = resolution
            }
        }
    }

    public func skip(subscriber: String, position: Int64, failureId: Int64, at: Date) throws(EventStoreError) {
        if try checkpoint(of: subscriber) < position { try saveCheckpoint(position, of: subscriber) }
        try resolveFailure(id: failureId, resolution: "skipped", at: at)
    }
}
