import EventStore

/// Something the bus feeds with every event in position order: a projection, the saga.
///
/// - Important: the bus calls a subscriber from one thread at a time. `handle` must not leave
///   half an event applied when it throws: it is called again for the same event on retry.
public protocol EventSubscriber: AnyObject {
    var name: String { get }
    /// Loads what the subscriber persisted; returns the position it has processed up to.
    func start() throws -> Int64
    /// Handles one event.
    func handle(_ event: RecordedEvent) throws
    /// Makes everything handled so far durable, recording `position` as processed.
    func commit(through position: Int64) throws
    /// Moves past a position the operator chose to skip.
    func skipped(through position: Int64)
    /// The bus has fed every event there is for now (a moment to publish what changed).
    func caughtUp()
}

extension EventSubscriber {
    public func caughtUp() {}
}
