import EventStore
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
    var changed: Set<String> = []
    /// Whether changed keys are recorded (not in a rebuild, which writes every row at the end).
    var tracksChanges = true
    /// For a read model kept in its table: reads a row not in memory (and not deleted here).
    var fetch: (@Sendable (String) -> Row?)?
    /// Keys of rows left in the table when the model was loaded (history no first frame
    /// draws). They are never read, created or changed here: an event that tries sets
    /// `touchedHistory`, and the runner folds that event into the stored rows at commit.
    public internal(set) var history: Set<String> = [] {
        didSet { historyShows = Set(history.map { String(HistoryRows.show(ofKey: $0)) }) }
    }
    /// The shows whose rows are among `history` (keys are `show` or `show/…`).
    public private(set) var historyShows: Set<String> = []
    var touchedHistory = false

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

    /// The changed rows, encoded, and the keys deleted since the last call; clears the record.
    mutating func takeChanges(_ encoder: JSONEncoder) throws -> (rows: [String: Data], deleted: Set<String>) {
        var encoded: [String: Data] = [:]
        var deleted: Set<String> = []
        for key in changed {
            if let row = rows[key] { encoded[key] = try Self.encode(row, encoder) } else { deleted.insert(key) }
        }
        changed.removeAll(keepingCapacity: true)
        return (encoded, deleted)
    }

    func encodedRows(_ encoder: JSONEncoder) throws -> [String: Data] {
        var encoded: [String: Data] = [:]
        encoded.reserveCapacity(rows.count)
        for (key, row) in rows { encoded[key] = try Self.encode(row, encoder) }
        return encoded
    }

    static func decode(_ rows: [String: Data], _ decoder: JSONDecoder) throws -> RowSet {
        // The conformance is looked up once, not per row (a store opening decodes thousands).
        let fast = Row.self as? any FastCodingRow.Type
        return RowSet(try rows.mapValues { try decode($0, decoder, fast: fast) })
    }

    /// One row: by hand for the rows that have it (`FastCodingRow`), else `Codable`.
    static func decode(_ data: Data, _ decoder: JSONDecoder) throws -> Row {
        try decode(data, decoder, fast: Row.self as? any FastCodingRow.Type)
    }

    private static func decode(_ data: Data, _ decoder: JSONDecoder, fast: (any FastCodingRow.Type)?) throws -> Row {
        if let fast, let row = fast.fastDecode(data) as? Row { return row }
        return try decoder.decode(Row.self, from: data)
    }

    static func encode(_ row: Row, _ encoder: JSONEncoder) throws -> Data {
        if let fast = row as? any FastCodingRow { return fast.fastEncode() }
        return try encoder.encode(row)
    }

    public static func == (lhs: RowSet, rhs: RowSet) -> Bool { lhs.rows == rhs.rows }
}

/// A read-model row with hand-written JSON coding, for rows that are large or many. Decoding
/// returns nil on anything unexpected (then `Codable` decides); both must give the same row.
protocol FastCodingRow {
    static func fastDecode(_ data: Data) -> Self?
    func fastEncode() -> Data
}
