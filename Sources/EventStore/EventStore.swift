import Foundation

/// What loading an aggregate needs: a stream's events and its latest snapshot. Both the store
/// and a write transaction on it provide them.
public protocol StreamSource {
    /// Events of one stream with version ≥ `version`, in order.
    func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent]
    func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot?
}

/// What a writer does while it holds the store's write lock: nothing another process writes can
/// come between what it reads here and what it appends, so a decision taken on these reads
/// cannot be overtaken.
public protocol EventStoreTransaction: StreamSource {
    /// The position of the last event, 0 for an empty log.
    func headPosition() throws(EventStoreError) -> Int64
    /// The streams that gained events after `position` (one look, however many moved).
    func streams(writtenAfter position: Int64) throws(EventStoreError) -> Set<String>
    /// The positions a command id was appended at, nil if that id was never recorded.
    func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]?
    /// Appends a request decided in this transaction and returns its positions.
    ///
    /// - Important: the caller vouches for the expected versions (it read those streams here,
    ///   or knows no one wrote them since it last did), so they are not read again; a write
    ///   at a version that is already taken still throws `wrongExpectedVersion`, and the caller
    ///   must then abandon the transaction. The command id must not be recorded yet.
    func append(_ request: AppendRequest) throws(EventStoreError) -> [Int64]
    /// Saves a snapshot with the transaction (a newer one stored already is kept).
    func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError)
    /// `recordedCommand` for several ids at once (a store on a server answers in one round
    /// trip): the positions of each id that was recorded; ids never recorded are absent.
    func recordedCommands(_ commandIds: [String]) throws(EventStoreError) -> [String: [Int64]]
    /// A hint that these streams are about to be loaded (snapshot, then the events after it):
    /// a store on a server fetches them all in one round trip. Loading works the same without it.
    func prefetch(streams: [String]) throws(EventStoreError)
}

extension EventStoreTransaction {
    public func prefetch(streams: [String]) throws(EventStoreError) {}

    public func recordedCommands(_ commandIds: [String]) throws(EventStoreError) -> [String: [Int64]] {
        var found: [String: [Int64]] = [:]
        for id in commandIds where found[id] == nil {
            if let positions = try recordedCommand(id) { found[id] = positions }
        }
        return found
    }
}

/// An append-only log of events in streams, with global positions, snapshots and checkpoints.
///
/// - Important: every implementation passes the same contract suite (`EventStoreTests`):
///   conditional appends, command-id dedupe, position order and snapshot round trips.
public protocol EventStore: StreamSource, Sendable {
    /// Appends several requests in one transaction; each succeeds or fails alone (a failed one
    /// leaves no trace), except that a request writing a stream that an earlier request of the
    /// batch failed to write (or repeated) fails too: it was decided on state that earlier request
    /// would have made, and its expected version could match only by coincidence.
    func append(_ requests: [AppendRequest]) throws(EventStoreError) -> [Result<AppendOutcome, EventStoreError>]

    /// Runs `body` holding the store's write lock (SQLite: one `BEGIN IMMEDIATE` transaction):
    /// commits what it appended when it returns, rolls everything back when it throws. Waits for
    /// the lock at most the store's lock deadline, then throws `busy` without running `body`.
    func transaction<T>(_ body: (any EventStoreTransaction) throws(EventStoreError) -> T) throws(EventStoreError) -> T

    /// Up to `limit` events with position > `position`, in position order.
    func readAll(after position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent]

    /// The position of the last event, 0 for an empty log.
    func headPosition() throws(EventStoreError) -> Int64

    /// The number of events in a stream, 0 if it does not exist.
    func version(of stream: String) throws(EventStoreError) -> Int64

    /// Counts for monitoring: all events, per type, and those recorded at or after `since`.
    func statistics(since: Date) throws(EventStoreError) -> StoreStatistics

    /// The positions a command id was appended at, nil if that id was never recorded.
    func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]?

    func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError)

    /// A store-wide setting (the store's clock, its format), nil when never set.
    func info(_ key: String) throws(EventStoreError) -> String?

    /// Sets a store-wide setting unless it is already set; returns the value in force, so
    /// several processes creating one store agree on the first writer's value.
    func setInfoIfAbsent(_ key: String, _ value: String) throws(EventStoreError) -> String

    /// The last position a subscriber has processed, 0 if it never ran.
    func checkpoint(of subscriber: String) throws(EventStoreError) -> Int64
    func saveCheckpoint(_ position: Int64, of subscriber: String) throws(EventStoreError)
}

/// A store that can tell a process at once when another process appended (PostgreSQL's
/// `LISTEN/NOTIFY`). A bus on such a store wakes then instead of at its next poll; polling
/// stays as the fallback when the notice is lost.
public protocol AppendNotifying: Sendable {
    /// Calls `handler`, on a thread of the store's, after a commit anywhere appended events.
    /// The handler must be quick (it wakes a thread). Returns false when listening cannot start.
    @discardableResult
    func whenAppended(_ handler: @escaping @Sendable () -> Void) -> Bool
}

extension EventStore {
    /// Appends one request on its own.
    public func append(_ request: AppendRequest) throws(EventStoreError) -> AppendOutcome {
        guard let result = try append([request]).first else { throw .storage("the store returned no result for an append") }
        return try result.get()
    }

    public func read(stream: String) throws(EventStoreError) -> [RecordedEvent] {
        try read(stream: stream, fromVersion: 1)
    }
}

/// Event counts for monitoring.
public struct StoreStatistics: Sendable, Hashable {
    public var head: Int64
    public var events: Int64
    public var byType: [String: Int64]
    public var since: Int64

    public init(head: Int64, events: Int64, byType: [String: Int64], since: Int64) {
        self.head = head
        self.events = events
        self.byType = byType
        self.since = since
    }
}

/// Why the store refused or failed; messages name the file and what to do.
public enum EventStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: Int64)
    case missingFolder(path: String)
    case notFound(path: String)
    case notAMarqueeStore(path: String)
    case newerSchema(path: String, unknownMigrations: [String])
    case needsUpgrade(path: String)
    case corrupt(path: String, detail: String)
    case readOnly(path: String)
    case busy(path: String)
    case full(path: String)
    case inUse(path: String)
    case filesChanged(path: String, detail: String)
    /// A rebuild swapped new read models in since the committing process loaded its rows:
    /// nothing was written; it reloads them and commits again.
    case readModelsReplaced
    case storage(String)

    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "concurrency conflict on \(stream): expected \(expected), found version \(actual)"
        case .missingFolder(let path):
            "cannot create \(path): its folder does not exist; create the folder"
        case .notFound(let path):
            "no store at \(path); check the path, or create a store there"
        case .notAMarqueeStore(let path):
            "\(path) is not a Marquee store; it was left untouched"
        case .newerSchema(let path, let unknown):
            "\(path) was written by a newer Marquee (schema \(unknown.joined(separator: ", "))); it was left untouched. Upgrade marquee to open it"
        case .needsUpgrade(let path):
            "\(path) uses an older schema; a process that may write to it upgrades it when it opens the store"
        case .corrupt(let path, let detail):
            "\(path) is damaged (\(detail)); it was left untouched. Restore it from a backup or start a new store"
        case .readOnly(let path):
            "\(path) cannot be written (read-only file or folder); fix its permissions"
        case .busy(let path):
            "store busy: another process held \(path)'s write lock past the deadline, so nothing was written; try again, or find the process holding it"
        case .full(let path):
            "\(path) cannot grow: the disk or the store's size limit is full; free space and try again. Nothing was written"
        case .inUse(let path):
            "\(path) is open in another Marquee process (a console, a simulator); it was left untouched. Quit that process first"
        case .filesChanged(let path, let detail):
            "\(path) changed under this process (\(detail)); stopped so that nothing more is written into a file that is gone. Verify its read models against the log and start again"
        case .readModelsReplaced:
            "a rebuild swapped new read models in while this process was committing; nothing was written, and it reloads them and commits again"
        case .storage(let detail):
            "store error: \(detail)"
        }
    }
}

/// Streams an earlier request of a batch failed to write (or repeated): later requests that
/// touch them are refused as conflicts instead of being appended on a wrong premise.
package struct BatchTaint {
    private var streams: Set<String> = []

    package init() {}

    package func refusal(for request: AppendRequest, actual: (String) throws -> Int64) rethrows -> EventStoreError? {
        guard let write = request.writes.first(where: { streams.contains($0.stream) }) else { return nil }
        return .wrongExpectedVersion(stream: write.stream, expected: write.expected, actual: try actual(write.stream))
    }

    package mutating func record(_ outcome: Result<AppendOutcome, EventStoreError>, of request: AppendRequest) {
        switch outcome {
        case .success(.appended): return
        case .success(.duplicate), .failure: streams.formUnion(request.writes.map(\.stream))
        }
    }
}
