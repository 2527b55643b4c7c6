import Foundation

/// Watches a store's files from one process: holds a shared `flock` on the database file for as
/// long as the store is open (so `demo --fresh` can tell that someone is using it), and notices
/// when the database file or its write-ahead log is deleted or replaced under the process.
///
/// - Important: `flock` locks are independent of the POSIX locks SQLite takes on the same file
///   (on Linux), so holding one never interferes with SQLite's own locking.
final class StoreFileGuard: Sendable {
    /// A file's identity: device and inode.
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }

        init?(descriptor: Int32) {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    let path: String
    private let descriptor: Int32
    private let database: Identity?
    private let log: Identity?

    /// Takes the shared lock; `watchLog` when this process writes, so the log exists and must stay.
    init(path: String, watchLog: Bool) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            // Blocks only while a `--fresh` removal holds the exclusive lock (milliseconds).
            while flock(descriptor, LOCK_SH) != 0 && errno == EINTR {}
        }
        database = descriptor >= 0 ? Identity(descriptor: descriptor) : nil
        log = watchLog ? Identity(path: path + "-wal") : nil
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Nil while the files this process opened are still the ones at the store's path; else what changed.
    func change() -> String? {
        if let database {
            guard let now = Identity(path: path) else { return "the database file was deleted" }
            if now != database { return "the database file was replaced" }
        }
        if let log {
            guard let now = Identity(path: path + "-wal") else { return "its write-ahead log (-wal) was deleted" }
            if now != log { return "its write-ahead log (-wal) was replaced" }
        }
        return nil
    }

    /// Deletes the store at `path` (its `-wal` and `-shm` too) unless another process has it
    /// open; with `dryRun`, only says whether it could.
    static func remove(path: String, dryRun: Bool = false) throws(EventStoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { throw .inUse(path: path) }
        if dryRun { return }
        for suffix in ["", "-wal", "-shm"] {
            if unlink(path + suffix) != 0 && errno != ENOENT {
                throw .storage("cannot delete \(path + suffix): \(String(cString: strerror(errno)))")
            }
        }
    }
}
