import ConsoleClient
import EventStore
import Foundation
import Synchronization
import Ticketing

/// Runs a projection as a bus subscriber: folds events into the rows, and hands the bus the
/// changed rows with the checkpoint to commit. Publishes a snapshot after each
/// commit for readers on other threads.
public final class ProjectionRunner<P: Projection>: EventSubscriber, @unchecked Sendable {
    public let projection: P
    private let storage: any ReadModelStore
    private let codec = EventCodec()
    private let encoder = EventCodec.makeEncoder()
    private let decoder = EventCodec.makeDecoder()
    // Only the bus thread touches `rows` and `position`; `published` is the shared copy.
    private var rows = RowSet<P.Row>()
    private var position: Int64 = 0
    private var unpublished = false
    private var lastPublished = DispatchTime.now()
    private let published = Mutex((rows: RowSet<P.Row>(), position: Int64(0)))
    /// Called on the bus thread after each event is folded (the saga derives its next steps here).
    var afterApply: ((DomainEvent, RowSet<P.Row>) -> Void)?

    public var name: String { projection.name }

    /// When false (a read-only process), rows are folded in memory and never written.
    private let persists: Bool
    /// Whether the projection's history rows stay in the table (a console's start-up).
    private let leavesHistory: Bool

    public init(_ projection: P, storage: any ReadModelStore, persists: Bool = true, leavingHistory: Bool = false) {
        self.projection = projection
        self.storage = storage
        self.persists = persists
        self.leavesHistory = leavingHistory && projection.history != nil
    }

    /// The model's rows (without its history, when that stays in the table) and their checkpoint.
    private func load() throws -> (rows: RowSet<P.Row>, checkpoint: Int64) {
        guard leavesHistory, let history = projection.history else {
            let loaded = try storage.loadRows(of: name)
            return (try RowSet.decode(loaded.rows, decoder), loaded.checkpoint)
        }
        let loaded = try storage.loadRows(of: name, leavingInTable: history)
        var rows = try RowSet<P.Row>.decode(loaded.rows, decoder)
        rows.leaveInTable(loaded.history, show: HistoryRows.show(ofKey:))
        return (rows, loaded.checkpoint)
    }

    /// The rows as of the last commit, and the position they reflect.
    public var snapshot: (rows: RowSet<P.Row>, position: Int64) { published.withLock { $0 } }

    public func start() throws -> Int64 {
        if projection.livesInStore {
            // Nothing to load: its rows are read from the table as events need them.
            position = try storage.checkpoint(of: name)
            publish()
            return position
        }
        (rows, position) = try load()
        publish()
        return position
    }

    /// Loads the rows a rebuild swapped in. When they stand before this runner's position, the
    /// events in between are read and folded again (they were folded into the old rows, not
    /// these); when past it, the runner moves there and ignores those events as the bus brings them.
    public func reload() throws {
        guard !projection.livesInStore else { return }
        var (fresh, checkpoint) = try load()
        // Events folded past the new rows reach their history again at the next commit.
        var history: [(DomainEvent, RecordedEvent)] = []
        if checkpoint < position {
            var after = checkpoint
            while after < position {
                let batch = try storage.readAll(after: after, limit: 1_000)
                guard let last = batch.last else { break }
                for recorded in batch where recorded.position <= position {
                    let domain = try codec.decode(recorded)
                    if fold(domain, recorded, into: &fresh), persists { history.append((domain, recorded)) }
                }
                after = last.position
            }
        } else {
            position = checkpoint
        }
        rows = fresh
        waiting = history
        publish()
    }

    /// Folds an event into rows in memory; true when it reached a row left in the table.
    private func fold(_ event: DomainEvent, _ recorded: RecordedEvent, into rows: inout RowSet<P.Row>) -> Bool {
        rows.touchedHistory = false
        projection.apply(event, recorded, to: &rows)
        return rows.touchedHistory
    }

    public func handle(_ event: DeliveredEvent) throws {
        // Decoding is the only step that can fail, and it happens before any row changes.
        let domain = try event.domain()
        guard event.position > position else { return }
        position = event.position
        if projection.livesInStore {
            // Folded at commit, against the stored rows (a read-only process keeps none).
            if persists { waiting.append((domain, event.recorded)) }
            return
        }
        if fold(domain, event.recorded, into: &rows), persists { waiting.append((domain, event.recorded)) }
        afterApply?(domain, rows)
    }

    /// Events waiting for a durable commit that folds them into stored rows (every event of a
    /// model that lives in its table; those reaching history rows of one that does not).
    private var waiting: [(DomainEvent, RecordedEvent)] = []
    /// Rows the last commit wrote, until the bus says whether they became durable.
    private var inFlight: (rows: [String: Data], deleted: Set<String>)?

    public func commit(through position: Int64) -> ReadModelPart? {
        self.position = max(self.position, position)
        guard persists else { return nil }
        let (model, checkpoint) = (name, self.position)
        if projection.livesInStore {
            // Folds the waiting events into the stored rows. Events another process already
            // folded (the stored checkpoint is past them) are left out, so the rows read are
            // always those of the position the fold starts from.
            let events = waiting
            return { [self] transaction in
                try transaction.fold(model, through: checkpoint) { stored, read in try foldStored(events, after: stored, read, only: nil) }
            }
        }
        if let stored = try? storage.checkpoint(of: model), stored >= checkpoint {
            // Another process on the store already wrote these rows at this position or later
            // (folding the same log gives the same rows): nothing to encode or write.
            rows.forgetChanges()
            return nil
        }
        let changes: (rows: [String: Data], deleted: Set<String>)
        do {
            changes = try rows.takeChanges(encoder)
        } catch {
            return { _ in throw error }
        }
        inFlight = changes
        guard !waiting.isEmpty else {
            return { transaction in try transaction.fold(model, through: checkpoint) { _, _ in changes } }
        }
        let (events, history) = (waiting, rows.history)
        return { [self] transaction in
            try transaction.fold(model, through: checkpoint) { stored, read in
                var all = changes
                let folded = try foldStored(events, after: stored, read, only: history)
                all.rows.merge(folded.rows) { $1 }
                all.deleted.formUnion(folded.deleted)
                return all
            }
        }
    }

    /// Folds events past `stored` into the stored rows (read as the commit's transaction sees
    /// them) and returns what changed; with `only`, just those keys are read and changed (the
    /// rows this process left in the table), the rest being folded in memory.
    private func foldStored(
        _ events: [(DomainEvent, RecordedEvent)], after stored: Int64, _ read: (String) throws -> Data?, only keys: Set<String>?
    ) throws -> (rows: [String: Data], deleted: Set<String>) {
        let decoder = decoder
        // The reader lives only as long as the commit's part, and so does the row set using it.
        return try withoutActuallyEscaping(read) { read in
            nonisolated(unsafe) let read = read
            var rows = RowSet<P.Row>()
            rows.fetch = { key in
                guard keys?.contains(key) ?? true else { return nil }
                return (try? read(key)).flatMap { $0 }.flatMap { try? RowSet<P.Row>.decode($0, decoder) }
            }
            for (domain, recorded) in events where recorded.position > stored { projection.apply(domain, recorded, to: &rows) }
            var changes = try rows.takeChanges(encoder)
            if let keys {
                changes.rows = changes.rows.filter { keys.contains($0.key) }
                changes.deleted = changes.deleted.intersection(keys)
            }
            return changes
        }
    }

    public func committed(through position: Int64, durable: Bool) {
        if durable {
            waiting.removeAll { $0.1.position <= position }
            publishSoon()
        } else if let changes = inFlight {
            // Keep the changes pending so the retry writes them.
            for key in changes.rows.keys { rows.markChanged(key) }
            for key in changes.deleted { rows.markChanged(key) }
        }
        inFlight = nil
    }

    public func caughtUp() {
        if unpublished { publish() }
    }

    /// Publishing hands readers a copy, and the next change then copies every row; under a
    /// rush that would be per batch, so commits publish at most every 50 ms and the rest waits
    /// for the bus to catch up.
    private func publishSoon() {
        if DispatchTime.now().uptimeNanoseconds - lastPublished.uptimeNanoseconds >= 50_000_000 {
            publish()
        } else {
            unpublished = true
        }
    }

    public func skipped(through position: Int64) {
        self.position = max(self.position, position)
        waiting.removeAll { $0.1.position <= position }
        publish()
    }

    private func publish() {
        let current = (rows, position)
        published.withLock { $0 = current }
        unpublished = false
        lastPublished = DispatchTime.now()
    }
}

extension RowSet {
    mutating func markChanged(_ key: String) { changed.insert(key) }
    mutating func forgetChanges() { changed.removeAll(keepingCapacity: true) }
}
