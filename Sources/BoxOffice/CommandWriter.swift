import EventStore
import Faults
import Foundation
import Synchronization
import Ticketing

/// The one writer of a process: takes every command queued while the last transaction was
/// committing, and in one write transaction (group commit) decides each against the state the
/// previous ones left and appends its events. Runs on its own thread so waiting for the store's
/// lock never blocks the cooperative pool.
///
/// - Important: a refused command never fails its neighbours, and no command is ever turned
///   away because another process wrote first: decisions are taken holding the write lock.
final class CommandWriter: @unchecked Sendable {
    struct Pending {
        var command: Command
        var context: CommandContext
        /// Reservation ids drawn so far after a clash.
        var attempts = 0
        /// The reservation id was drawn by the box office, so a clash may be retried with a new one.
        var generatedReservation = false
        let reply: @Sendable (Result<CommandResult, BoxOfficeError>) -> Void
    }

    let store: any EventStore
    let clock: any TimeSource
    let ids: any IdentifierSource
    let codec = EventCodec()
    /// Deliberate defects (tests only; always empty in a normal run).
    let faults = Faults.active
    // Writer thread only: batches decided so far; the head the aggregate cache reflects (every
    // event up to it is folded into what is cached; nil: unknown).
    var batchesCommitted = 0
    var knownHead: Int64?
    /// The rules decisions follow: given, or read from the store before the first batch.
    var policy: Policy?
    // Everything below is guarded by `condition`, except `loader`, which only the writer thread touches.
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var stopped = false
    private var running = false
    private var busy = false
    let loader: AggregateLoader
    /// Called on the writer thread after every transaction that appended events, with them.
    let commitObservers = Mutex([@Sendable ([DeliveredEvent]) -> Void]())

    init(store: any EventStore, clock: any TimeSource, ids: any IdentifierSource, snapshotEvery: Int, policy: Policy? = nil) {
        self.policy = policy
        self.store = store
        self.clock = clock
        self.ids = ids
        loader = AggregateLoader(snapshotEvery: snapshotEvery)
    }

    func submit(_ pending: Pending) {
        condition.lock()
        if stopped {
            condition.unlock()
            pending.reply(.failure(.stopped))
            return
        }
        queue.append(pending)
        if !running {
            running = true
            let thread = Thread { [self] in run() }
            thread.name = "marquee-writer"
            thread.start()
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until every submitted command has been answered.
    func waitUntilIdle() {
        condition.lock()
        while busy || !queue.isEmpty { condition.wait() }
        condition.unlock()
    }

    /// Finishes what is queued, then lets the thread end; later submissions fail with `stopped`.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty {
                running = false
                condition.unlock()
                return
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            busy = true
            condition.unlock()
            process(batch)
            condition.lock()
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }
}
