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

    public func transaction<T>(_ body: (any EventStoreTransaction) throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        try checkFiles()
        let transaction = Transaction(path: path, checking: !faults.contains(.skipVersionCheck))
        let result = try guarded {
            try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    transaction.db = db
                    defer { transaction.db = nil }
                    result = try body(transaction)
                    return .commit
                }
                guard let result else { throw EventStoreError.storage("a write transaction ended without a result") }
                return result
            }
        }
        try checkFiles()
        return result
    }

    /// A write transaction's view of the store; valid only inside `transaction`'s body.
    private final class Transaction: EventStoreTransaction {
        let path: String
        /// False under the `skipVersionCheck` fault: appends go at whatever version the stream has.
        let checking: Bool
        var db: Database?

        init(path: String, checking: Bool) {
            self.path = path
            self.checking = checking
        }

        private func run<T>(_ body: (Database) throws -> T) throws(EventStoreError) -> T {
            guard let db else { throw .storage("a write transaction was used after it ended") }
            do { return try body(db) } catch { throw SQLiteEventStore.translate(error, path: path) }
        }

        func headPosition() throws(EventStoreError) -> Int64 { try run(SQLiteEventStore.head) }

        func streams(writtenAfter position: Int64) throws(EventStoreError) -> Set<String> {
            try run { db in
                Set(try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT stream_id FROM events WHERE position > ?"), arguments: [position]))
            }
        }

        func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] {
            try run { try SQLiteEventStore.events(of: stream, fromVersion: version, $0) }
        }

        func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? {
            try run { try SQLiteEventStore.snapshot(of: stream, $0) }
        }

        func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? {
            try run { try SQLiteEventStore.recordedCommand(commandId, $0) }
        }

        func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError) {
            try run { try SQLiteEventStore.save(snapshot, $0) }
        }

        func append(_ request: AppendRequest) throws(EventStoreError) -> [Int64] {
            var conflict: EventStoreError?
            let positions = try run { db -> [Int64] in
                var bases: [String: Int64] = [:]
                for write in request.writes where !write.events.isEmpty {
                    switch (checking, write.expected) {
                    case (true, .noStream): bases[write.stream] = 0
                    case (true, .exact(let version)): bases[write.stream] = version
                    case (_, _): bases[write.stream] = try SQLiteEventStore.currentVersion(of: write.stream, db)
                    }
                }
                do {
                    return try SQLiteEventStore.insert(request, at: bases, db)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    // Someone wrote a stream this request was decided on: the caller's premise is gone.
                    let write = try request.writes.first { try SQLiteEventStore.currentVersion(of: $0.stream, db) != bases[$0.stream] ?? 0 }
                    let stream = write?.stream ?? request.writes.first?.stream ?? ""
                    conflict = .wrongExpectedVersion(
                        stream: stream, expected: write?.expected ?? .any, actual: try SQLiteEventStore.currentVersion(of: stream, db)
                    )
                    return []
                }
            }
            if let conflict { throw conflict }
            return positions
        }
    }

    private static func appendOne(_ request: AppendRequest, _ db: Database, checking: Bool) throws -> Result<AppendOutcome, EventStoreError> {
        if let positions = try request.commandId.flatMap({ try recordedCommand($0, db) }) {
            return .success(.duplicate(positions: positions))
        }
        var bases: [String: Int64] = [:]
        for write in request.writes {
            let actual = try currentVersion(of: write.stream, db)
            guard write.expected.admits(actual) || !checking else {
                return .failure(.wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: actual))
            }
            bases[write.stream] = actual
        }
        return .success(.appended(positions: try insert(request, at: bases, db)))
    }

    /// Inserts a request's events after the given stream versions and records its command id;
    /// returns their positions.
    private static func insert(_ request: AppendRequest, at bases: [String: Int64], _ db: Database) throws -> [Int64] {
        let recordedAt = Timestamp.string(request.recordedAt)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (stream_id, stream_version, type, schema_version, payload, metadata, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var positions: [Int64] = []
        var versions = bases
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
        return positions
    }

    static func currentVersion(of stream: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT max(stream_version) FROM events WHERE stream_id = ?"), arguments: [stream]
        ) ?? 0
    }
}
