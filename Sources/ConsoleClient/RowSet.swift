import Foundation
import HashTreeCollections

/// A read model's rows by key, remembering which keys changed since they were last persisted.
/// A value type: a copy handed to the console is an immutable snapshot.
///
/// The rows are a persistent hash tree, not a `Dictionary`: handing the console a snapshot
/// shares the tree, and the next change copies only the path to the row it touches — with a
/// `Dictionary` it copied every row (100,000 holds, 20 times a second, under a rush).
public struct RowSet<Row: Codable & Sendable & Equatable>: Sendable, Equatable {
    public private(set) var rows: TreeDictionary<String, Row> = [:]
    package var changed: Set<String> = []
    /// Whether changed keys are recorded (not in a rebuild, which writes every row at the end).
    package var tracksChanges = true
    /// For a read model kept in its table: reads a row not in memory (and not deleted here).
    package var fetch: (@Sendable (String) -> Row?)?
    /// Keys of rows left in the table when the model was loaded (history no first frame
    /// draws). They are never read, created or changed here: an event that tries sets
    /// `touchedHistory`, and the runner folds that event into the stored rows at commit.
    public private(set) var history: Set<String> = []
    /// The shows whose rows are among `history` (keys are `show` or `show/…`).
    public private(set) var historyShows: Set<String> = []
    package var touchedHistory = false

    /// Leaves `keys` in the table (see `history`); `show` names the show of a key.
    package mutating func leaveInTable(_ keys: Set<String>, show: (String) -> Substring) {
        history = keys
        historyShows = Set(keys.map { String(show($0)) })
    }

    /// Whether `key` is a row left in the table, noting that an event reached for it. Every
    /// check starts with `history.isEmpty`: a rebuild, which leaves nothing in the table, must
    /// not pay a second lookup per row it writes.
    private mutating func reachesHistory(_ key: String) -> Bool {
        guard !history.isEmpty, history.contains(key) else { return false }
        touchedHistory = true
        return true
    }

    public init(_ rows: [String: Row] = [:]) { self.rows = TreeDictionary(uniqueKeysWithValues: rows) }

    public subscript(key: String) -> Row? {
        get {
            if let row = rows[key] { return row }
            guard let fetch, !changed.contains(key) else { return nil }
            return fetch(key)
        }
        set {
            if !history.isEmpty, rows[key] == nil, reachesHistory(key) { return }
            rows[key] = newValue
            if tracksChanges { changed.insert(key) }
        }
    }

    /// Reading a row through a mutating path: notes an event that reaches a history row.
    private mutating func take(_ key: String) -> Row? {
        if let row = rows.removeValue(forKey: key) { return row }
        if reachesHistory(key) { return nil }
        return self[key]
    }

    /// Changes the row in place (creating it from `make` when absent). The row is moved out
    /// while it changes, so a large row (a section's seats) is not copied.
    public mutating func update(_ key: String, default make: @autoclosure () -> Row, _ change: (inout Row) -> Void) {
        if !history.isEmpty, rows[key] == nil, reachesHistory(key) { return }
        var row = take(key) ?? make()
        change(&row)
        rows[key] = row
        if tracksChanges { changed.insert(key) }
    }

    /// Changes an existing row in place; does nothing when there is none.
    public mutating func modify(_ key: String, _ change: (inout Row) -> Void) {
        guard var row = take(key) else { return }
        change(&row)
        rows[key] = row
        if tracksChanges { changed.insert(key) }
    }

    public var count: Int { rows.count }
    public var values: TreeDictionary<String, Row>.Values { rows.values }
    public var isEmpty: Bool { rows.isEmpty }

    public static func == (lhs: RowSet, rhs: RowSet) -> Bool { lhs.rows == rhs.rows }
}
