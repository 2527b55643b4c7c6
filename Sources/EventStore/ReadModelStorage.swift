import Foundation

/// Where projections keep their read models: one table of keyed JSON rows per read model, whose
/// writes commit together with the projection's checkpoint.
///
/// - Important: writes are conditional on the stored checkpoint, so when several processes
///   fold the same log only the first to reach a position writes it, and rows are never set
///   back to an older state. A rebuild never writes live rows piecemeal: it fills a shadow and
///   swaps it in.
public protocol ReadModelStorage: Sendable {
    /// Every row of a read model and the checkpoint they reflect.
    func loadRows(of model: String) throws(EventStoreError) -> (rows: [String: Data], checkpoint: Int64)

    /// The rows of a read model that are not `history`, the keys of those that are (left in the
    /// table), and the checkpoint they all reflect — read in one transaction.
    func loadRows(of model: String, leavingInTable history: HistoryRows) throws(EventStoreError)
        -> (rows: [String: Data], history: Set<String>, checkpoint: Int64)

    /// Runs every part in one write transaction, each in a savepoint of its own: a part that
    /// throws is rolled back alone and its error returned at its index (nil for parts that
    /// wrote). Throws — and writes nothing — when the transaction itself cannot commit, and
    /// `readModelsReplaced` when `generation` is given and is no longer the read-model
    /// generation (a rebuild swapped rows in: the parts were folded onto rows that are gone).
    ///
    /// - Important: the event bus commits all its subscribers' rows and checkpoints this way,
    ///   once per batch; each part must write its checkpoint only with its own rows.
    func commitTogether(_ parts: [ReadModelPart], ifGeneration generation: Int64?) throws(EventStoreError) -> [(any Error)?]

    /// Writes a rebuild's rows beside the live ones, into the model's shadow (with `fresh`, an
    /// emptied one): live rows stay as they are until `swapShadows`. Upserts `rows` and deletes
    /// the `deleted` keys that are not among them.
    func writeShadow(of model: String, rows: [String: Data], deleted: Set<String>, fresh: Bool) throws(EventStoreError)

    /// Swaps every named model's shadow in for its live rows and sets its checkpoint, all in one
    /// write transaction, counting how the shadow differs from the rows it replaces; then
    /// bumps the read-model generation so running processes reload.
    ///
    /// When a stored checkpoint is already past the one given (another process folded further
    /// while the rebuild ran): without `catchingUp`, nothing is swapped and those checkpoints are
    /// returned; with it, it is called inside the transaction — nobody can fold further then —
    /// with those checkpoints and a reader of the log, and the rows it returns go into the
    /// shadows before the swap, at those checkpoints.
    ///
    /// - Important: a checkpoint never goes back; a process folding in memory relies on it
    ///   (it writes only the rows it changed since its last commit).
    func swapShadows(_ checkpoints: [String: Int64], catchingUp: ShadowCatchUp?) throws(EventStoreError) -> ShadowSwap

    /// Removes the shadows of a rebuild that did not swap them in.
    func dropShadows(of models: [String]) throws(EventStoreError)

    /// Changes whenever a rebuild swaps read models in: a process holding rows in memory
    /// reloads them when it sees a new value.
    func readModelGeneration() throws(EventStoreError) -> Int64

    /// Records a subscriber's failure at a position (or updates the open record there).
    func recordFailure(_ failure: FailureRecord) throws(EventStoreError) -> FailureRecord

    /// Failure records, open ones only unless `includeResolved`.
    func failures(includeResolved: Bool) throws(EventStoreError) -> [FailureRecord]

    /// Closes an open failure record with a resolution (`retried`, `skipped`).
    func resolveFailure(id: Int64, resolution: String, at: Date) throws(EventStoreError)

    /// Moves a subscriber past a position it could not process and closes its failure record.
    func skip(subscriber: String, position: Int64, failureId: Int64, at: Date) throws(EventStoreError)
}

extension ReadModelStorage {
    public func commitTogether(_ parts: [ReadModelPart]) throws(EventStoreError) -> [(any Error)?] {
        try commitTogether(parts, ifGeneration: nil)
    }
}

/// Rows of a read model that a process opening the store leaves in their table: the history
/// no first frame draws (a closed show's counts-only sections and its sales).
public enum HistoryRows: Sendable, Hashable {
    /// Rows marked `"countsOnly":true`. Rows are written with sorted keys, so the mark is among
    /// a row's first bytes (`{"blocked":N,"countsOnly":true,…`) and is found without parsing;
    /// a row written otherwise is simply loaded.
    case countsOnly
    /// Rows keyed by a show id that has a `countsOnly` row in `model` (whose keys are `show/…`).
    case showsWithCountsOnlyRows(in: String)

    /// How many leading bytes of a row hold the mark.
    public static let markWindow = 64
    public static let mark = #""countsOnly":true"#

    /// Whether a stored row carries the history mark.
    public static func isMarked(_ value: Data) -> Bool {
        let window = value.prefix(markWindow), mark = Array(Self.mark.utf8)
        guard window.count >= mark.count else { return false }
        return window.withUnsafeBytes { bytes in
            (0...(bytes.count - mark.count)).contains { start in mark.indices.allSatisfy { bytes[start + $0] == mark[$0] } }
        }
    }

    /// The show id a `show/…` key begins with.
    public static func show(ofKey key: String) -> Substring {
        key.firstIndex(of: "/").map { key[..<$0] } ?? Substring(key)
    }
}

/// Folds the events other processes folded past a rebuild, while its swap holds the write
/// lock: given their checkpoints by model and a reader of the log (events after a position, at
/// most a count), returns per model the rows to upsert into its shadow and the keys to delete.
public typealias ShadowCatchUp = (
    _ ahead: [String: Int64], _ read: (_ after: Int64, _ limit: Int) throws -> [RecordedEvent]
) throws -> [String: (rows: [String: Data], deleted: Set<String>)]

/// What `swapShadows` did.
public enum ShadowSwap: Sendable, Hashable {
    /// Swapped in at these checkpoints; per model, how the new rows differ from those they replaced.
    case swapped([String: RowChanges], checkpoints: [String: Int64])
    /// Nothing swapped: these models' stored checkpoints are past the rebuild's.
    case behind([String: Int64])
}

/// How one set of rows differs from another, by key (a changed value is an update).
public struct RowChanges: Sendable, Hashable {
    public var inserted: Int
    public var updated: Int
    public var deleted: Int

    public init(inserted: Int = 0, updated: Int = 0, deleted: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
    }

    public var isEmpty: Bool { inserted == 0 && updated == 0 && deleted == 0 }
}

/// Names every engine gives the same things.
package enum StoreNames {
    /// A shadow is the live table's name with this suffix (no model name ends in it).
    package static let shadowSuffix = "__shadow"
    /// The `store_info` key of the read-model generation.
    package static let generationKey = "read_model_generation"
}

/// One subscriber's writes within `commitTogether`.
public typealias ReadModelPart = (any ReadModelTransaction) throws -> Void

/// What a part of `commitTogether` may read and write: read-model rows and checkpoints, as the
/// transaction sees them (earlier parts' writes included).
public protocol ReadModelTransaction {
    /// The position a subscriber's stored rows reflect, 0 if it never committed.
    func checkpoint(of subscriber: String) throws -> Int64
    /// One stored row of a read model, nil when absent.
    func row(of model: String, key: String) throws -> Data?
    /// Upserts `rows` and deletes the `deleted` keys that are not among them.
    func write(_ model: String, rows: [String: Data], deleted: Set<String>) throws
    func setCheckpoint(_ position: Int64, of subscriber: String) throws
}

extension ReadModelTransaction {
    /// The usual part: unless the stored checkpoint already reached `checkpoint` (another
    /// process folded this far), writes what `fold` returns with the checkpoint. `fold` gets the
    /// stored checkpoint and a reader of stored rows. Returns whether it wrote.
    @discardableResult
    public func fold(
        _ model: String, through checkpoint: Int64,
        _ fold: (_ stored: Int64, _ read: (String) throws -> Data?) throws -> (rows: [String: Data], deleted: Set<String>)
    ) throws -> Bool {
        let stored = try self.checkpoint(of: model)
        guard stored < checkpoint else { return false }
        let changes = try fold(stored) { try row(of: model, key: $0) }
        try write(model, rows: changes.rows, deleted: changes.deleted)
        try setCheckpoint(checkpoint, of: model)
        return true
    }
}

/// A subscriber that gave up on an event after its retries: where, why, and how often.
public struct FailureRecord: Sendable, Hashable {
    public var id: Int64
    public var subscriber: String
    public var position: Int64
    public var eventType: String
    public var error: String
    public var attempts: Int
    public var firstAttemptAt: Date
    public var lastAttemptAt: Date
    public var nextAttemptAt: Date?
    public var resolvedAt: Date?
    public var resolution: String?

    public init(
        id: Int64 = 0, subscriber: String, position: Int64, eventType: String, error: String, attempts: Int,
        firstAttemptAt: Date, lastAttemptAt: Date, nextAttemptAt: Date? = nil, resolvedAt: Date? = nil, resolution: String? = nil
    ) {
        self.id = id
        self.subscriber = subscriber
        self.position = position
        self.eventType = eventType
        self.error = error
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.nextAttemptAt = nextAttemptAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }
}

/// A read model's table name: `rm_` and the model's name in snake case (`availableSeats` → `rm_available_seats`).
public func readModelTable(_ model: String) -> String {
    var name = "rm_"
    for character in model {
        if character.isUppercase { name += "_" + character.lowercased() } else if character.isLetter || character.isNumber { name.append(character) }
    }
    return name
}
