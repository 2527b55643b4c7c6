import Foundation
import GRDB

extension SQLiteEventStore: ReadModelStorage {
    /// Creates a read model's table on first use (`key TEXT PRIMARY KEY, value TEXT`).
    static func ensureTable(_ table: String, _ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(table) (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID")
    }

    public func loadRows(of model: String) throws(EventStoreError) -> (rows: [String: Data], checkpoint: Int64) {
        let table = readModelTable(model)
        return try guarded {
            try database.read { db in
                let checkpoint = try Int64.fetchOne(db, sql: "SELECT position FROM checkpoints WHERE subscriber = ?", arguments: [model]) ?? 0
                guard try db.tableExists(table) else { return ([:], checkpoint) }
                var rows: [String: Data] = [:]
                let cursor = try Row.fetchCursor(db, sql: "SELECT key, value FROM \(table)")
                while let row = try cursor.next() {
                    let value: String = row[1]
                    rows[row[0]] = Data(value.utf8)
                }
                return (rows, checkpoint)
            }
        }
    }

    public func loadRows(of model: String, leavingInTable history: HistoryRows) throws(EventStoreError)
        -> (rows: [String: Data], history: Set<String>, checkpoint: Int64) {
        let table = readModelTable(model)
        return try guarded {
            try database.read { db in
                let checkpoint = try Int64.fetchOne(db, sql: "SELECT position FROM checkpoints WHERE subscriber = ?", arguments: [model]) ?? 0
                guard try db.tableExists(table) else { return ([:], [], checkpoint) }
                // One scan: a history row's value is not even read out (NULL in its place).
                let marked = "instr(substr(value, 1, \(HistoryRows.markWindow)), '\(HistoryRows.mark)') > 0"
                let isHistory: String
                switch history {
                case .countsOnly:
                    isHistory = marked
                case .showsWithCountsOnlyRows(let other):
                    let source = readModelTable(other)
                    guard try db.tableExists(source) else { isHistory = "0"; break }
                    isHistory = "key IN (SELECT substr(key, 1, instr(key, '/') - 1) FROM \(source) WHERE \(marked))"
                }
                var rows: [String: Data] = [:], keys: Set<String> = []
                let cursor = try Row.fetchCursor(db, sql: "SELECT key, CASE WHEN \(isHistory) THEN NULL ELSE value END FROM \(table)")
                while let row = try cursor.next() {
                    if let value: String = row[1] { rows[row[0]] = Data(value.utf8) } else { keys.insert(row[0]) }
                }
                return (rows, keys, checkpoint)
            }
        }
    }

    public func commitTogether(_ parts: [ReadModelPart], ifGeneration generation: Int64?) throws(EventStoreError) -> [(any Error)?] {
        guard !parts.isEmpty else { return [] }
        let losingCheckpoint = faults.contains(.loseCheckpoint)
        var replaced = false
        let errors = try guarded {
            try database.writeWithoutTransaction { db in
                var errors: [(any Error)?] = []
                try db.inTransaction(.immediate) {
                    if let generation, try Self.generation(db) != generation {
                        replaced = true
                        return .rollback
                    }
                    let transaction = ReadModelWrites(db: db, losingCheckpoint: losingCheckpoint)
                    for part in parts {
                        var failure: (any Error)?
                        try db.inSavepoint {
                            do {
                                try part(transaction)
                                return .commit
                            } catch let error as DatabaseError where [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CORRUPT, .SQLITE_NOMEM].contains(error.resultCode) {
                                // The whole transaction is lost, not only this part.
                                throw error
                            } catch {
                                failure = error
                                return .rollback
                            }
                        }
                        errors.append(failure.map { $0 is DatabaseError ? Self.translate($0, path: path) : $0 })
                    }
                    return .commit
                }
                return errors
            }
        }
        if replaced { throw .readModelsReplaced }
        return errors
    }

    static func generation(_ db: Database) throws -> Int64 {
        Int64(try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_info WHERE key = ?"), arguments: [StoreNames.generationKey]) ?? "") ?? 0
    }

    /// The read-model side of one write transaction.
    private final class ReadModelWrites: ReadModelTransaction {
        let db: Database
        /// Under the `loseCheckpoint` fault, rows are written and checkpoints are not.
        let losingCheckpoint: Bool
        private var ensured: Set<String> = []

        init(db: Database, losingCheckpoint: Bool) {
            self.db = db
            self.losingCheckpoint = losingCheckpoint
        }

        private func table(_ model: String) throws -> String {
            let table = readModelTable(model)
            if ensured.insert(table).inserted {
                try SQLiteEventStore.ensureTable(table, db)
            }
            return table
        }

        func checkpoint(of subscriber: String) throws -> Int64 {
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT position FROM checkpoints WHERE subscriber = ?"), arguments: [subscriber]) ?? 0
        }

        func row(of model: String, key: String) throws -> Data? {
            try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM \(try table(model)) WHERE key = ?"), arguments: [key]).map { Data($0.utf8) }
        }

        func write(_ model: String, rows: [String: Data], deleted: Set<String>) throws {
            let table = try table(model)
            let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(table) (key, value) VALUES (?, ?)")
            for (key, value) in rows { try upsert.execute(arguments: [key, String(decoding: value, as: UTF8.self)]) }
            let delete = try db.cachedStatement(sql: "DELETE FROM \(table) WHERE key = ?")
            for key in deleted where rows[key] == nil { try delete.execute(arguments: [key]) }
        }

        func setCheckpoint(_ position: Int64, of subscriber: String) throws {
            if !losingCheckpoint { try SQLiteEventStore.setCheckpoint(subscriber, position, db) }
        }
    }

    public func writeShadow(of model: String, rows: [String: Data], deleted: Set<String>, fresh: Bool) throws(EventStoreError) {
        let shadow = readModelTable(model) + StoreNames.shadowSuffix
        try guarded {
            try database.write { db in try Self.writeShadow(shadow, rows: rows, deleted: deleted, fresh: fresh, db) }
        }
    }

    private static func writeShadow(_ shadow: String, rows: [String: Data], deleted: Set<String>, fresh: Bool, _ db: Database) throws {
        if fresh { try db.execute(sql: "DROP TABLE IF EXISTS \(shadow)") }
        try ensureTable(shadow, db)
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(shadow) (key, value) VALUES (?, ?)")
        // In key order, the table's order: each row lands at the end of the tree, not in a
        // random page that must split (106,401 customer rows: 1.1 s in hash order).
        for (key, value) in rows.sorted(by: { $0.key < $1.key }) { try upsert.execute(arguments: [key, String(decoding: value, as: UTF8.self)]) }
        let delete = try db.cachedStatement(sql: "DELETE FROM \(shadow) WHERE key = ?")
        for key in deleted where rows[key] == nil { try delete.execute(arguments: [key]) }
    }

    public func swapShadows(_ given: [String: Int64], catchingUp: ShadowCatchUp?) throws(EventStoreError) -> ShadowSwap {
        try guarded {
            try database.writeWithoutTransaction { db in
                var outcome = ShadowSwap.swapped([:], checkpoints: given)
                // IMMEDIATE: the stored checkpoints read here cannot move before the swap commits.
                try db.inTransaction(.immediate) {
                    var ahead: [String: Int64] = [:]
                    for (model, checkpoint) in given {
                        let stored = try Int64.fetchOne(db, sql: "SELECT position FROM checkpoints WHERE subscriber = ?", arguments: [model]) ?? 0
                        if stored > checkpoint { ahead[model] = stored }
                    }
                    var checkpoints = given
                    if !ahead.isEmpty {
                        guard let catchingUp else {
                            outcome = .behind(ahead)
                            return .rollback
                        }
                        let caughtUp = try catchingUp(ahead) { after, limit in try Self.events(after: after, limit: limit, db) }
                        for (model, changes) in caughtUp {
                            try Self.writeShadow(readModelTable(model) + StoreNames.shadowSuffix, rows: changes.rows, deleted: changes.deleted, fresh: false, db)
                        }
                        checkpoints.merge(ahead) { max($0, $1) }
                    }
                    var changes: [String: RowChanges] = [:]
                    for (model, checkpoint) in checkpoints {
                        let (live, shadow) = (readModelTable(model), readModelTable(model) + StoreNames.shadowSuffix)
                        try Self.ensureTable(live, db)
                        try Self.ensureTable(shadow, db)
                        changes[model] = try Self.difference(from: live, to: shadow, db)
                        // Renaming swaps the whole table at once, however many rows it holds.
                        try db.execute(sql: "DROP TABLE \(live)")
                        try db.execute(sql: "ALTER TABLE \(shadow) RENAME TO \(live)")
                        try Self.setCheckpoint(model, checkpoint, db)
                    }
                    try db.execute(sql: """
                        INSERT INTO store_info (key, value) VALUES (?, '1')
                        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
                        """, arguments: [StoreNames.generationKey])
                    outcome = .swapped(changes, checkpoints: checkpoints)
                    return .commit
                }
                return outcome
            }
        }
    }

    /// How the rows of `new` differ from those of `old`, compared as stored bytes (rows are
    /// encoded with sorted keys, so equal rows are equal bytes).
    private static func difference(from old: String, to new: String, _ db: Database) throws -> RowChanges {
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        return RowChanges(
            inserted: try count("SELECT count(*) FROM \(new) n WHERE NOT EXISTS (SELECT 1 FROM \(old) o WHERE o.key = n.key)"),
            updated: try count("SELECT count(*) FROM \(new) n JOIN \(old) o ON o.key = n.key WHERE o.value IS NOT n.value"),
            deleted: try count("SELECT count(*) FROM \(old) o WHERE NOT EXISTS (SELECT 1 FROM \(new) n WHERE n.key = o.key)")
        )
    }

    public func dropShadows(of models: [String]) throws(EventStoreError) {
        try guarded {
            try database.write { db in
                for model in models { try db.execute(sql: "DROP TABLE IF EXISTS \(readModelTable(model) + StoreNames.shadowSuffix)") }
            }
        }
    }

    public func readModelGeneration() throws(EventStoreError) -> Int64 {
        try guarded { try database.read { try Self.generation($0) } }
    }

    static func setCheckpoint(_ subscriber: String, _ position: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO checkpoints (subscriber, position) VALUES (?, ?)
            ON CONFLICT (subscriber) DO UPDATE SET position = excluded.position
            """).execute(arguments: [subscriber, position])
    }

    public func recordFailure(_ failure: FailureRecord) throws(EventStoreError) -> FailureRecord {
        try guarded {
            try database.write { db in
                var record = failure
                let open = try Int64.fetchOne(db, sql: """
                    SELECT id FROM failures WHERE subscriber = ? AND position = ? AND resolved_at IS NULL
                    """, arguments: [failure.subscriber, failure.position])
                let arguments: StatementArguments = [
                    failure.subscriber, failure.position, failure.eventType, failure.error, failure.attempts,
                    Timestamp.string(failure.firstAttemptAt), Timestamp.string(failure.lastAttemptAt),
                    failure.nextAttemptAt.map(Timestamp.string),
                ]
                if let open {
                    try db.execute(sql: """
                        UPDATE failures SET subscriber = ?, position = ?, event_type = ?, error = ?, attempts = ?,
                            first_attempt_at = ?, last_attempt_at = ?, next_attempt_at = ? WHERE id = ?
                        """, arguments: arguments + [open])
                    record.id = open
                } else {
                    try db.execute(sql: """
                        INSERT INTO failures (subscriber, position, event_type, error, attempts, first_attempt_at, last_attempt_at, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: arguments)
                    record.id = db.lastInsertedRowID
                }
                return record
            }
        }
    }

    public func failures(includeResolved: Bool) throws(EventStoreError) -> [FailureRecord] {
        try guarded {
            try database.read { db in
                let filter = includeResolved ? "" : "WHERE resolved_at IS NULL"
                return try Row.fetchAll(db, sql: """
                    SELECT id, subscriber, position, event_type, error, attempts, first_attempt_at, last_attempt_at,
                        next_attempt_at, resolved_at, resolution FROM failures \(filter) ORDER BY id
                    """).map { row in
                    let first: String = row[6]
                    let last: String = row[7]
                    let next: String? = row[8]
                    let resolved: String? = row[9]
                    return FailureRecord(
                        id: row[0], subscriber: row[1], position: row[2], eventType: row[3], error: row[4], attempts: row[5],
                        firstAttemptAt: Timestamp.date(first) ?? Date(timeIntervalSince1970: 0),
                        lastAttemptAt: Timestamp.date(last) ?? Date(timeIntervalSince1970: 0),
                        nextAttemptAt: next.flatMap(Timestamp.date), resolvedAt: resolved.flatMap(Timestamp.date), resolution: row[10]
                    )
                }
            }
        }
    }

    public func resolveFailure(id: Int64, resolution: String, at: Date) throws(EventStoreError) {
        try guarded {
            try database.write { db in
                try db.execute(sql: "UPDATE failures SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL",
                               arguments: [Timestamp.string(at), resolution, id])
            }
        }
    }

    public func skip(subscriber: String, position: Int64, failureId: Int64, at: Date) throws(EventStoreError) {
        try guarded {
            try database.write { db in
                let stored = try Int64.fetchOne(db, sql: "SELECT position FROM checkpoints WHERE subscriber = ?", arguments: [subscriber]) ?? 0
                if stored < position { try Self.setCheckpoint(subscriber, position, db) }
                try db.execute(sql: "UPDATE failures SET resolved_at = ?, resolution = 'skipped' WHERE id = ? AND resolved_at IS NULL",
                               arguments: [Timestamp.string(at), failureId])
            }
        }
    }
}
