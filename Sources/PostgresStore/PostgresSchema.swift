import EventStore
import Foundation
import PostgresNIO

/// The store's tables in PostgreSQL: the same tables and constraints as SQLite's, created by
/// named migrations recorded in `marquee_migrations`, whose presence marks a Marquee store.
enum PostgresSchema {
    static let migrations: [(name: String, sql: String)] = [
        ("v1", """
            CREATE TABLE events (
                position BIGINT PRIMARY KEY CHECK (position >= 1),
                stream_id TEXT NOT NULL,
                stream_version BIGINT NOT NULL CHECK (stream_version >= 1),
                type TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                payload TEXT NOT NULL,
                metadata TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                UNIQUE (stream_id, stream_version)
            );
            CREATE INDEX events_type ON events(type);
            CREATE TABLE commands (
                id TEXT PRIMARY KEY,
                positions TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            );
            CREATE TABLE snapshots (
                stream_id TEXT PRIMARY KEY,
                stream_version BIGINT NOT NULL,
                type TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                payload BYTEA NOT NULL
            );
            CREATE TABLE checkpoints (
                subscriber TEXT PRIMARY KEY,
                position BIGINT NOT NULL CHECK (position >= 0)
            );
            CREATE TABLE failures (
                id BIGSERIAL PRIMARY KEY,
                subscriber TEXT NOT NULL,
                position BIGINT NOT NULL,
                event_type TEXT NOT NULL,
                error TEXT NOT NULL,
                attempts INTEGER NOT NULL CHECK (attempts >= 1),
                first_attempt_at TEXT NOT NULL,
                last_attempt_at TEXT NOT NULL,
                next_attempt_at TEXT,
                resolved_at TEXT,
                resolution TEXT
            );
            CREATE TABLE store_info (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
    ]

    /// Checks what the database holds and brings an empty one (or an older store) up to date,
    /// under a lock so that processes opening one new database together create it once.
    static func prepare(_ session: Session, create: Bool, readOnly: Bool) throws(EventStoreError) {
        let url = session.url.description
        let known = Set(migrations.map(\.name))
        func applied() throws(EventStoreError) -> [String]? {
            guard try tableExists("marquee_migrations", session) else { return nil }
            var names: [String] = []
            for row in try session.query("SELECT name FROM marquee_migrations") { names.append(try decode(row, String.self)) }
            return names
        }
        func check(_ names: [String]) throws(EventStoreError) {
            let unknown = names.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty { throw .newerSchema(path: url, unknownMigrations: unknown) }
        }
        // A read-only or existing-only open looks first, without locks or writes.
        if let names = try applied() {
            try check(names)
            if Set(names) == known { return }
            if readOnly { throw .needsUpgrade(path: url) }
        } else {
            guard create else {
                if try tablesInSchema(session) > 0 { throw .notAMarqueeStore(path: url) }
                throw .notFound(path: url)
            }
        }
        try session.transaction() { () throws(EventStoreError) in
            try session.query("SELECT pg_advisory_xact_lock(\(PostgresEventStore.schemaLockKey))")
            let names: [String]
            if let existing = try applied() {
                names = existing
            } else {
                // Only an empty database becomes a store: anything else is someone else's.
                if try tablesInSchema(session) > 0 { throw .notAMarqueeStore(path: url) }
                try session.query("CREATE TABLE marquee_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                names = []
            }
            try check(names)
            for migration in migrations where !names.contains(migration.name) {
                for statement in migration.sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try session.query(PostgresQuery(unsafeSQL: String(statement)))
                }
                try session.query("INSERT INTO marquee_migrations (name) VALUES (\(migration.name))")
            }
        }
    }

    /// Tables in the current schema (`public` unless the role says otherwise).
    static func tablesInSchema(_ session: Session) throws(EventStoreError) -> Int64 {
        try single(session.query("SELECT count(*)::int8 FROM pg_tables WHERE schemaname = current_schema()"), Int64.self) ?? 0
    }

    /// Creates a read model's table on first use (`key TEXT PRIMARY KEY, value TEXT`).
    static func ensureTable(_ table: String, _ session: Session) throws(EventStoreError) {
        try session.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(table) (key TEXT PRIMARY KEY, value TEXT NOT NULL)"))
    }

    /// Asked of `pg_tables`, not `to_regclass`: the catalog cache behind `to_regclass` can miss a
    /// table another process created a moment ago (two processes creating one store at once).
    static func tableExists(_ table: String, _ session: Session) throws(EventStoreError) -> Bool {
        try single(session.query("""
            SELECT count(*)::int8 FROM pg_tables WHERE schemaname = current_schema() AND tablename = \(table)
            """), Int64.self) ?? 0 > 0
    }
}
