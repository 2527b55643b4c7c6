import Faults
import Foundation
import GRDB

/// The event store in a SQLite file (WAL, synchronous=NORMAL, busy timeout), shared safely by
/// several processes: appends are conditional on stream versions inside IMMEDIATE transactions.
public final class SQLiteEventStore: EventStore {
    /// `PRAGMA application_id` of every Marquee store ("MRQN"): how a Marquee file is recognised.
    public static let applicationID: Int32 = 0x4D52_514E

    public let path: String
    /// The connection pool, for other parts of Marquee that keep tables in the same file.
    public let database: DatabasePool
    /// Deliberate defects in force for this store (tests only; always empty in a normal run).
    let faults = Faults.active
    /// This process's hold on the store's files: the shared lock, and their identities.
    let files: StoreFileGuard

    /// Opens the store at `path`, creating it (mode 0600) when `create` is true and not `readOnly`.
    ///
    /// - Important: a file that is not a Marquee store, or was written by a newer Marquee, is
    ///   refused before anything is written to it.
    public init(path: String, readOnly: Bool = false, create: Bool = true, busyTimeout: TimeInterval = 5) throws(EventStoreError) {
        self.path = path
        // Switching a new file to WAL needs it to itself for a moment; when several processes
        // open a new store together, the losers are told "busy" at once and simply try again.
        var attempt = 0
        while true {
            let started = Date()
            do {
                database = try Self.connect(path, readOnly: readOnly, create: create, busyTimeout: busyTimeout, inspecting: !faults.contains(.acceptForeignFile))
                files = StoreFileGuard(path: path, watchLog: !readOnly)
                return
            } catch .busy(let busyPath) {
                // A busy that waited out the timeout is a real lock held by someone: report it.
                attempt += 1
                if attempt >= 40 || Date().timeIntervalSince(started) >= busyTimeout / 2 { throw .busy(path: busyPath) }
                usleep(25_000)
            }
        }
    }

    private static func connect(_ path: String, readOnly: Bool, create: Bool, busyTimeout: TimeInterval, inspecting: Bool) throws(EventStoreError) -> DatabasePool {
        let existed = try prepareFile(at: path, create: create && !readOnly)
        if !existed { try mark(path) } else if inspecting { try inspect(path) }
        var configuration = Configuration()
        configuration.busyMode = .callback(Self.waitForLock(deadline: busyTimeout))
        configuration.readonly = readOnly
        configuration.label = "marquee-store"
        // Readers are the bus, the console's look-ups and the writer's loads: three suffice,
        // and each reader's page cache is resident memory.
        configuration.maximumReaderCount = 3
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            let database = try DatabasePool(path: path, configuration: configuration)
            let migrator = StoreSchema.migrator
            if readOnly {
                let applied = try database.read { try migrator.appliedIdentifiers($0) }
                guard Set(StoreSchema.migrationNames).isSubset(of: applied) else { throw EventStoreError.needsUpgrade(path: path) }
            } else if !Set(StoreSchema.migrationNames).isSubset(of: try database.read({ try migrator.appliedIdentifiers($0) })) {
                // Opening an up-to-date store writes nothing, so a long write elsewhere cannot block it.
                do {
                    try migrator.migrate(database)
                } catch {
                    // Several processes creating one store at once: the others' migration won
                    // the race (ours rolled back). Fine if the store is now fully migrated.
                    let applied = try database.read { try migrator.appliedIdentifiers($0) }
                    guard Set(StoreSchema.migrationNames).isSubset(of: applied) else { throw error }
                }
            }
            return database
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw translate(error, path: path)
        }
    }

    /// Waits for another connection's lock in short naps and gives up (SQLITE_BUSY, reported as
    /// `busy`) once they add up to `deadline`. SQLite's own busy timeout naps up to 100 ms at a
    /// time, so a writer freed a moment after it fell asleep would idle on: under a rush of
    /// several processes that was the whole of a command's latency.
    static func waitForLock(deadline: TimeInterval) -> Database.BusyCallback {
        let limit = max(deadline, 0) * 1e6
        return { tries in
            // Naps of 100 µs for the first 2 ms, 250 µs up to 22 ms, then 1 ms.
            let slept = tries < 20 ? Double(tries) * 100 : tries < 100 ? 2_000 + Double(tries - 20) * 250 : 22_000 + Double(tries - 100) * 1_000
            guard slept < limit else { return false }
            usleep(tries < 20 ? 100 : tries < 100 ? 250 : 1_000)
            return true
        }
    }

    /// Creates the file with mode 0600 when it does not exist; says whether it existed.
    private static func prepareFile(at path: String, create: Bool) throws(EventStoreError) -> Bool {
        let manager = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty, !(manager.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw create ? .missingFolder(path: path) : .notFound(path: path)
        }
        if manager.fileExists(atPath: path) {
            let size = (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return size > 0
        }
        if !create { throw .notFound(path: path) }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return true }
            throw errno == EACCES || errno == EROFS ? .readOnly(path: path) : .storage("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        return false
    }

    /// Stamps a new, empty file as a Marquee store before anything else is written to it, so a
    /// process opening it at the same moment never sees a half-made store without the mark.
    private static func mark(_ path: String) throws(EventStoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                let current = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if current == 0 { try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)") }
            }
            try queue.close()
        } catch {
            throw translate(error, path: path)
        }
    }

    /// Refuses files that are not Marquee stores or come from a newer Marquee, reading only.
    private static func inspect(_ path: String) throws(EventStoreError) {
        try checkLength(path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                if applicationID != Self.applicationID {
                    if tables > 0 { throw EventStoreError.notAMarqueeStore(path: path) }
                    return
                }
                let applied = try StoreSchema.migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(StoreSchema.migrationNames)
                if !unknown.isEmpty { throw EventStoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
                // Reading the last event proves the file is readable (a store still being
                // created by another process has no events table yet).
                if applied.contains("v1") {
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE position = (SELECT max(position) FROM events)")
                }
            }
        } catch let error as EventStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .notAMarqueeStore(path: path)
        } catch {
            throw translate(error, path: path)
        }
    }

    /// A file shorter than its header says (cut off by a crash or a bad copy) is damaged; with
    /// no write-ahead log beside it there is nothing that could make up the difference.
    private static func checkLength(_ path: String) throws(EventStoreError) {
        guard !FileManager.default.fileExists(atPath: path + "-wal"),
              let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 100), header.count == 100,
              header.starts(with: Data("SQLite format 3\u{0}".utf8)) else { return }
        let bytes = [UInt8](header)
        let rawPageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        let pages = Int(bytes[28]) << 24 | Int(bytes[29]) << 16 | Int(bytes[30]) << 8 | Int(bytes[31])
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if pages > 0, size < pages * pageSize {
            throw .corrupt(path: path, detail: "the file has \(size) bytes but its header says \(pages * pageSize); it was cut off")
        }
    }

    static func translate(_ error: any Error, path: String) -> EventStoreError {
        if let error = error as? EventStoreError { return error }
        guard let error = error as? DatabaseError else { return .storage(String(describing: error)) }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path)
        case .SQLITE_FULL: return .full(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM: return .readOnly(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: error.message ?? "database disk image is malformed")
        case .SQLITE_NOTADB: return .notAMarqueeStore(path: path)
        case .SQLITE_CANTOPEN: return .storage("cannot open \(path): \(error.message ?? "unknown reason")")
        default: return .storage("\(path): \(error.message ?? error.description)")
        }
    }

    /// Deletes the store at `path` with its `-wal` and `-shm` files, refusing when another
    /// process has it open; a file that is not a Marquee store is refused and left untouched.
    /// With `dryRun`, deletes nothing and only says (by throwing) why it could not.
    public static func remove(path: String, dryRun: Bool = false) throws(EventStoreError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        // Proves it is a Marquee store; closed again before the exclusive lock is tried.
        _ = try SQLiteEventStore(path: path, readOnly: true)
        try StoreFileGuard.remove(path: path, dryRun: dryRun)
    }

    /// Throws when the store's files were deleted or replaced under this process.
    func checkFiles() throws(EventStoreError) {
        if let change = files.change() { throw .filesChanged(path: path, detail: change) }
    }

    func guarded<T>(_ body: () throws -> T) throws(EventStoreError) -> T {
        do { return try body() } catch { throw Self.translate(error, path: path) }
    }
}
