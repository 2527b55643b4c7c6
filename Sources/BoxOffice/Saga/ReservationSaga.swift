import ConsoleClient
import EventStore
import Faults
import Foundation
import Synchronization
import Ticketing

/// The process manager that drives every reservation: hold → payment → confirmation, or
/// expiry, compensation, refund. It folds events into its ledger (a bus subscriber), derives
/// the next steps, and runs them as commands when due — deadlines included, from a min-heap
/// re-armed from the ledger on every start.
///
/// - Important: every step is a conditional append under a deterministic command id, so any
///   number of runners on one store produce exactly one outcome per step.
public final class ReservationSaga: EventSubscriber, @unchecked Sendable {
    public static let actor = "saga"

    let box: BoxOffice
    let gateway: any PaymentGateway
    let clock: any TimeSource
    let ledger: ProjectionRunner<SagaLedger>
    private let queue = Mutex(Queue())
    private let signal = NSCondition()
    private var stopped = false
    /// Outcomes of steps, for tests and the summary: appended, repeated, refused.
    private let counts = Mutex((appended: 0, duplicate: 0, refused: 0, failed: 0))
    /// Deliberate defects (tests only; always empty in a normal run).
    private let faults = Faults.active
    /// Steps submitted and not yet answered. A burst (thousands of holds due at once after a
    /// restart) goes to the writer a few hundred at a time, earliest deadline first, instead
    /// of all at once: memory stays flat and each group commit stays short.
    private let inFlight = Mutex(0)
    static let maximumInFlight = 512

    struct Queue {
        var timers = TimerQueue<SagaStep>()
        var scheduled: Set<String> = []
        /// Each held reservation's queued expiry (its id names the deadline), and the expiries
        /// no longer wanted — the hold was extended, paid or ended — which are dropped when
        /// they fall due rather than run and refused.
        var expiries: [String: String] = [:]
        var withdrawn: Set<String> = []
    }

    public var name: String { ledger.name }

    public init(box: BoxOffice, gateway: any PaymentGateway, storage: any ReadModelStore) {
        self.box = box
        self.gateway = gateway
        clock = box.clock
        ledger = ProjectionRunner(SagaLedger(), storage: storage)
        ledger.afterApply = { [weak self] event, rows in
            switch event {
            case .showCancelled(let e):
                // That show's reservations and its marker, not every entry (nor every cancelled show's marker).
                self?.derive(rows, keys: rows.rows.keys.filter { rows[$0]?.showId == e.showId.rawValue })
            // A request is recorded with its hold, in one command; the hold brings the deadline.
            // Deriving steps from the request alone scheduled an expiry at the request's own
            // time: one refused `expireHold` per hold, found once the log held every step.
            case .reservationRequested: break
            default: if let key = SagaLedger.reservation(of: event) { self?.derive(rows, key) }
            }
        }
    }

    // MARK: - Subscriber

    public func start() throws -> Int64 {
        let position = try ledger.start()
        // The timers are re-armed from the ledger when steps are first asked for, not here:
        // starting is on the way to a console's first frame, and a busy store has thousands.
        if !faults.contains(.skipRearmOnStart) { unarmed.withLock { $0 = true } }
        return position
    }

    /// Whether the timers still wait to be re-armed from the ledger loaded at start.
    private let unarmed = Mutex(false)

    /// Schedules every ledger entry's steps, once after a start (in one pass: one lock and one
    /// wake-up). Never called with `signal` held: scheduling wakes the step thread.
    private func rearmIfNeeded() {
        guard unarmed.withLock({ armed in defer { armed = false }; return armed }) else { return }
        derive(ledger.snapshot.rows, nil)
    }

    public func handle(_ event: DeliveredEvent) throws { try ledger.handle(event) }
    public func commit(through position: Int64) -> ReadModelPart? { ledger.commit(through: position) }
    public func committed(through position: Int64, durable: Bool) { ledger.committed(through: position, durable: durable) }
    public func skipped(through position: Int64) { ledger.skipped(through: position) }
    public func caughtUp() { ledger.caughtUp() }

    /// Reloads the ledger a rebuild swapped in and derives every entry's steps again (a step
    /// already taken is a recorded command, so deriving it twice does nothing).
    public func reload() throws {
        try ledger.reload()
        derive(ledger.snapshot.rows, nil)
    }

    /// Schedules the steps of the entry under `key` (all entries when `key` is nil).
    private func derive(_ rows: RowSet<SagaLedger.Entry>, _ key: String?) {
        derive(rows, keys: key.map { [$0] } ?? Array(rows.rows.keys))
    }

    private func derive(_ rows: RowSet<SagaLedger.Entry>, keys unsorted: [String]) {
        let keys = unsorted.sorted()
        let now = clock.now()
        var steps: [SagaStep] = []
        // Per reservation derived here, the expiry it wants now (nil: none).
        var expiries: [String: String?] = [:]
        for key in keys {
            guard let entry = rows[key] else {
                expiries[key] = .some(nil)
                continue
            }
            if entry.isShowMarker {
                steps += SagaStep.cancellations(for: entry, sold: soldReservations(of: ShowID(entry.showId)), now: now)
            } else {
                let derived = SagaStep.steps(for: entry, gateway: gateway, now: now)
                expiries[key] = .some(derived.first { if case .expireHold = $0.command { true } else { false } }?.commandId)
                steps += derived
            }
        }
        var added = false
        queue.withLock { queue in
            for (key, wanted) in expiries {
                if let queued = queue.expiries[key], queued != wanted, queue.scheduled.remove(queued) != nil { queue.withdrawn.insert(queued) }
                queue.expiries[key] = wanted
            }
            for step in steps where queue.scheduled.insert(step.commandId).inserted {
                queue.withdrawn.remove(step.commandId)
                queue.timers.schedule(step, at: step.due)
                added = true
            }
        }
        if added { wake() }
    }

    /// The reservations still holding sold seats of a show, read from its inventory stream
    /// (a cancelled show's sales are no longer in the ledger).
    private func soldReservations(of show: ShowID) -> [ReservationID] {
        let inventory = try? InventoryState.current(of: show, in: box.store)
        var sold = Set<ReservationID>()
        for case .sold(let reservation) in inventory?.seats.states ?? [] { sold.insert(reservation) }
        return sold.sorted()
    }

    // MARK: - Running steps

    /// Steps waiting, and when the next one is due (simulated time).
    public var pending: (count: Int, nextDue: Date?) {
        rearmIfNeeded()
        return queue.withLock { ($0.timers.count, $0.timers.nextDue) }
    }

    /// The earliest step's time as queued, without re-arming (which wakes the step thread, so
    /// it must not run while `signal` is held).
    private var queuedNextDue: Date? { queue.withLock { $0.timers.nextDue } }

    public var outcomes: (appended: Int, duplicate: Int, refused: Int, failed: Int) { counts.withLock { $0 } }

    /// Whether a step is due by `now` or still with the writer: what a stop waits for.
    func hasWorkDue(at now: Date) -> Bool {
        if inFlight.withLock({ $0 }) > 0 { return true }
        return pending.nextDue.map { $0 <= now } ?? false
    }

    private func takeDue(limit: Int = .max) -> [SagaStep] {
        rearmIfNeeded()
        let now = clock.now()
        return queue.withLock { queue in
            let due = queue.timers.takeDue(now, limit: limit).map(\.action).filter { queue.withdrawn.remove($0.commandId) == nil }
            for step in due {
                queue.scheduled.remove(step.commandId)
                if case .expireHold(let reservation) = step.command, queue.expiries[reservation.rawValue] == step.commandId {
                    queue.expiries[reservation.rawValue] = nil
                }
            }
            return due
        }
    }

    private func context(_ step: SagaStep) -> CommandContext {
        CommandContext(actor: Self.actor, commandId: step.commandId, correlationId: step.correlationId, causationId: String(step.causation))
    }

    private func record(_ result: Result<CommandResult, BoxOfficeError>) {
        counts.withLock { counts in
            switch result {
            case .success(let outcome) where outcome.duplicate: counts.duplicate += 1
            case .success: counts.appended += 1
            case .failure(let error) where error.isRefusal: counts.refused += 1
            case .failure: counts.failed += 1
            }
        }
    }

    /// Runs every step due now, one after another (deterministic mode); returns how many ran.
    @discardableResult
    public func runDue() async -> Int {
        let due = takeDue()
        for step in due {
            let result: Result<CommandResult, BoxOfficeError>
            do throws(BoxOfficeError) {
                result = .success(try await box.execute(step.command, context(step)))
            } catch {
                result = .failure(error)
            }
            record(result)
            if case .failure(let error) = result, !error.isRefusal { retryLater(step) }
        }
        return due.count
    }

    /// A step that failed for a reason other than the rules (a busy store) runs again in a second.
    private func retryLater(_ step: SagaStep) {
        var again = step
        again.due = clock.now().addingTimeInterval(1)
        queue.withLock { queue in
            if queue.scheduled.insert(again.commandId).inserted { queue.timers.schedule(again, at: again.due) }
        }
    }

    /// Runs steps on a dedicated thread as they fall due (real time scaled by the store's
    /// speed), submitting them without waiting so the writer can commit them together.
    public func runContinuously(speed: Double) {
        let thread = Thread { [self] in
            while true {
                // Outside the lock: re-arming wakes this thread through `signal`.
                rearmIfNeeded()
                signal.lock()
                if stopped {
                    signal.unlock()
                    return
                }
                let room = Self.maximumInFlight - inFlight.withLock { $0 }
                let next = queuedNextDue
                var wait = next.map { max(0, $0.timeIntervalSince(clock.now()) / max(speed, 1)) } ?? 1
                // With the writer busy on earlier steps, look again shortly rather than pile on.
                if room <= 0 { wait = 0.002 }
                if wait > 0 { _ = signal.wait(until: Date().addingTimeInterval(min(wait, 1))) }
                signal.unlock()
                guard room > 0 else { continue }
                for step in takeDue(limit: room) {
                    inFlight.withLock { $0 += 1 }
                    box.submit(step.command, context(step)) { [self] result in
                        inFlight.withLock { $0 -= 1 }
                        record(result)
                        if case .failure(let error) = result, !error.isRefusal { retryLater(step) }
                    }
                }
            }
        }
        thread.name = "marquee-saga"
        thread.start()
    }

    public func stop() {
        signal.lock()
        stopped = true
        signal.broadcast()
        signal.unlock()
    }

    private func wake() {
        signal.lock()
        signal.broadcast()
        signal.unlock()
    }
}
