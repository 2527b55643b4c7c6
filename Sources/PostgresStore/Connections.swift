import EventStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The store's connections to the server: idle ones are reused, a new one is opened when all
/// are busy, and one that broke is dropped. The store's methods are synchronous (as SQLite's
/// are), so each waits for its query's future on the calling thread — never on an event loop.
final class Connections: Sendable {
    let url: PostgresURL
    let readOnly: Bool
    /// How long a statement waits for a lock (the write locks among them) before the server
    /// gives up on it: set once per connection, so a write takes its lock in one round trip.
    let lockTimeout: TimeInterval
    private let idle = Mutex<[PostgresConnection]>([])
    /// Connections that only listen for notifications; closed with the store.
    private let listening = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)
    /// Nothing of the driver's reaches the terminal: a console may be drawing on it.
    static let quiet = Logger(label: "marquee.postgres") { _ in SwiftLogNoOpLogHandler() }
    /// Connections kept open for reuse; more may be open while busy.
    private static let kept = 4

    init(url: PostgresURL, readOnly: Bool, lockTimeout: TimeInterval = 5) {
        self.url = url
        self.readOnly = readOnly
        self.lockTimeout = lockTimeout
    }

    /// A connection must be closed before it is released.
    deinit { closeAll() }

    /// Runs `body` on a connection of its own for the duration.
    func with<T>(_ body: (Session) throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        let connection = try take()
        let session = Session(connection: connection, url: url)
        do {
            let result = try body(session)
            give(connection)
            return result
        } catch {
            // A connection whose transaction is in an unknown state is not handed out again.
            if session.inTransaction || connection.isClosed { close(connection) } else { give(connection) }
            throw error
        }
    }

    private func take() throws(EventStoreError) -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        return try open()
    }

    private func give(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let kept = idle.withLock { idle in
            guard idle.count < Self.kept else { return false }
            idle.append(connection)
            return true
        }
        if !kept { close(connection) }
    }

    /// Closes and waits: a connection must be closed before it is released.
    private func close(_ connection: PostgresConnection) {
        try? (connection.close() as EventLoopFuture<Void>).wait()
    }

    func open() throws(EventStoreError) -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        switch url.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            if url.requireTLS {
                do { tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration())) } catch {
                    throw .storage("cannot set up TLS for \(url): \(error)")
                }
            } else {
                tls = .disable
            }
            configuration = .init(host: host, port: port, username: url.user, password: url.password, database: url.database, tls: tls)
        case .socket(let folder, let port):
            configuration = .init(unixSocketPath: folder + "/.s.PGSQL.\(port)", username: url.user, password: url.password, database: url.database)
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("lock_timeout", "\(Int(lockTimeout * 1000))ms")]
        if readOnly { configuration.options.additionalStartupParameters.append(("default_transaction_read_only", "on")) }
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: Self.quiet
            ).wait()
        } catch {
            throw Session.translate(error, url: url, connecting: true)
        }
    }

    func keepListening(_ connection: PostgresConnection) {
        listening.withLock { $0.append(connection) }
    }

    /// Closes every idle and listening connection (busy ones close when given back).
    func closeAll() {
        for connection in idle.withLock({ idle in defer { idle.removeAll() }; return idle }) { close(connection) }
        for connection in listening.withLock({ listening in defer { listening.removeAll() }; return listening }) { close(connection) }
    }
}

/// The store's two write locks, each a `pg_advisory_xact_lock` held until commit.
enum WriteLock {
    /// Appending to the log: positions are numbered and made visible in order under it.
    case log
    /// Writing read models and checkpoints (projection commits, rebuild swaps, skips): they never
    /// append, so they need not wait for appends, nor appends for them.
    case readModels

    var key: Int64 {
        switch self {
        case .log: 0x4D52_5157  // "MRQW"
        case .readModels: 0x4D52_5152  // "MRQR"
        }
    }
}

/// One connection lent to one caller: queries wait for their results here.
final class Session {
    let connection: PostgresConnection
    let url: PostgresURL
    private(set) var inTransaction = false

    init(connection: PostgresConnection, url: PostgresURL) {
        self.connection = connection
        self.url = url
    }

    @discardableResult
    func query(_ query: PostgresQuery) throws(EventStoreError) -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: Connections.quiet).wait()
        } catch {
            throw Self.translate(error, url: url)
        }
    }

    /// Runs a statement, letting a unique violation through as itself (appends turn it into a conflict).
    func insert(_ query: PostgresQuery) throws(EventStoreError) -> Bool {
        do {
            _ = try connection.query(query, logger: Connections.quiet).wait()
            return true
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            return false
        } catch {
            throw Self.translate(error, url: url)
        }
    }

    /// `BEGIN`, body, `COMMIT`; `ROLLBACK` when the body throws. With a `lock`, that advisory
    /// lock is taken first (see `PostgresEventStore`), waiting at most the connection's lock
    /// timeout (then `busy`).
    func transaction<T>(lock: WriteLock? = nil, _ body: () throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        try query("BEGIN")
        inTransaction = true
        do {
            if let lock { try query("SELECT pg_advisory_xact_lock(\(lock.key))") }
            let result = try body()
            try query("COMMIT")
            inTransaction = false
            return result
        } catch {
            if (try? query("ROLLBACK")) != nil { inTransaction = false }
            throw error
        }
    }

    /// Runs `body` in a savepoint: rolled back alone when it throws. When the savepoint itself
    /// cannot be set or rolled back, the transaction is lost: that throws `Lost`, not the body's error.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        do { try query("SAVEPOINT part") } catch { throw Lost(error: error) }
        do {
            let result = try body()
            do { try query("RELEASE SAVEPOINT part") } catch { throw Lost(error: error) }
            return result
        } catch let lost as Lost {
            throw lost
        } catch {
            do { try query("ROLLBACK TO SAVEPOINT part") } catch { throw Lost(error: error) }
            throw error
        }
    }

    /// The transaction around a savepoint failed, not the part inside it.
    struct Lost: Error {
        let error: EventStoreError
    }

    /// The store's error for what the driver or server reported; never the password, never a bound value.
    static func translate(_ error: any Error, url: PostgresURL, connecting: Bool = false) -> EventStoreError {
        if let error = error as? EventStoreError { return error }
        guard let error = error as? PSQLError else {
            return .storage("cannot reach PostgreSQL at \(url) (\(error)); check that the server runs and the URL is right")
        }
        guard let info = error.serverInfo else {
            if error.code == .sslUnsupported {
                return .storage("PostgreSQL at \(url) does not offer TLS; drop sslmode=require from the URL, or turn TLS on in the server")
            }
            let what = connecting ? "cannot connect to PostgreSQL at \(url)" : "lost the connection to PostgreSQL at \(url)"
            let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return .storage("\(what) (\(reason)); check that the server runs and the URL is right")
        }
        let state = info[.sqlState] ?? "", message = info[.message] ?? "unknown error"
        switch state {
        case "55P03": return .busy(path: url.description)
        case "25006", "42501": return .readOnly(path: url.description)
        case "53100": return .full(path: url.description)
        case "28P01", "28000": return .storage("PostgreSQL at \(url) refused the login (\(message)); set the password in PGPASSWORD or ~/.pgpass")
        case "3D000":
            return .storage("there is no database \(url.database) at \(url); create it (createdb \(url.database)), and Marquee creates its tables in it")
        default: return .storage("PostgreSQL at \(url): \(message) (\(state))")
        }
    }
}
