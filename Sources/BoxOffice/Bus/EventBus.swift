import ConsoleClient
import EventStore
import Foundation
import Synchronization

/// Carries every event, in position order, to its subscribers: woken right after a local
/// commit, and polling the store's head about every 100 ms for other processes' appends.
///
/// A subscriber that throws is retried with exponential backoff (timed by the injected clock);
/// after the last attempt a failure record is written and the subscriber stops at that event —
/// later events wait behind it — until an operator retries or skips it.
public final class EventBus: @unchecked Sendable {
    /// Synchronous: nothing runs until `drain()` is called, on the caller's thread (tests,
    /// deterministic simulations). Asynchronous: a dedicated thread keeps subscribers current.
    public enum Dispatch: Sendable { case synchronous, asynchronous }

    /// How failing subscribers are retried.
    public struct RetryPolicy: Sendable {
        public var initialDelay: TimeInterval = 0.1
        public var multiplier: Double = 2
        public var maxDelay: TimeInterval = 30
        public var maxAttempts = 8

        public init() {}

        /// The wait after the `attempt`-th failed attempt (1-based).
        public func delay(after attempt: Int) -> TimeInterval {
            min(maxDelay, initialDelay * pow(multiplier, Double(max(attempt - 1, 0))))
        }
    }

    /// What a subscriber is doing.
    public enum State: Sendable, Hashable {
        case running
        case retrying(attempt: Int, next: Date, error: String)
        case stopped(position: Int64, failureId: Int64, error: String)

        public var name: String {
            switch self {
            case .running: "running"
            case .retrying: "retrying"
            case .stopped: "stopped"
            }
        }
    }

    /// A subscriber's checkpoint, lag and state, as monitoring shows them.
    public struct Status: Sendable, Hashable {
        public var name: String
        public var checkpoint: Int64
        public var lag: Int64
        public var state: State

        public init(name: String, checkpoint: Int64, lag: Int64, state: State) {
            self.name = name
            self.checkpoint = checkpoint
            self.lag = lag
            self.state = state
        }
    }

    /// A retry, skip or failure, for the feed and the monitor.
    public typealias Notice = BusNotice

    final class Slot {
        let subscriber: any EventSubscriber
        var checkpoint: Int64 = 0
        var state: State = .running
        var attempts = 0
        var failingPosition: Int64 = 0
        var firstAttemptAt = Date(timeIntervalSince1970: 0)
        var openFailure: Int64?
        var uncommitted: Int64?

        init(_ subscriber: any EventSubscriber) { self.subscriber = subscriber }

        func isReady(_ now: Date) -> Bool {
            switch state {
            case .running: true
            case .retrying(_, let next, _): now >= next
            case .stopped: false
            }
        }
    }

    let store: any ReadModelStore
    let clock: any TimeSource
    public let dispatch: Dispatch
    public let policy: RetryPolicy
    let pollInterval: TimeInterval
    let batchSize: Int

    // `slots` and everything in them belong to whoever holds `pumpLock`.
    let pumpLock = NSLock()
    var slots: [Slot] = []
    var head: Int64 = 0
    // Guarded by `signal`.
    private let signal = NSCondition()
    private var wake = false
    private var stopped = false
    private var thread: Thread?
    private let published = Mutex((statuses: [Status](), notices: [Notice](), head: Int64(0), problem: String?.none, unannounced: false, failures: [FailureRecord]()))
    /// Open failure records of every process on the store, as of the last look; guarded by `pumpLock`.
    var openFailures: [FailureRecord] = []
    /// When the failures table was last read: at most once a poll interval, not on every pass
    /// (a rush pumps after every commit). Guarded by `pumpLock`.
    var failuresReadAt: DispatchTime?
    /// The read-model generation the subscribers' rows came from; a rebuild that swaps new rows
    /// in changes it (read with the failures). Guarded by `pumpLock`.
    var readModelGeneration: Int64 = 0
    /// Why the bus cannot read the store right now (nil while it can); guarded by `pumpLock`.
    var problem: String?
    /// The most a subscriber that cannot even record its failure waits between attempts, so it
    /// catches up soon after the store takes writes again.
    static let unrecordedRetryCap: TimeInterval = 5
    private let listeners = Mutex([@Sendable () -> Void]())
    /// Decodes what is read from the store (bus thread only).
    let codec = EventCodec()
    /// This process's own commits as its writer handed them over, in position order, until
    /// every running subscriber is past them; at most `handedOverLimit` (a bus that falls
    /// further behind reads the rest from the store).
    private let handed = Mutex([DeliveredEvent]())
    static let handedOverLimit = 20_000

    public init(
        store: any ReadModelStore, clock: any TimeSource, dispatch: Dispatch = .asynchronous,
        policy: RetryPolicy = RetryPolicy(), pollInterval: TimeInterval = 0.1, batchSize: Int = 1000
    ) {
        self.store = store
        self.clock = clock
        self.dispatch = dispatch
        self.policy = policy
        self.pollInterval = pollInterval
        self.batchSize = batchSize
    }

    deinit { stop() }

    /// Adds a subscriber; call before `start()`.
    public func add(_ subscriber: any EventSubscriber) {
        pumpLock.withLock { slots.append(Slot(subscriber)) }
    }

    /// Calls `listener` (on the bus's thread) whenever subscribers advanced.
    public func onAdvance(_ listener: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Loads every subscriber's checkpoint (a subscriber held at an open failure stays held)
    /// and, when asynchronous, starts the bus thread.
    public func start() throws {
        try pumpLock.withLock {
            let open = try store.failures(includeResolved: false)
            // Read before the rows load: a swap in between is then seen at the first pass.
            readModelGeneration = try store.readModelGeneration()
            // Subscribers load their rows side by side (each reads its own table): opening a
            // store waits for the slowest, not for the sum.
            let started = Mutex([Int: Result<Int64, any Error>]())
            // Each subscriber is started by exactly one of the threads, and none shares state with another.
            nonisolated(unsafe) let subscribers = slots.map(\.subscriber)
            DispatchQueue.concurrentPerform(iterations: subscribers.count) { index in
                let result = Result { try subscribers[index].start() }
                started.withLock { $0[index] = result }
            }
            let results = started.withLock { $0 }
            for (index, slot) in slots.enumerated() {
                guard let result = results[index] else { continue }
                slot.checkpoint = try result.get()
                if let failure = open.first(where: { $0.subscriber == slot.subscriber.name && $0.position > slot.checkpoint }) {
                    slot.state = .stopped(position: failure.position, failureId: failure.id, error: failure.error)
                    slot.openFailure = failure.id
                }
            }
            head = try store.headPosition()
            publish()
        }
        guard dispatch == .asynchronous, thread == nil else { return }
        // Another process's commit wakes the bus at once where the store can say so.
        (store as? any AppendNotifying)?.whenAppended { [weak self] in self?.notify() }
        let thread = Thread { [self] in loop() }
        thread.name = "marquee-bus"
        self.thread = thread
        thread.start()
    }

    /// Takes events this process just committed (already decoded) and wakes the bus.
    public func offer(_ events: [DeliveredEvent]) {
        handed.withLock { handed in
            if handed.count + events.count > Self.handedOverLimit { handed.removeFirst(min(handed.count, Self.handedOverLimit / 2)) }
            handed.append(contentsOf: events)
        }
        notify()
    }

    /// Handed-over events after `position`, in position order.
    func handedOver(after position: Int64) -> ArraySlice<DeliveredEvent> {
        handed.withLock { handed in
            let first = handed.partitioningIndex { $0.position > position }
            return handed[first...]
        }
    }

    /// Forgets handed-over events every running subscriber is past.
    func dropHandedOver(upTo position: Int64) {
        handed.withLock { handed in handed.removeFirst(handed.partitioningIndex { $0.position > position }) }
    }

    /// Wakes the bus now (after a local commit) instead of at the next poll.
    public func notify() {
        signal.lock()
        wake = true
        signal.signal()
        signal.unlock()
    }

    /// Stops the bus thread after its current pass.
    public func stop() {
        signal.lock()
        stopped = true
        signal.broadcast()
        signal.unlock()
    }

    /// Processes until every running subscriber has caught up with the head as it is now.
    /// Synchronous buses do the work on this thread; asynchronous ones are waited for.
    @discardableResult
    public func drain(timeout: TimeInterval = 30) -> Bool {
        if dispatch == .synchronous {
            while pump() {}
            return caughtUp(to: (try? store.headPosition()) ?? 0)
        }
        let target = (try? store.headPosition()) ?? 0
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            notify()
            if caughtUp(to: target) { return true }
            signal.lock()
            _ = signal.wait(until: Date().addingTimeInterval(0.01))
            signal.unlock()
        }
        return caughtUp(to: target)
    }

    public var statuses: [Status] { published.withLock { $0.statuses } }
    public var notices: [Notice] { published.withLock { $0.notices } }
    public var headPosition: Int64 { published.withLock { $0.head } }
    /// Open failure records on the store (this process's subscribers and every other's), as of the last pass.
    public var failures: [FailureRecord] { published.withLock { $0.failures } }
    /// Why the bus cannot read the store (a deleted file, a damaged page), or nil.
    public var storeProblem: String? { published.withLock { $0.problem } }

    private func caughtUp(to target: Int64) -> Bool {
        statuses.allSatisfy { $0.checkpoint >= target || $0.state != .running }
    }

    private func loop() {
        while true {
            signal.lock()
            if !wake && !stopped { _ = signal.wait(until: Date().addingTimeInterval(pollInterval)) }
            wake = false
            let done = stopped
            signal.unlock()
            if done { return }
            let started = DispatchTime.now().uptimeNanoseconds
            if pump() {
                // Under a rush every commit wakes the bus. Resting after a pass that advanced
                // (until 10 ms after it began, or as long as it took, up to 100 ms) lets the
                // events of many commits share one transaction and one encoding of each row they
                // touch, and leaves the command writer at least half the machine.
                let spent = DispatchTime.now().uptimeNanoseconds - started
                let interval = UInt64(Self.passInterval * 1e9)
                let rest = spent < interval ? interval - spent : min(spent, 100_000_000)
                usleep(UInt32(rest / 1_000))
            }
        }
    }

    /// The shortest time between the starts of two passes that advanced (asynchronous buses).
    static let passInterval: TimeInterval = 0.01

    /// Publishes the subscribers' state; returns whether anything a reader shows changed
    /// (a checkpoint, the head, a state, a notice, a store problem).
    @discardableResult
    func publish() -> Bool {
        let statuses = slots.map {
            Status(name: $0.subscriber.name, checkpoint: $0.checkpoint, lag: max(0, head - $0.checkpoint), state: $0.state)
        }
        return published.withLock { state in
            let changed = state.statuses != statuses || state.head != head || state.problem != problem
                || state.unannounced || state.failures != openFailures
            state.statuses = statuses
            state.head = head
            state.problem = problem
            state.failures = openFailures
            state.unannounced = false
            return changed
        }
    }

    func note(_ subscriber: String, _ message: String) {
        let notice = Notice(at: clock.now(), subscriber: subscriber, message: message)
        published.withLock { state in
            state.notices.append(notice)
            state.unannounced = true
            if state.notices.count > 100 { state.notices.removeFirst(state.notices.count - 100) }
        }
    }

    func announce() {
        for listener in listeners.withLock({ $0 }) { listener() }
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array where every element
    /// that satisfies it comes after every one that does not (binary search).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var (low, high) = (startIndex, endIndex)
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
