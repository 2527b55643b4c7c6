import EventStore
import Faults
import Foundation
import Synchronization
import Ticketing

/// The one writer of a process: takes every command queued while the last transaction was
/// committing, decides each against the state the previous ones left, and commits them all in
/// one transaction (group commit). Runs on its own thread so SQLite waits never block the
/// cooperative pool.
///
/// - Important: a refused or conflicting command never fails its neighbours; a conflict
///   re-decides from fresh state up to `maxRetries` times, then reports the conflict.
final class CommandWriter: @unchecked Sendable {
    struct Pending {
        var command: Command
        var context: CommandContext
        var attempts = 0
        /// The reservation id was drawn by the box office, so a clash may be retried with a new one.
        var generatedReservation = false
        let reply: @Sendable (Result<CommandResult, BoxOfficeError>) -> Void
    }

    let store: any EventStore
    let clock: any TimeSource
    let ids: any IdentifierSource
    let codec = EventCodec()
    let maxRetries: Int
    /// Deliberate defects (tests only; always empty in a normal run).
    let faults = Faults.active
    /// Batches taken so far (writer thread only).
    var batchesCommitted = 0
    // Everything below is guarded by `condition`, except `loader`, which only the writer thread touches.
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var stopped = false
    private var running = false
    private var busy = false
    let loader: AggregateLoader
    /// Called on the writer thread after every transaction that appended events.
    let commitObservers = Mutex([@Sendable () -> Void]())

    init(store: any EventStore, clock: any TimeSource, ids: any IdentifierSource, snapshotEvery: Int, maxRetries: Int) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.maxRetries = maxRetries
        loader = AggregateLoader(store: store, snapshotEvery: snapshotEvery)
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
            let retries = process(batch)
            if let attempts = retries.map(\.attempts).max(), attempts > 0 {
                // Other processes are writing the same streams: back off a little (more with
                // each attempt, with jitter) so the re-decision sees their commits.
                usleep(UInt32.random(in: 500...2_000) * UInt32(min(attempts, 8)))
            }
            condition.lock()
            queue.insert(contentsOf: retries, at: 0)
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }
}
