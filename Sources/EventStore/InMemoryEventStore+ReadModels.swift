import Foundation
import Synchronization

/// Read models, checkpoints and failures kept in memory beside the in-memory log.
final class InMemoryReadModels: Sendable {
    struct State {
        var tables: [String: [String: Data]] = [:]
        var shadows: [String: [String: Data]] = [:]
        var generation: Int64 = 0
        var failures: [FailureRecord] = []
    }

    let state = Mutex(State())
}

extension InMemoryEventStore: ReadModelStorage {
    public func loadRows(of model: String) throws(EventStoreError) -> (rows: [String: Data], checkpoint: Int64) {
        let checkpoint = try checkpoint(of: model)
        return (readModels.state.withLock { $0.tables[model] ?? [:] }, checkpoint)
    }

    public func loadRows(of model: String, leavingInTable history: HistoryRows) throws(EventStoreError)
        -> (rows: [String: Data], history: Set<String>, checkpoint: Int64) {
        let checkpoint = try checkpoint(of: model)
        return readModels.state.withLock { state in
            let isHistory: (String, Data) -> Bool
            switch history {
            case .countsOnly:
                isHistory = { HistoryRows.isMarked($1) }
            case .showsWithCountsOnlyRows(let other):
                let shows = Set((state.tables[other] ?? [:]).filter { HistoryRows.isMarked($0.value) }.keys.map { HistoryRows.show(ofKey: $0) })
                isHistory = { key, _ in shows.contains(Substring(key)) }
            }
            var rows: [String: Data] = [:], keys: Set<String> = []
            for (key, value) in state.tables[model] ?? [:] {
                if isHistory(key, value) { keys.insert(key) } else { rows[key] = value }
            }
            return (rows, keys, checkpoint)
        }
    }

    public func commitTogether(_ parts: [ReadModelPart], ifGeneration generation: Int64?) throws(EventStoreError) -> [(any Error)?] {
        // One process holds an in-memory store: a rebuild's swap cannot interleave with a commit
        // it would have to refuse, beyond this check.
        if let generation, try readModelGeneration() != generation { throw .readModelsReplaced }
        var errors: [(any Error)?] = []
        let transaction = ReadModelWrites(store: self)
        for part in parts {
            let before = transaction.staged
            do {
                try part(transaction)
                errors.append(nil)
            } catch {
                transaction.staged = before
                errors.append(error)
            }
        }
        let staged = transaction.staged
        readModels.state.withLock { state in
            for (model, rows) in staged.rows {
                for (key, value) in rows { state.tables[model, default: [:]][key] = value }
            }
        }
        for (subscriber, position) in staged.checkpoints { try saveCheckpoint(position, of: subscriber) }
        return errors
    }

    /// Writes kept aside until every part ran (a failed part's are dropped).
    private final class ReadModelWrites: ReadModelTransaction {
        struct Staged {
            var rows: [String: [String: Data?]] = [:]
            var checkpoints: [String: Int64] = [:]
        }

        let store: InMemoryEventStore
        var staged = Staged()

        init(store: InMemoryEventStore) { self.store = store }

        func checkpoint(of subscriber: String) throws -> Int64 {
            if let position = staged.checkpoints[subscriber] { return position }
            return try store.checkpoint(of: subscriber)
        }

        func row(of model: String, key: String) throws -> Data? {
            if let staged = staged.rows[model]?[key] { return staged }
            return store.readModels.state.withLock { $0.tables[model]?[key] }
        }

        func write(_ model: String, rows: [String: Data], deleted: Set<String>) throws {
            for key in deleted where rows[key] == nil { staged.rows[model, default: [:]][key] = .some(nil) }
            for (key, value) in rows { staged.rows[model, default: [:]][key] = value }
        }

        func setCheckpoint(_ position: Int64, of subscriber: String) throws {
            staged.checkpoints[subscriber] = position
        }
    }

    public func writeShadow(of model: String, rows: [String: Data], deleted: Set<String>, fresh: Bool) throws(EventStoreError) {
        readModels.state.withLock { state in
            if fresh { state.shadows[model] = [:] }
            for key in deleted where rows[key] == nil { state.shadows[model, default: [:]][key] = nil }
            for (key, value) in rows { state.shadows[model, default: [:]][key] = value }
        }
    }

    public func swapShadows(_ given: [String: Int64], catchingUp: ShadowCatchUp?) throws(EventStoreError) -> ShadowSwap {
        var ahead: [String: Int64] = [:]
        for (model, checkpoint) in given {
            let stored = try self.checkpoint(of: model)
            if stored > checkpoint { ahead[model] = stored }
        }
        var checkpoints = given
        if !ahead.isEmpty {
            guard let catchingUp else { return .behind(ahead) }
            // One process holds an in-memory store: nobody folds between this and the swap.
            let caughtUp: [String: (rows: [String: Data], deleted: Set<String>)]
            do {
                caughtUp = try catchingUp(ahead) { after, limit in try self.readAll(after: after, limit: limit) }
            } catch {
                throw error as? EventStoreError ?? .storage("\(error)")
            }
            for (model, changes) in caughtUp { try writeShadow(of: model, rows: changes.rows, deleted: changes.deleted, fresh: false) }
            checkpoints.merge(ahead) { max($0, $1) }
        }
        let changes = readModels.state.withLock { state in
            var changes: [String: RowChanges] = [:]
            for model in checkpoints.keys {
                let (old, new) = (state.tables[model] ?? [:], state.shadows.removeValue(forKey: model) ?? [:])
                changes[model] = RowChanges(
                    inserted: new.keys.count { old[$0] == nil },
                    updated: new.count { entry in old[entry.key].map { $0 != entry.value } ?? false },
                    deleted: old.keys.count { new[$0] == nil }
                )
                state.tables[model] = new
            }
            state.generation += 1
            return changes
        }
        for (model, checkpoint) in checkpoints { try saveCheckpoint(checkpoint, of: model) }
        return .swapped(changes, checkpoints: checkpoints)
    }

    public func dropShadows(of models: [String]) throws(EventStoreError) {
        readModels.state.withLock { state in
            for model in models { state.shadows[model] = nil }
        }
    }

    public func readModelGeneration() throws(EventStoreError) -> Int64 {
        readModels.state.withLock { $0.generation }
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
