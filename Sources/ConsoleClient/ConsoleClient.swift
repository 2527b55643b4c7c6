import Foundation
import Ticketing

/// The one thing the console talks to: requests in, typed outcomes out, and immutable
/// snapshots of the read models and the bus. The running engine implements it
/// (`BoxOffice.EngineClient`); tests implement it with plain values.
///
/// - Important: every method may be called from any thread, and none blocks on the store
///   where it is marked `async`: the console's loop never waits on SQLite.
public protocol ConsoleClient: Sendable {
    /// Now on the store's clock (simulated time).
    func now() -> Date
    /// How many simulated seconds pass per second.
    var speed: Double { get }
    /// The newest snapshot of every read model and of the bus.
    func snapshot() -> ConsoleSnapshot
    /// Calls `body`, on another thread, whenever a newer snapshot is ready.
    func onChange(_ body: @escaping @Sendable () -> Void)
    /// Runs a request on behalf of `actor`.
    func send(_ request: CommandRequest, as actor: String) async -> CommandOutcome
    /// Retries or skips the open failure `id` (the same implementation as `marquee failures`);
    /// answers the record it closed.
    func resolve(failure id: Int64, by action: FailureAction) async -> Result<SubscriberFailure, ClientError>
    /// Everything that ever happened to the seat: its inventory events, and every reservation
    /// that held it with each step of its life (request, hold, payment, outcome).
    func seatHistory(_ seat: SeatID, of show: ShowID) async -> Result<SeatProvenance, ClientError>
    /// One event in full: where it is, who caused it, its payload.
    func eventDetails(at position: Int64) async -> Result<EventDetails, ClientError>
    /// A show's seat map with every seat, from its inventory (for a closed show, whose
    /// read-model sections keep only counts); empty when it cannot be read.
    func seatMap(of show: ShowID) async -> [AvailableSeats.Section]
    /// Closed shows' rows that the read models left in their tables.
    func history() async -> HistoryModels
    /// Orders matching a query, newest first, as of the log's head (screen 4).
    func orders(_ query: OrderQuery) async -> Result<OrderSearch, ClientError>
    /// One customer's history and every order in the name; nil when the name has no order.
    func customer(_ name: String) async -> Result<CustomerRecord?, ClientError>
    /// Every reservation in flight at its saga step, stuck ones first (screen 5).
    func sagas() async -> Result<SagaBoard, ClientError>
    /// The console's first frame is on screen: the engine starts its timers now, so that
    /// holds that fell due while nothing ran expire just after it rather than before it.
    func firstFrameShown()
}

/// What the console asks the engine to do.
public enum CommandRequest: Sendable, Hashable {
    case command(Command)
    case reserve(ShowID, seats: [SeatID], customer: String)
    case best(ShowID, quantity: Int, section: String?, customer: String)
}

/// How a request ended.
public enum CommandOutcome: Sendable, Hashable {
    /// Appended at `positions`; `duplicate` when an earlier identical command had already
    /// appended everything (nothing new was written).
    case accepted(positions: [Int64], events: [DomainEvent], duplicate: Bool)
    /// The domain said no, and why.
    case refused(TicketingError)
    /// It could not be done (the store, the engine shutting down); the words say why.
    case failed(String)
}

public enum FailureAction: String, Sendable, Hashable {
    case retry, skip
}

/// Why a read for the console could not be answered.
public struct ClientError: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
}

/// Everything the console draws from, as of one moment.
public struct ConsoleSnapshot: Sendable {
    public var models: ReadModels
    /// The log's head and how far the slowest read model is behind it.
    public var head: Int64
    public var lag: Int64
    /// Open failure records (this process's subscribers and every other's).
    public var failures: [SubscriberFailure]
    /// The bus's recent retries, failures and skips.
    public var notices: [BusNotice]
    public var health: BusHealth

    public init(
        models: ReadModels = ReadModels(), head: Int64 = 0, lag: Int64 = 0, failures: [SubscriberFailure] = [],
        notices: [BusNotice] = [], health: BusHealth = BusHealth()
    ) {
        (self.models, self.head, self.lag, self.failures, self.notices, self.health) = (models, head, lag, failures, notices, health)
    }
}

/// A subscriber stopped at an event it could not apply.
public struct SubscriberFailure: Sendable, Hashable {
    public var id: Int64
    public var subscriber: String
    public var position: Int64
    public var eventType: String
    public var error: String
    public var attempts: Int
    public var lastAttemptAt: Date

    public init(id: Int64, subscriber: String, position: Int64, eventType: String, error: String, attempts: Int, lastAttemptAt: Date) {
        (self.id, self.subscriber, self.position, self.eventType) = (id, subscriber, position, eventType)
        (self.error, self.attempts, self.lastAttemptAt) = (error, attempts, lastAttemptAt)
    }
}

/// Something the bus did that an operator should see: a retry, a stop, a skip.
public struct BusNotice: Sendable, Hashable {
    public var at: Date
    public var subscriber: String
    public var message: String

    public init(at: Date, subscriber: String, message: String) {
        self.at = at
        self.subscriber = subscriber
        self.message = message
    }
}

/// How the bus is doing, for the header: subscribers stopped at a failure or backing off, and a
/// store that cannot be read. The console learns it from every bus pass, not only from progress.
public struct BusHealth: Sendable, Hashable {
    public var stopped = 0
    public var retrying = 0
    public var storeProblem: String?
    /// One line per subscriber that is backing off (it may have no failure record yet, e.g.
    /// when the disk is full): name, attempt and error.
    public var retryingLines: [String] = []

    public init(stopped: Int = 0, retrying: Int = 0, storeProblem: String? = nil, retryingLines: [String] = []) {
        self.stopped = stopped
        self.retrying = retrying
        self.storeProblem = storeProblem
        self.retryingLines = retryingLines
    }

    /// The header's warning, or nil when all is well.
    public var headerText: String? {
        if storeProblem != nil { return "⚠ STORE UNREADABLE" }
        if stopped > 0 { return "⚠ \(stopped) STOPPED" }
        if retrying > 0 { return "⚠ \(retrying) RETRYING" }
        return nil
    }
}

/// One event, in a line: for a seat's history and an event's story.
public struct EventSummary: Sendable, Hashable {
    public var position: Int64
    public var recordedAt: Date
    public var type: String
    public var summary: String
    public var actor: String?
    public var correlationId: String?

    public init(position: Int64, recordedAt: Date, type: String, summary: String, actor: String?, correlationId: String?) {
        (self.position, self.recordedAt, self.type, self.summary, self.actor, self.correlationId) = (position, recordedAt, type, summary, actor, correlationId)
    }
}

/// A seat's whole history: what its inventory recorded, and the life of every reservation
/// that held it.
public struct SeatProvenance: Sendable, Hashable {
    /// Every inventory event that held, sold, released, blocked or unblocked it, oldest first.
    public var events: [EventSummary]
    /// Every reservation that held it, in the order they did.
    public var reservations: [ReservationStory]

    public init(events: [EventSummary], reservations: [ReservationStory]) {
        (self.events, self.reservations) = (events, reservations)
    }
}

/// One reservation's life: every event of its reservation and payment streams, and what its
/// commands did to the seats, oldest first.
public struct ReservationStory: Sendable, Hashable {
    public var reservationId: String
    public var customer: String?
    public var steps: [EventSummary]

    public init(reservationId: String, customer: String?, steps: [EventSummary]) {
        (self.reservationId, self.customer, self.steps) = (reservationId, customer, steps)
    }
}

/// One event in full.
public struct EventDetails: Sendable, Hashable {
    public var event: EventSummary
    public var stream: String
    public var streamVersion: Int64
    public var causationId: String?
    /// The payload as indented JSON, one line per element, keys sorted.
    public var payloadLines: [String]
    /// The other events of its story (the same correlation id), oldest first, at most a screenful.
    public var story: [EventSummary]
    /// What caused it, nearest first: the event each step answered, up to the first one, which
    /// an operator's or a buyer's command wrote.
    public var causedBy: [EventSummary] = []
    /// The command at the root of that chain: its id and who sent it (nil when the first event
    /// does not say, as in a store written before command ids were recorded).
    public var rootCommand: String?
    public var rootActor: String?
    /// What it led to, oldest first: the events that answered it, and the ones that answered those.
    public var led: [EventSummary] = []

    public init(event: EventSummary, stream: String, streamVersion: Int64, causationId: String?, payloadLines: [String], story: [EventSummary]) {
        (self.event, self.stream, self.streamVersion, self.causationId, self.payloadLines, self.story) = (event, stream, streamVersion, causationId, payloadLines, story)
    }
}
