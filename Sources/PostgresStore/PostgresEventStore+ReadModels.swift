import EventStore
import Foundation
import PostgresNIO

extension PostgresEventStore {
    public func loadRows(of model: String) throws(EventStoreError) -> (rows: [String: Data], checkpoint: Int64) {
        let table = readModelTable(model)
        return try connections.with { session throws(EventStoreError) in
            // One snapshot of the database for the checkpoint and the rows.
            try session.transaction() { () throws(EventStoreError) in
                try session.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let checkpoint = try Self.checkpoint(of: model, session)
                guard try PostgresSchema.tableExists(table, session) else { return ([:], checkpoint) }
                var rows: [String: Data] = [:]
                for row in try session.query(PostgresQuery(unsafeSQL: "SELECT key, value FROM \(table)")) {
                    let (key, value) = try decode(row, (String, Data).self)
                    rows[key] = value
                }
                return (rows, checkpoint)
            }
        }
    }

    public func loadRows(of model: String, leavingInTable history: HistoryRows) throws(EventStoreError)
        -> (rows: [String: Data], history: Set<String>, checkpoint: Int64) {
        let table = readModelTable(model)
        return try connections.with { session throws(EventStoreError) in
            try session.transaction() { () throws(EventStoreError) in
                try session.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let checkpoint = try Self.checkpoint(of: model, session)
                guard try PostgresSchema.tableExists(table, session) else { return ([:], [], checkpoint) }
                // One scan: a history row's value is not even sent (NULL in its place).
                let marked = "strpos(substr(value, 1, \(HistoryRows.markWindow)), '\(HistoryRows.mark)') > 0"
                let isHistory: String
                switch history {
                case .countsOnly:
                    isHistory = marked
                case .showsWithCountsOnlyRows(let other):
                    let source = readModelTable(other)
                    guard try PostgresSchema.tableExists(source, session) else { isHistory = "false"; break }
                    isHistory = "key IN (SELECT split_part(key, '/', 1) FROM \(source) WHERE \(marked))"
                }
                var rows: [String: Data] = [:], keys: Set<String> = []
                let sql = "SELECT key, CASE WHEN \(isHistory) THEN NULL ELSE value END FROM \(table)"
                for row in try session.query(PostgresQuery(unsafeSQL: sql)) {
                    let (key, value) = try decode(row, (String, Data?).self)
                    if let value { rows[key] = value } else { keys.insert(key) }
                }
                return (rows, keys, checkpoint)
            }
        }
    }

    public func commitTogether(_ parts: [ReadModelPart], ifGeneration generation: Int64?) throws(EventStoreError) -> [(any Error)?] {
        guard !parts.isEmpty else { return [] }
        var replaced = false
        let errors = try connections.with { session throws(EventStoreError) in
            try session.transaction(lock: .readModels) { () throws(EventStoreError) -> [(any Error)?] in
                if let generation, try Self.generation(session) != generation {
                    replaced = true
                    return []
                }
                let transaction = ReadModelWrites(session: session)
                var errors: [(any Error)?] = []
                for part in parts {
                    do {
                        try session.savepoint { try part(transaction) }
                        errors.append(nil)
                    } catch let lost as Session.Lost {
                        throw lost.error
                    } catch EventStoreError.full(let path) {
                        // The disk is full: the whole transaction is lost, not only this part.
                        throw .full(path: path)
                    } catch {
                        errors.append(error)
                    }
                }
                return errors
            }
        }
        if replaced { throw .readModelsReplaced }
        return errors
    }

    static func generation(_ session: Session) throws(EventStoreError) -> Int64 {
        Int64(try info(StoreNames.generationKey, session) ?? "") ?? 0
    }

    /// The read-model side of one write transaction.
    private final class ReadModelWrites: ReadModelTransaction {
        let session: Session
        private var ensured: Set<String> = []

        init(session: Session) { self.session = session }

        private func table(_ model: String) throws -> String {
            let table = readModelTable(model)
            if ensured.insert(table).inserted { try PostgresSchema.ensureTable(table, session) }
            return table
        }

        func checkpoint(of subscriber: String) throws -> Int64 {
            try PostgresEventStore.checkpoint(of: subscriber, session)
        }

        func row(of model: String, key: String) throws -> Data? {
            var query = PostgresQuery(unsafeSQL: "SELECT value FROM \(try table(model)) WHERE key = $1")
            query.binds.append(key)
            return try single(session.query(query), Data.self)
        }

        func write(_ model: String, rows: [String: Data], deleted: Set<String>) throws {
            try PostgresEventStore.write(try table(model), rows: rows, deleted: deleted, session)
        }

        func setCheckpoint(_ position: Int64, of subscriber: String) throws {
            try PostgresEventStore.setCheckpoint(subscriber, position, session)
        }
    }

    /// Upserts `rows` and deletes the `deleted` keys not among them, one statement each.
    static func write(_ table: String, rows: [String: Data], deleted: Set<String>, _ session: Session) throws(EventStoreError) {
        if !rows.isEmpty {
            // In key order: rows land in index order, and two writers never deadlock on them.
            let sorted = rows.sorted { $0.key < $1.key }
            var upsert = PostgresQuery(unsafeSQL: """
                INSERT INTO \(table) (key, value) SELECT * FROM unnest($1::text[], $2::text[])
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
            upsert.binds.append(sorted.map(\.key))
            upsert.binds.append(sorted.map { String(decoding: $0.value, as: UTF8.self) })
            try session.query(upsert)
        }
        let gone = deleted.filter { rows[$0] == nil }
        if !gone.isEmpty {
            var delete = PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE key = ANY($1::text[])")
            delete.binds.append(Array(gone))
            try session.query(delete)
        }
    }

    public func writeShadow(of model: String, rows: [String: Data], deleted: Set<String>, fresh: Bool) throws(EventStoreError) {
        let shadow = readModelTable(model) + StoreNames.shadowSuffix
        try connections.with { session throws(EventStoreError) in
            try session.transaction() { () throws(EventStoreError) in
                if fresh { try session.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(shadow)")) }
                try PostgresSchema.ensureTable(shadow, session)
                try Self.write(shadow, rows: rows, deleted: deleted, session)
            }
        }
    }

    public func swapShadows(_ given: [String: Int64], catchingUp: ShadowCatchUp?) throws(EventStoreError) -> ShadowSwap {
        try connections.with { session throws(EventStoreError) in
            // Under the write lock: the stored checkpoints read here cannot move before the swap commits.
            try session.transaction(lock: .readModels) { () throws(EventStoreError) -> ShadowSwap in
                var ahead: [String: Int64] = [:]
                for (model, checkpoint) in given {
                    let stored = try Self.checkpoint(of: model, session)
                    if stored > checkpoint { ahead[model] = stored }
                }
                var checkpoints = given
                if !ahead.isEmpty {
                    guard let catchingUp else { return .behind(ahead) }
                    let caughtUp: [String: (rows: [String: Data], deleted: Set<String>)]
                    do {
                        caughtUp = try catchingUp(ahead) { after, limit in try Self.events(after: after, limit: limit, session) }
                    } catch {
                        throw (error as? EventStoreError) ?? .storage("catching a rebuild up failed: \(error)")
                    }
                    for (model, changes) in caughtUp {
                        let shadow = readModelTable(model) + StoreNames.shadowSuffix
                        try PostgresSchema.ensureTable(shadow, session)
                        try Self.write(shadow, rows: changes.rows, deleted: changes.deleted, session)
                    }
                    checkpoints.merge(ahead) { max($0, $1) }
                }
                var changes: [String: RowChanges] = [:]
                for (model, checkpoint) in checkpoints {
                    let (live, shadow) = (readModelTable(model), readModelTable(model) + StoreNames.shadowSuffix)
                    try PostgresSchema.ensureTable(live, session)
                    try PostgresSchema.ensureTable(shadow, session)
                    changes[model] = try Self.difference(from: live, to: shadow, session)
                    // Renaming swaps the whole table at once, however many rows it holds.
                    try session.query(PostgresQuery(unsafeSQL: "DROP TABLE \(live)"))
                    try session.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(shadow) RENAME TO \(live)"))
                    // The primary key's index keeps the shadow's name: give it the live one.
                    try session.query(PostgresQuery(unsafeSQL: "ALTER INDEX IF EXISTS \(shadow)_pkey RENAME TO \(live)_pkey"))
                    try Self.setCheckpoint(model, checkpoint, session)
                }
                try session.query("""
                    INSERT INTO store_info (key, value) VALUES (\(StoreNames.generationKey), '1')
                    ON CONFLICT (key) DO UPDATE SET value = (store_info.value::int8 + 1)::text
                    """)
                return .swapped(changes, checkpoints: checkpoints)
            }
        }
    }

    /// How the rows of `new` differ from those of `old`, compared as stored text.
    private static func difference(from old: String, to new: String, _ session: Session) throws(EventStoreError) -> RowChanges {
        func count(_ sql: String) throws(EventStoreError) -> Int { Int(try single(session.query(PostgresQuery(unsafeSQL: sql)), Int64.self) ?? 0) }
        return RowChanges(
            inserted: try count("SELECT count(*)::int8 FROM \(new) n WHERE NOT EXISTS (SELECT 1 FROM \(old) o WHERE o.key = n.key)"),
            updated: try count("SELECT count(*)::int8 FROM \(new) n JOIN \(old) o ON o.key = n.key WHERE o.value IS DISTINCT FROM n.value"),
            deleted: try count("SELECT count(*)::int8 FROM \(old) o WHERE NOT EXISTS (SELECT 1 FROM \(new) n WHERE n.key = o.key)")
        )
    }

    public func dropShadows(of models: [String]) throws(EventStoreError) {
        try connections.with { session throws(EventStoreError) in
            for model in models {
                try session.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(readModelTable(model) + StoreNames.shadowSuffix)"))
            }
        }
    }

    public func readModelGeneration() throws(EventStoreError) -> Int64 {
        try connections.with { session throws(EventStoreError) in try Self.generation(session) }
    }

    public func recordFailure(_ failure: FailureRecord) throws(EventStoreError) -> FailureRecord {
        try connections.with { session throws(EventStoreError) in
            try session.transaction() { () throws(EventStoreError) in
                var record = failure
                let first = Timestamp.string(failure.firstAttemptAt), last = Timestamp.string(failure.lastAttemptAt)
                let next = failure.nextAttemptAt.map(Timestamp.string)
                let open = try single(session.query("""
                    SELECT id FROM failures WHERE subscriber = \(failure.subscriber) AND position = \(failure.position) AND resolved_at IS NULL
                    FOR UPDATE
                    """), Int64.self)
                if let open {
                    try session.query("""
                        UPDATE failures SET event_type = \(failure.eventType), error = \(failure.error), attempts = \(Int32(failure.attempts)),
                            first_attempt_at = \(first), last_attempt_at = \(last), next_attempt_at = \(next) WHERE id = \(open)
                        """)
                    record.id = open
                } else {
                    record.id = try single(session.query("""
                        INSERT INTO failures (subscriber, position, event_type, error, attempts, first_attempt_at, last_attempt_at, next_attempt_at)
                        VALUES (\(failure.subscriber), \(failure.position), \(failure.eventType), \(failure.error), \(Int32(failure.attempts)),
                            \(first), \(last), \(next))
                        RETURNING id
                        """), Int64.self) ?? 0
                }
                return record
            }
        }
    }

    public func failures(includeResolved: Bool) throws(EventStoreError) -> [FailureRecord] {
        try connections.with { session throws(EventStoreError) in
            let filter = includeResolved ? "" : "WHERE resolved_at IS NULL"
            var records: [FailureRecord] = []
            for row in try session.query(PostgresQuery(unsafeSQL: """
                SELECT id, subscriber, position, event_type, error, attempts, first_attempt_at, last_attempt_at,
                    next_attempt_at, resolved_at, resolution FROM failures \(filter) ORDER BY id
                """)) {
                let (id, subscriber, position, type, error, attempts, first, last, next, resolved, resolution) = try decode(
                    row, (Int64, String, Int64, String, String, Int32, String, String, String?, String?, String?).self)
                records.append(FailureRecord(
                    id: id, subscriber: subscriber, position: position, eventType: type, error: error, attempts: Int(attempts),
                    firstAttemptAt: Timestamp.date(first) ?? Date(timeIntervalSince1970: 0),
                    lastAttemptAt: Timestamp.date(last) ?? Date(timeIntervalSince1970: 0),
                    nextAttemptAt: next.flatMap(Timestamp.date), resolvedAt: resolved.flatMap(Timestamp.date), resolution: resolution
                ))
            }
            return records
        }
    }

    public func resolveFailure(id: Int64, resolution: String, at: Date) throws(EventStoreError) {
        try connections.with { session throws(EventStoreError) in
            try session.query("""
                UPDATE failures SET resolved_at = \(Timestamp.string(at)), resolution = \(resolution) WHERE id = \(id) AND resolved_at IS NULL
                """)
            return
        }
    }

    public func skip(subscriber: String, position: Int64, failureId: Int64, at: Date) throws(EventStoreError) {
        try connections.with { session throws(EventStoreError) in
            try session.transaction(lock: .readModels) { () throws(EventStoreError) in
                if try Self.checkpoint(of: subscriber, session) < position { try Self.setCheckpoint(subscriber, position, session) }
                try session.query("""
                    UPDATE failures SET resolved_at = \(Timestamp.string(at)), resolution = 'skipped' WHERE id = \(failureId) AND resolved_at IS NULL
                    """)
            }
        }
    }
}
