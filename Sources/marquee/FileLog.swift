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

    init(label: String, file: FileLog) {
        self.label = label
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let extra = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        file.write("\(ISO8601DateFormatter().string(from: Date())) \(event.level) [\(label)] \(event.message)\(extra)\n")
    }
}

/// An append-only log file shared by every logger of the process.
final class FileLog: Sendable {
    private let handle: Mutex<FileHandle?>

    init(path: String) {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
        self.handle = Mutex(handle)
    }

    func write(_ line: String) {
        handle.withLock { _ = try? $0?.write(contentsOf: Data(line.utf8)) }
    }
}

/// Sends every logger to `path` (default: the store's path with `.log`), once per process.
func startLogging(store: StoreOptions) -> Logger {
    let path = store.log ?? (store.db.hasSuffix(".sqlite") ? String(store.db.dropLast(7)) + ".log" : store.db + ".log")
    let folder = (path as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
        fail("cannot write the log \(path): its folder does not exist; pass --log PATH")
    }
    let file = FileLog(path: path)
    LoggingSystem.bootstrap { label in FileLogHandler(label: label, file: file) }
    return Logger(label: "marquee")
}

/// Logs what the runtime's bus reports (retries, failures, skips) as it happens.
func logBusNotices(_ runtime: Runtime, _ logger: Logger) {
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
