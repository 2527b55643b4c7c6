import BoxOffice
import EventStore
import Foundation
import PostgresStore

/// Where `--db` points: a SQLite file, or a PostgreSQL database named by a `postgres://` URL.
/// Every subcommand that takes `--db` opens its store here.
enum StoreLocation {
    static func isServer(_ db: String) -> Bool { PostgresURL.isURL(db) }

    /// Opens the store (creating it when `create`); a bad URL is reported like any other store error.
    static func open(_ db: String, readOnly: Bool = false, create: Bool = true) throws(EventStoreError) -> any ReadModelStore {
        guard isServer(db) else { return try SQLiteEventStore(path: db, readOnly: readOnly, create: create) }
        let url: PostgresURL
        do { url = try PostgresURL(db) } catch { throw .storage(error.description) }
        return try PostgresEventStore(url: url, readOnly: readOnly, create: create && !readOnly)
    }

    /// Whether a store is there already (a file, or a database holding a Marquee store).
    static func exists(_ db: String) -> Bool {
        guard isServer(db) else { return FileManager.default.fileExists(atPath: db) }
        return (try? open(db, readOnly: true, create: false)) != nil
    }

    /// What `--db` names, for messages and logs: never a password.
    static func shown(_ db: String) -> String {
        guard isServer(db) else { return db }
        return (try? PostgresURL(db).description) ?? "the PostgreSQL URL given"
    }

    /// Why a URL given to `--db` cannot be used, or nil.
    static func problem(_ db: String) -> String? {
        guard isServer(db) else { return nil }
        do { _ = try PostgresURL(db) } catch { return error.description }
        return nil
    }
}
