import EventStore
import Ticketing

/// Something the bus feeds with every event in position order: a projection, the saga.
///
/// - Important: the bus calls a subscriber from one thread at a time. `handle` must not leave
///   half an event applied when it throws: it is called again for the same event on retry.
public protocol EventSubscriber: AnyObject {
    var name: String { get }
    /// Loads what the subscriber persisted; returns the position it has processed up to.
    func start() throws -> Int64
    /// Handles one event (decoded once by the bus for every subscriber).
    func handle(_ event: DeliveredEvent) throws
    /// What to write to make everything handled so far durable, with `position` recorded as
    /// processed; nil when the subscriber keeps nothing in the store (a read-only process).
    /// The bus commits every subscriber's part of a batch in one transaction, then calls
    /// `committed` with the outcome.
    func commit(through position: Int64) -> ReadModelPart?
    /// Whether the part of the last `commit` became durable; when not, the next `commit` must
    /// write it again.
    func committed(through position: Int64, durable: Bool)
    /// Moves past a position the operator chose to skip.
    func skipped(through position: Int64)
    /// The bus has fed every event there is for now (a moment to publish what changed).
    func caughtUp()
    /// A rebuild swapped new rows into the store (`replay`): what the subscriber holds in
    /// memory is stale. It reloads its rows and goes on from where it was, without applying
    /// any event twice.
    func reload() throws
}

extension EventSubscriber {
    public func caughtUp() {}
    public func reload() throws {}
}

/// An event as the bus hands it to every subscriber: as recorded, and decoded once for all of
/// them (for this process's own commits, the writer's values themselves: nothing is read back).
public struct DeliveredEvent: Sendable {
    public let recorded: RecordedEvent
    public let decoded: Result<DomainEvent, CodecError>

    public init(_ recorded: RecordedEvent, decoded: Result<DomainEvent, CodecError>) {
        self.recorded = recorded
        self.decoded = decoded
    }

    /// Decodes `recorded` (an event read from the store).
    public init(_ recorded: RecordedEvent, codec: EventCodec) {
        self.init(recorded, decoded: Result { () throws(CodecError) in try codec.decode(recorded) })
    }

    /// The domain event; throws when it could not be decoded (the subscriber then fails on it
    /// like on any other error: retried, then parked).
    public func domain() throws(CodecError) -> DomainEvent { try decoded.get() }

    public var position: Int64 { recorded.position }
}
