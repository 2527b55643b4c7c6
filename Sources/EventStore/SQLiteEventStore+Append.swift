import Foundation
import GRDB

extension SQLiteEventStore {
    public func append(_ requests: [AppendRequest]) throws(EventStoreError) -> [Result<AppendOutcome, EventStoreError>] {
        guard !requests.isEmpty else { return [] }
        try checkFiles()
        let results = try guarded {
            try database.writeWithoutTransaction { db in
                var results: [Result<AppendOutcome, EventStoreError>] = []
                results.reserveCapacity(requests.count)
                var tainted = BatchTaint()
                let checking = !faults.contains(.skipVersionCheck)
                try db.inTransaction(.immediate) {
                    for request in requests {
                        if checking, let refusal = try tainted.refusal(for: request, actual: { try Self.currentVersion(of: $0, db) }) {
                            results.append(.failure(refusal))
                            continue
                        }
                        if requests.count == 1 {
                            results.append(try Self.appendOne(request, db, checking: checking))
                            continue
                        }
                        // A savepoint per request: a refused one leaves no trace in the batch.
                        var outcome: Result<AppendOutcome, EventStoreError> = .failure(.storage("not appended"))
                        try db.inSavepoint {
                            outcome = try Self.appendOne(request, db, checking: checking)
                            if case .failure = outcome { return .rollback }
                            return .commit
                        }
                        tainted.record(outcome, of: request)
                        results.append(outcome)
                    }
                    if results.count == 1, case .failure = results[0] { return .rollback }
                    return .commit
                }
                return results
            }
        }
        // Written into a log file that is no longer the store's: nothing here is durable, so
        // nothing is acknowledged.
        try checkFiles()
        return results
    }

    private static func appendOne(_ request: AppendRequest, _ db: Database, checking: Bool) throws -> Result<AppendOutcome, EventStoreError> {
        if let commandId = request.commandId,
           let positions = try String.fetchOne(db.cachedStatement(sql: "SELECT positions FROM commands WHERE id = ?"), arguments: [commandId]) {
            return .success(.duplicate(positions: positions.split(separator: ",").compactMap { Int64($0) }))
        }
        var versions: [String: Int64] = [:]
        for write in request.writes {
            let actual = try currentVersion(of: write.stream, db)
            guard write.expected.admits(actual) || !checking else {
                return .failure(.wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual))
            }
            versions[write.stream] = actual
        }
        let recordedAt = Timestamp.string(request.recordedAt)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (stream_id, stream_version, type, schema_version, payload, metadata, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var positions: [Int64] = []
        for write in request.writes {
            var version = versions[write.stream] ?? 0
            for event in write.events {
                version += 1
                try insert.execute(arguments: [
                    write.stream, version, event.type, event.schemaVersion,
                    String(decoding: event.payload, as: UTF8.self), MetadataCoding.encode(event.metadata), recordedAt,
                ])
                positions.append(db.lastInsertedRowID)
            }
            versions[write.stream] = version
        }
        if let commandId = request.commandId {
            try db.cachedStatement(sql: "INSERT INTO commands (id, positions, recorded_at) VALUES (?, ?, ?)")
                .execute(arguments: [commandId, positions.map(String.init).joined(separator: ","), recordedAt])
        }
        return .success(.appended(positions: positions))
    }

    static func currentVersion(of stream: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT max(stream_version) FROM events WHERE stream_id = ?"), arguments: [stream]
        ) ?? 0
    }
}
