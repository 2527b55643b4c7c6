import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// Rebuilds read models from the log: fold every event in memory, write the rows in bulk into
/// shadow tables beside the live ones, and swap those in, all models and their checkpoints in
/// one transaction (or, in a dry run, only count what would change; in verify, compare with the
/// live rows). Live rows are never emptied or written piecemeal: a console on the same store
/// draws the old rows until the swap, then reloads the new ones.
public enum Rebuild {
    public enum Mode: Sendable { case write, dryRun, verify }

    /// How far a rebuild has got, for a progress bar.
    public struct Progress: Sendable {
        public var done: Int64
        public var total: Int64
        public var eventsPerSecond: Double
        public var secondsLeft: Double
    }

    /// What a rebuild did (or, dry or verifying, would do) to one read model.
    public struct Report: Sendable, Hashable {
        public var projection: String
        public var events: Int64
        public var rows: Int
        public var liveRows: Int
        public var inserted: Int
        public var updated: Int
        public var deleted: Int
        /// The first keys whose rows differ between the rebuild and the live model.
        public var differingKeys: [String]
        public var checkpoint: Int64
        /// With `from` P: the position (P−1) each model was restored to before folding P…head.
        public var restoredThrough: Int64? = nil

        public var matches: Bool { inserted == 0 && updated == 0 && deleted == 0 }
    }

    /// Rebuilds the named subscribers' rows (every read model when `names` is nil; the saga
    /// ledger only when named).
    ///
    /// `from` is where a repair starts (`replay --from P`): each model is first restored to its
    /// state just before P — by folding events 1…P−1 into the shadow, never from the live rows,
    /// which may be the damaged ones — and then folds P…head, so no event is applied twice (several
    /// models count by adding). Its result is a full rebuild's; the report says where it restored.
    public static func run(
        storage: any ReadModelStore, names: [String]? = nil, from: Int64 = 1, mode: Mode, feedLimit: Int = 500,
        batchSize: Int = 10_000, progress: (Progress) -> Void = { _ in }
    ) throws -> [Report] {
        let all: [any RebuildFold] = [
            Fold(AvailableSeats()), Fold(Holds()), Fold(SalesAnalytics()), Fold(CustomerHistory()), Fold(ShowQueue()),
            Fold(EventFeed(limit: feedLimit)), Fold(Orders()), Fold(SagaLedger()),
        ]
        let folds = all.filter { (names ?? ReadSide.projectionNames).contains($0.name) }
        var limits: [String: Int64] = [:]
        var live: [String: (rows: [String: Data], checkpoint: Int64)] = [:]
        if mode != .write {
            for fold in folds {
                let loaded = try storage.loadRows(of: fold.name)
                live[fold.name] = loaded
                if mode == .verify { limits[fold.name] = loaded.checkpoint }
            }
        }
        let head = try storage.headPosition()
        let last = mode == .verify ? (limits.values.max() ?? 0) : head
        // An event an operator skipped for a subscriber stays skipped in its rebuild.
        var skipped: [String: Set<Int64>] = [:]
        for record in try storage.failures(includeResolved: true) where record.resolution == "skipped" {
            skipped[record.subscriber, default: []].insert(record.position)
        }
        let pass = Pass(storage: storage, skipped: skipped, batchSize: batchSize)
        let start = Date()
        let total = max(last, 0)
        let done = try pass.fold(folds, after: 0, through: last, limits: limits) { done in
            let elapsed = max(Date().timeIntervalSince(start), 0.000_001)
            let rate = Double(done) / elapsed
            progress(Progress(done: min(done, total), total: total, eventsPerSecond: rate, secondsLeft: Double(max(total - done, 0)) / max(rate, 1)))
        }
        let restored = from > 1 ? min(from - 1, last) : nil
        switch mode {
        case .write:
            let swapped = try swapIn(folds, at: last, storage: storage, pass: pass)
            return folds.map { fold in
                let changes = swapped.changes[fold.name] ?? RowChanges()
                return Report(
                    projection: fold.name, events: done, rows: fold.rowCount, liveRows: fold.rowCount, inserted: changes.inserted,
                    updated: changes.updated, deleted: changes.deleted, differingKeys: [],
                    checkpoint: swapped.checkpoints[fold.name] ?? last, restoredThrough: restored
                )
            }
        case .dryRun, .verify:
            return try folds.map { fold in
                var report = try fold.compare(with: live[fold.name]?.rows ?? [:])
                report.events = done
                report.checkpoint = limits[fold.name] ?? last
                report.restoredThrough = restored
                return report
            }
        }
    }

    /// Writes every fold's rows into its shadow and swaps them all in at once. Other processes
    /// keep folding while this one rebuilds: when one got further, the fold goes on to where it
    /// is — first outside the write lock (the bulk of the gap), then inside the swap's
    /// transaction (what they folded meanwhile, while nobody can fold more) — and the shadow
    /// takes the rows that changed, so no checkpoint goes back and the swap cannot be outrun.
    private static func swapIn(
        _ folds: [any RebuildFold], at last: Int64, storage: any ReadModelStore, pass: Pass
    ) throws -> (changes: [String: RowChanges], checkpoints: [String: Int64]) {
        var checkpoints = Dictionary(uniqueKeysWithValues: folds.map { ($0.name, last) })
        do {
            for fold in folds {
                let rows = try fold.encodedRows()
                var chunk: [String: Data] = [:]
                var fresh = true
                // A transaction per chunk: buyers on the same store wait for a chunk, not for the whole model.
                // Chunks in key order, so that each is a run of the table's order.
                for (key, value) in rows.sorted(by: { $0.key < $1.key }) {
                    chunk[key] = value
                    if chunk.count == 20_000 {
                        try storage.writeShadow(of: fold.name, rows: chunk, deleted: [], fresh: fresh)
                        (chunk, fresh) = ([:], false)
                    }
                }
                if fresh || !chunk.isEmpty { try storage.writeShadow(of: fold.name, rows: chunk, deleted: [], fresh: fresh) }
            }
            if case .swapped(let changes, let final) = try storage.swapShadows(checkpoints, catchingUp: nil) { return (changes, final) }
            // Behind: fold the gap outside the lock, then the rest inside the swap.
            let head = try storage.headPosition()
            for fold in folds {
                guard let checkpoint = checkpoints[fold.name], head > checkpoint else { continue }
                fold.tracksChanges = true
                _ = try pass.fold([fold], after: checkpoint, through: head, limits: [:], windows: false) { _ in }
                let changes = try fold.takeChanges()
                try storage.writeShadow(of: fold.name, rows: changes.rows, deleted: changes.deleted, fresh: false)
                checkpoints[fold.name] = head
            }
            let swapped = try storage.swapShadows(checkpoints) { ahead, read in
                var caughtUp: [String: (rows: [String: Data], deleted: Set<String>)] = [:]
                for fold in folds {
                    guard let target = ahead[fold.name], let checkpoint = checkpoints[fold.name] else { continue }
                    fold.tracksChanges = true
                    try pass.foldInPlace(fold, after: checkpoint, through: target, read: read)
                    caughtUp[fold.name] = try fold.takeChanges()
                }
                return caughtUp
            }
            guard case .swapped(let changes, let final) = swapped else { throw RebuildError.notSwapped }
            return (changes, final)
        } catch {
            try? storage.dropShadows(of: folds.map(\.name))
            throw error
        }
    }
}

/// Why a rebuild wrote nothing.
public enum RebuildError: Error, CustomStringConvertible, Equatable {
    /// The store neither swapped nor caught up (a store that ignores `catchingUp`).
    case notSwapped

    public var description: String {
        switch self {
        case .notSwapped: "the store did not swap the rebuilt read models in; nothing changed. Run replay again"
        }
    }
}

/// One reading of the log for a rebuild: each event decoded once and handed to the folds that
/// want it (within their limit and window, and not skipped for them by an operator).
///
/// Reading and decoding run on a second thread a batch ahead of the folding, so a rebuild uses
/// both cores: while the folds apply one batch, the next is read and decoded, and the folds
/// named in `besideReading` are applied there too, so both threads carry about the same work.
struct Pass: Sendable {
    /// Folds applied on the reading thread. Once the feed and sections folded faster, `perf`
    /// on a 1,000,000-event store put 63 % of the samples on the reading thread with holds and
    /// sales there too; with customer history alone the mean of five `replay` runs rose from
    /// 120,600 to 143,500 events/s (with holds moved back only: 129,800).
    static let besideReading: Set<String> = ["customerHistory"]

    let storage: any ReadModelStore
    let skipped: [String: Set<Int64>]
    let batchSize: Int

    /// What decides whether a fold wants an event, as a value the reading thread may use.
    struct Want: Sendable {
        let limit: Int64
        let window: Int64?
        let skipped: Set<Int64>

        func wants(_ position: Int64, windows: Bool) -> Bool {
            position <= limit && (windows ? window.map { position > limit - $0 } ?? true : true) && !skipped.contains(position)
        }
    }

    /// A batch read and decoded: each wanted event with the indices of the folds that want it.
    struct Batch: Sendable {
        var events: [(recorded: RecordedEvent, event: DomainEvent, folds: [Int])] = []
        var read = 0
        var lastPosition: Int64?
    }

    /// Folds the events in (`after`, `through`]; returns how many were read. With `windows`, a
    /// fold that keeps only its last N events (the feed) is handed only those: right for a fold
    /// that starts empty, wrong for one that goes on from earlier rows.
    func fold(
        _ folds: [any RebuildFold], after start: Int64, through last: Int64, limits: [String: Int64], windows: Bool = true,
        progress: (Int64) -> Void
    ) throws -> Int64 {
        let wants = folds.map { Want(limit: min(limits[$0.name] ?? last, last), window: $0.window, skipped: skipped[$0.name] ?? []) }
        let beside = Beside(folds.count > 1 ? folds.enumerated().filter { Self.besideReading.contains($0.element.name) }.map(\.offset) : [], folds)
        var done: Int64 = 0
        guard start < last else { return 0 }
        var next = Ahead { try read(after: start, through: last, wants: wants, windows: windows, beside: beside) }
        while true {
            // The reading thread is idle here: its previous batch is done, the next not yet started.
            let batch = try next.value()
            guard let final = batch.lastPosition else { break }
            if final < last { next = Ahead { try read(after: final, through: last, wants: wants, windows: windows, beside: beside) } }
            for item in batch.events {
                for index in item.folds { folds[index].apply(item.event, item.recorded) }
            }
            done += Int64(batch.read)
            progress(done)
            if final >= last { break }
        }
        return done
    }

    /// Folds (`after`, `through`] into one fold on this thread, reading with `read` (inside a
    /// swap's transaction, from its connection). Every event of the gap, as a windowed fold needs.
    func foldInPlace(
        _ fold: any RebuildFold, after start: Int64, through last: Int64, read: (_ after: Int64, _ limit: Int) throws -> [RecordedEvent]
    ) throws {
        let codec = EventCodec()
        let skipped = skipped[fold.name] ?? []
        var after = start
        while after < last {
            let batch = try read(after, batchSize)
            guard let final = batch.last else { break }
            for recorded in batch where recorded.position <= last && !skipped.contains(recorded.position) {
                fold.apply(try codec.decode(recorded), recorded)
            }
            after = final.position
        }
    }

    /// Reads the next batch after `after`, decodes the events some fold wants, applies them to
    /// the folds beside reading, and returns them for the others.
    private func read(after: Int64, through last: Int64, wants: [Want], windows: Bool, beside: Beside) throws -> Batch {
        let codec = EventCodec()
        var batch = Batch()
        let recorded = try storage.readAll(after: after, limit: batchSize)
        batch.read = recorded.count
        batch.lastPosition = recorded.last?.position
        batch.events.reserveCapacity(recorded.count)
        for event in recorded where event.position <= last {
            var wanted: [Int] = []
            var wantedBeside = false
            for (index, want) in wants.enumerated() where want.wants(event.position, windows: windows) {
                if beside.indices.contains(index) { wantedBeside = true } else { wanted.append(index) }
            }
            guard !wanted.isEmpty || wantedBeside else { continue }
            let decoded = try codec.decode(event)
            if wantedBeside {
                for index in beside.indices where wants[index].wants(event.position, windows: windows) { beside.folds[index].apply(decoded, event) }
            }
            if !wanted.isEmpty { batch.events.append((event, decoded, wanted)) }
        }
        return batch
    }
}

/// The folds the reading thread applies, handed to it batch after batch.
///
/// - Important: only one thread touches a fold at a time: the folds at `indices` only in the
///   reading thread's work, one batch after another (each started after the previous was
///   waited for), and the others only on the folding thread.
private final class Beside: @unchecked Sendable {
    let indices: [Int]
    let folds: [any RebuildFold]

    init(_ indices: [Int], _ folds: [any RebuildFold]) {
        self.indices = indices
        self.folds = folds
    }
}

/// Work started on another thread now, whose result is waited for later.
private final class Ahead<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled; read only after waiting on it.
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    func value() throws -> Value {
        done.wait()
        done.signal()
        guard let result else { preconditionFailure("signalled before the work stored its result") }
        return try result.get()
    }
}

/// A projection folded in memory during a rebuild, behind one type for every projection.
protocol RebuildFold: AnyObject {
    var name: String { get }
    var window: Int64? { get }
    var rowCount: Int { get }
    /// Whether applying records the changed keys (only while a swap catches up).
    var tracksChanges: Bool { get set }
    func takeChanges() throws -> (rows: [String: Data], deleted: Set<String>)
    func apply(_ event: DomainEvent, _ recorded: RecordedEvent)
    func encodedRows() throws -> [String: Data]
    func compare(with live: [String: Data]) throws -> Rebuild.Report
}

final class Fold<P: Projection>: RebuildFold {
    let projection: P
    var rows = RowSet<P.Row>()

    init(_ projection: P) {
        self.projection = projection
        rows.tracksChanges = false
    }

    var name: String { projection.name }
    var window: Int64? { projection.window }
    var rowCount: Int { rows.count }
    var tracksChanges: Bool {
        get { rows.tracksChanges }
        set { rows.tracksChanges = newValue }
    }

    func takeChanges() throws -> (rows: [String: Data], deleted: Set<String>) { try rows.takeChanges(EventCodec.makeEncoder()) }

    func apply(_ event: DomainEvent, _ recorded: RecordedEvent) { projection.apply(event, recorded, to: &rows) }

    func encodedRows() throws -> [String: Data] { try rows.encodedRows(EventCodec.makeEncoder()) }

    /// Compares decoded rows (not bytes: JSON of unordered maps may differ in order).
    func compare(with live: [String: Data]) throws -> Rebuild.Report {
        let decoder = EventCodec.makeDecoder()
        var inserted = 0, updated = 0, deleted = 0
        var differing: [String] = []
        for (key, row) in rows.rows {
            guard let data = live[key] else {
                inserted += 1
                differing.append(key)
                continue
            }
            if (try? decoder.decode(P.Row.self, from: data)) != row {
                updated += 1
                differing.append(key)
            }
        }
        for key in live.keys where rows[key] == nil {
            deleted += 1
            differing.append(key)
        }
        return Rebuild.Report(
            projection: name, events: 0, rows: rows.count, liveRows: live.count, inserted: inserted, updated: updated,
            deleted: deleted, differingKeys: Array(differing.sorted().prefix(10)), checkpoint: 0
        )
    }
}
