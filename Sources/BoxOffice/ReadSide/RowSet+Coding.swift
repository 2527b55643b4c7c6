import ConsoleClient
import EventStore
import Foundation

// Reading and writing a read model's rows as the JSON its table holds.
extension RowSet {
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

}

/// A read-model row with hand-written JSON coding, for rows that are large or many. Decoding
/// returns nil on anything unexpected (then `Codable` decides); both must give the same row.
protocol FastCodingRow {
    static func fastDecode(_ data: Data) -> Self?
    func fastEncode() -> Data
}
