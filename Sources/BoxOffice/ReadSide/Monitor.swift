import EventStore
import Foundation

/// What `marquee monitor` and the console's header show: the log's size and shape, every
/// subscriber's checkpoint, lag and state, and the failures waiting for an operator.
public struct MonitorReport: Sendable {
    public struct Subscriber: Sendable, Hashable {
        public var name: String
        public var checkpoint: Int64
        public var lag: Int64
        /// running, retrying or stopped.
        public var state: String
        public var error: String?
    }

    public var head: Int64
    public var events: Int64
    public var eventsByType: [String: Int64]
    public var eventsToday: Int64
    public var subscribers: [Subscriber]
    public var failures: [FailureRecord]

    /// Builds the report from the store; with a running `bus`, subscriber states are live
    /// (running, retrying, stopped); without one they come from checkpoints and open failures.
    public static func make(
        store: any ReadModelStore, bus: EventBus? = nil, subscribers names: [String] = Runtime.subscriberNames,
        now: Date, calendar: Calendar = Calendar(identifier: .gregorian)
    ) throws(EventStoreError) -> MonitorReport {
        let startOfDay = calendar.startOfDay(for: now)
        let stats = try store.statistics(since: startOfDay)
        let failures = try store.failures(includeResolved: false)
        var subscribers: [Subscriber] = []
        if let bus {
            subscribers = bus.statuses.map { status in
                var error: String?
                switch status.state {
                case .running: error = nil
                case .retrying(_, _, let text): error = text
                case .stopped(_, _, let text): error = text
                }
                return Subscriber(name: status.name, checkpoint: status.checkpoint, lag: max(0, stats.head - status.checkpoint), state: status.state.name, error: error)
            }
        } else {
            for name in names {
                let checkpoint = try store.checkpoint(of: name)
                let failure = failures.first { $0.subscriber == name }
                subscribers.append(Subscriber(
                    name: name, checkpoint: checkpoint, lag: max(0, stats.head - checkpoint),
                    state: failure == nil ? "running" : "stopped", error: failure?.error
                ))
            }
        }
        return MonitorReport(
            head: stats.head, events: stats.events, eventsByType: stats.byType, eventsToday: stats.since,
            subscribers: subscribers, failures: failures
        )
    }
}
