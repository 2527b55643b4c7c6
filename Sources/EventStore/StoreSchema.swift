import GRDB

/// The store's tables, created by named migrations; the schema holds what it can enforce.
enum StoreSchema {
    static let migrationNames = ["v1"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(SQLiteEventStore.applicationID)")
            try db.execute(sql: """
                CREATE TABLE events (
                    position INTEGER PRIMARY KEY,
                    stream_id TEXT NOT NULL,
                    stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
                    type TEXT NOT NULL,
                    schema_version INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    UNIQUE (stream_id, stream_version)
                );
                CREATE INDEX events_type ON events(type);
                CREATE TABLE commands (
                    id TEXT PRIMARY KEY NOT NULL,
                    positions TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE TABLE snapshots (
                    stream_id TEXT PRIMARY KEY NOT NULL,
                    stream_version INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    schema_version INTEGER NOT NULL,
                    payload BLOB NOT NULL
                );
                CREATE TABLE checkpoints (
                    subscriber TEXT PRIMARY KEY NOT NULL,
                    position INTEGER NOT NULL CHECK (position >= 0)
                );
                CREATE TABLE failures (
                    id INTEGER PRIMARY KEY,
                    subscriber TEXT NOT NULL,
                    position INTEGER NOT NULL,
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
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                """)
        }
        return migrator
    }
}
