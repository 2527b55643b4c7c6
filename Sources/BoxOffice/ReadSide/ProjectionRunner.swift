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

    public init(_ projection: P, storage: any ReadModelStore, persists: Bool = true) {
        self.projection = projection
        self.storage = storage
        self.persists = persists
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
        let loaded = try storage.loadRows(of: name)
        rows = try RowSet.decode(loaded.rows, decoder)
        position = loaded.checkpoint
        publish()
        return position
    }

    /// Loads the rows a rebuild swapped in. When they stand before this runner's position, the
    /// events in between are read and folded again (they were folded into the old rows, not
    /// these); when past it, the runner moves there and ignores those events as the bus brings them.
    public func reload() throws {
        guard !projection.livesInStore else { return }
        let loaded = try storage.loadRows(of: name)
        var fresh = try RowSet<P.Row>.decode(loaded.rows, decoder)
        if loaded.checkpoint < position {
            var after = loaded.checkpoint
            while after < position {
                let batch = try storage.readAll(after: after, limit: 1_000)
                guard let last = batch.last else { break }
                for recorded in batch where recorded.position <= position {
                    projection.apply(try codec.decode(recorded), recorded, to: &fresh)
                }
                after = last.position
            }
        } else {
            position = loaded.checkpoint
        }
        rows = fresh
        publish()
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
        projection.apply(domain, event.recorded, to: &rows)
        afterApply?(domain, rows)
    }

    /// Events waiting for a durable commit (models that live in their table).
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
            let (events, projection, decoder, encoder) = (waiting, projection, decoder, encoder)
            return { transaction in
                try transaction.fold(model, through: checkpoint) { stored, read in
                    // The reader lives only as long as this part, and so does the row set using it.
                    try withoutActuallyEscaping(read) { read in
                        nonisolated(unsafe) let read = read
                        var rows = RowSet<P.Row>()
                        rows.fetch = { key in (try? read(key)).flatMap { $0 }.flatMap { try? RowSet<P.Row>.decode($0, decoder) } }
                        for (domain, recorded) in events where recorded.position > stored { projection.apply(domain, recorded, to: &rows) }
                        return try rows.takeChanges(encoder)
                    }
                }
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
        return { transaction in try transaction.fold(model, through: checkpoint) { _, _ in changes } }
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
