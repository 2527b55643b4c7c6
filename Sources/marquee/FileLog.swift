import ArgumentParser
import BoxOffice
import Foundation
import Logging
import Synchronization

/// swift-log to a file beside the store (never to the terminal, which curses owns): one line
/// per entry, `time level [label] message key=value`.
struct FileLogHandler: LogHandler {
    private let file: FileLog
    private let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, file: FileLog, level: Logger.Level) {
        self.label = label
        self.file = file
        logLevel = level
    }

    static func value(_ text: String) -> String {
        let plain = !text.isEmpty && !text.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.properties.generalCategory == .control }
        return plain ? text : CommandLog.quoted(text)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        // Values with spaces, quotes or control characters are quoted, so each line splits into
        // its keys and values unambiguously.
        let extra = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\(Self.value("\($0.value)"))" }.joined()
        file.write("\(ISO8601DateFormatter().string(from: Date())) \(event.level) [\(label)] \(event.message)\(extra)\n")
    }
}

/// An append-only log file shared by every logger of the process.
///
/// - Important: opened with `O_APPEND` and written a whole line per `write(2)`, so several
///   processes sharing one log never write over each other's lines, and a log never writes at
///   an offset of its own into a file that something else is growing.
final class FileLog: Sendable {
    private let descriptor: Int32

    init(path: String) throws(LogPathError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func write(_ line: String) {
        let bytes = Array(line.utf8)
        // A log line that cannot be written (a full disk) must not stop the box office; the
        // store reports its own write failures where an operator sees them.
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// Why a log path is refused.
enum LogPathError: Error, CustomStringConvertible {
    case storeFile(path: String, store: String)
    case sqliteFile(path: String)
    case cannotOpen(path: String, reason: String)

    var description: String {
        switch self {
        case .storeFile(let path, let store):
            "--log \(path) is the store \(store) or one of its files; writing a log there would damage the store. Pass a .log path, or leave --log out"
        case .sqliteFile(let path):
            "--log \(path) is a SQLite database; writing a log there would damage it. Pass a .log path, or leave --log out"
        case .cannotOpen(let path, let reason):
            "cannot write the log \(path): \(reason); pass --log PATH"
        }
    }

    /// Refuses a log path that is the store, its `-wal`/`-shm`/`-journal` files, or any SQLite file.
    static func check(log: String, store: String) throws(LogPathError) {
        let logPath = canonical(log)
        for suffix in ["", "-wal", "-shm", "-journal"] where logPath == canonical(store + suffix) {
            throw .storeFile(path: log, store: store)
        }
        if isSQLite(log) { throw .sqliteFile(path: log) }
        for suffix in ["-wal", "-shm", "-journal"] where log.hasSuffix(suffix) {
            if isSQLite(String(log.dropLast(suffix.count))) { throw .sqliteFile(path: log) }
        }
    }

    /// The absolute path with symbolic links resolved (the path as given when it does not exist yet).
    private static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        if let resolved = realpath(absolute, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        if let resolved = realpath(folder, nil) {
            defer { free(resolved) }
            return String(cString: resolved) + "/" + name
        }
        return absolute
    }

    /// Whether the file starts with SQLite's header.
    private static func isSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }
}

/// Sends every logger to `path` (default: the store's path with `.log`), once per process.
func startLogging(store: StoreOptions) throws -> Logger {
    // A server store has no file to sit beside: its log is marquee.log in the current folder.
    let path = store.log ?? (StoreLocation.isServer(store.db) ? "marquee.log"
        : store.db.hasSuffix(".sqlite") ? String(store.db.dropLast(7)) + ".log" : store.db + ".log")
    let folder = (path as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
        throw failure("cannot write the log \(path): its folder does not exist; pass --log PATH")
    }
    let file: FileLog
    do {
        try LogPathError.check(log: path, store: store.db)
        file = try FileLog(path: path)
    } catch {
        throw failure(error)
    }
    let level = store.logLevel.level
    LoggingSystem.bootstrap { label in FileLogHandler(label: label, file: file, level: level) }
    return Logger(label: "marquee")
}

/// Logs what the runtime does: each command it answers (`CommandLog`) and what its bus reports
/// (retries, failures, skips) as it happens.
func logRuntime(_ runtime: Runtime, _ logger: Logger) {
    CommandLog.install(on: runtime.box, logger)
    let seen = Mutex(0)
    runtime.bus.onAdvance {
        let notices = runtime.bus.notices
        let fresh: [EventBus.Notice] = seen.withLock { count in
            defer { count = notices.count }
            return notices.count > count ? Array(notices[count...]) : []
        }
        for notice in fresh { logger.warning("\(notice.subscriber): \(notice.message)") }
    }
}

/// `--log-level`: swift-log's levels by name.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}
