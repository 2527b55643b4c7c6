import ConsoleClient
import Foundation
import Synchronization
import Ticketing

/// Simulated buyers, driven by a scenario and a seed: they arrive (Poisson, plus an optional
/// opening rush), hold seats — best available or chosen on the map — think, then pay, cancel,
/// extend or walk away; some cancel after paying. Refusals are normal traffic and are counted.
public final class BuyerSimulator: @unchecked Sendable {
    enum Action: Sendable {
        case arrive(scheduleNext: Bool)
        case decide(buyer: Int, reservation: ReservationID, extended: Bool)
        case cancelAfterPay(buyer: Int, reservation: ReservationID)
    }

    /// What the buyers did.
    public struct Summary: Sendable, Hashable {
        public var buyers = 0
        public var commands = 0
        public var refusals = 0
        public var failures = 0
        /// Of the failures: commands that lost to other writers more often than the retries allow.
        public var conflicts = 0
        /// Of the failures: commands the store could not take (a full or read-only disk, files gone).
        public var storeErrors = 0
        /// What the store said the last time it failed a command.
        public var lastStoreError: String?
    }

    struct State {
        var random: SplitMix64
        var timers = TimerQueue<Action>()
        var buyers = 0
        var summary = Summary()
    }

    let runtime: Runtime
    public let scenario: Scenario
    private let state: Mutex<State>
    private let running = Mutex(false)
    private let inFlight = Mutex(0)

    public init(runtime: Runtime, scenario: Scenario, seed: UInt64) {
        self.runtime = runtime
        self.scenario = scenario
        state = Mutex(State(random: SplitMix64(seed: seed ^ 0x5EED)))
    }

    public var summary: Summary { state.withLock { $0.summary } }
    public var nextDue: Date? { state.withLock { $0.timers.nextDue } }

    /// Schedules the opening rush (if any) and the first arrival.
    public func begin() {
        let now = runtime.clock.now()
        state.withLock { state in
            if let spike = scenario.spike {
                for _ in 0..<spike.buyers {
                    state.timers.schedule(.arrive(scheduleNext: false), at: now.addingTimeInterval(state.random.unit() * spike.withinSeconds))
                }
            }
            if scenario.arrivalsPerMinute > 0 {
                state.timers.schedule(.arrive(scheduleNext: true), at: now.addingTimeInterval(Self.interArrival(&state.random, scenario.arrivalsPerMinute)))
            }
        }
    }

    static func interArrival(_ random: inout SplitMix64, _ perMinute: Double) -> TimeInterval {
        -log(max(1 - random.unit(), 1e-12)) / (perMinute / 60)
    }

    /// Takes the due actions; each arrival schedules the next one at once (from its own due
    /// time), so the arrival process keeps its rate however long buyers take.
    private func takeDue(limit: Int = .max) -> [Action] {
        let now = runtime.clock.now()
        return state.withLock { state in
            let due = state.timers.takeDue(now, limit: limit)
            for (time, action) in due {
                if case .arrive(scheduleNext: true) = action {
                    state.timers.schedule(.arrive(scheduleNext: true), at: time.addingTimeInterval(Self.interArrival(&state.random, scenario.arrivalsPerMinute)))
                }
            }
            return due.map(\.action)
        }
    }

    /// Runs every due action in order, waiting for each (deterministic mode).
    @discardableResult
    public func runDue() async -> Int {
        let due = takeDue()
        for action in due {
            runtime.bus.drain()
            await perform(action)
        }
        return due.count
    }

    /// Runs buyers concurrently in real time, scaled by the store's speed, until `stop()`.
    public func runContinuously() {
        running.withLock { $0 = true }
        Task.detached { [self] in
            while running.withLock({ $0 }) {
                // Back-pressure: when the writer falls behind, buyers wait instead of piling up.
                let room = Self.maximumInFlight - inFlight.withLock { $0 }
                if room <= 0 {
                    try? await Task.sleep(for: .milliseconds(5))
                    continue
                }
                for action in takeDue(limit: room) {
                    inFlight.withLock { $0 += 1 }
                    Task {
                        await perform(action)
                        inFlight.withLock { $0 -= 1 }
                    }
                }
                let wait = nextDue.map { max(0.001, $0.timeIntervalSince(runtime.clock.now()) / max(runtime.speed, 1)) } ?? 0.2
                try? await Task.sleep(for: .seconds(min(wait, 0.2)))
            }
        }
    }

    public func stop() { running.withLock { $0 = false } }

    /// Buyer actions waiting for an answer at once, at most.
    static let maximumInFlight = 256

    /// Stops new buyer actions and waits for those under way to get their answers.
    public func stopAndWait() async {
        stop()
        while inFlight.withLock({ $0 }) > 0 { try? await Task.sleep(for: .milliseconds(10)) }
    }

    // MARK: - Buyers

    private func perform(_ action: Action) async {
        switch action {
        case .arrive:
            await arrive()
        case .decide(let buyer, let reservation, let extended):
            await decide(buyer, reservation, extended)
        case .cancelAfterPay(let buyer, let reservation):
            _ = await send(.cancelReservation(reservation), buyer: buyer)
        }
    }

    private func arrive() async {
        let models = runtime.read.snapshot()
        let onSale = models.shows.rows.values.filter { $0.status == .approved }.sorted { $0.id < $1.id }
        let plan: (buyer: Int, show: ShowQueue.Show, quantity: Int, section: AvailableSeats.Section?, best: Bool, customer: String)? = state.withLock { state in
            let sizes = scenario.partySize.compactMap { key, weight in Int(key).map { ($0, weight) } }.sorted { $0.0 < $1.0 }
            guard let show = Self.pick(onSale, weights: onSale.map { Double($0.capacity) }, &state.random),
                  let quantity = Self.pick(sizes.map(\.0), weights: sizes.map(\.1), &state.random) else { return nil }
            state.buyers += 1
            state.summary.buyers += 1
            let sections = models.seats.sections(of: show.id)
            let weights = sections.enumerated().map { index, _ in scenario.sectionPreference == "best-first" ? pow(0.45, Double(index)) : 1 }
            let section = Self.pick(sections, weights: weights, &state.random)
            let best = state.random.unit() < scenario.bestAvailableShare
            return (state.buyers, show, quantity, section, best, Self.customerName(&state.random))
        }
        guard let plan else { return }
        let show = plan.show.id
        var seats: [SeatID]?
        if !plan.best, let section = plan.section {
            seats = state.withLock { Self.chooseSeats(plan.quantity, in: section, &$0.random) }
        }
        let box = runtime.box
        let context = CommandContext(actor: "buyer-\(plan.buyer)")
        let result: Result<CommandResult, BoxOfficeError>
        do throws(BoxOfficeError) {
            if let seats {
                result = .success(try await box.reserveSeats(show, seats: seats, customer: plan.customer, context))
            } else {
                result = .success(try await box.reserveBestAvailable(show, quantity: plan.quantity, section: plan.section?.name, customer: plan.customer, context))
            }
        } catch {
            result = .failure(error)
        }
        count(result)
        guard case .success(let outcome) = result, let reservation = outcome.reservationID else { return }
        later(.decide(buyer: plan.buyer, reservation: reservation, extended: false))
    }

    private func decide(_ buyer: Int, _ reservation: ReservationID, _ extended: Bool) async {
        let roll = state.withLock { state in (state.random.unit(), state.random.unit(), state.random.unit()) }
        if !extended, roll.0 < scenario.extendProbability {
            _ = await send(.extendHold(reservation, by: 60), buyer: buyer)
            later(.decide(buyer: buyer, reservation: reservation, extended: true))
            return
        }
        let total = scenario.payProbability + scenario.cancelBeforePayProbability + scenario.abandonProbability
        let choice = roll.1 * max(total, 1e-9)
        if choice < scenario.payProbability {
            guard await send(.requestPayment(reservation, method: .card), buyer: buyer), roll.2 < scenario.cancelAfterPayProbability else { return }
            later(.cancelAfterPay(buyer: buyer, reservation: reservation), factor: 3)
        } else if choice < scenario.payProbability + scenario.cancelBeforePayProbability {
            _ = await send(.cancelReservation(reservation), buyer: buyer)
        }
        // Otherwise the buyer walks away and the hold expires.
    }

    private func later(_ action: Action, factor: Double = 1) {
        let now = runtime.clock.now()
        state.withLock { state in
            let think = scenario.thinkTimeSeconds.min + state.random.unit() * (scenario.thinkTimeSeconds.max - scenario.thinkTimeSeconds.min)
            state.timers.schedule(action, at: now.addingTimeInterval(think * factor))
        }
    }

    private func send(_ command: Command, buyer: Int) async -> Bool {
        let result: Result<CommandResult, BoxOfficeError>
        do throws(BoxOfficeError) {
            result = .success(try await runtime.box.execute(command, CommandContext(actor: "buyer-\(buyer)")))
        } catch {
            result = .failure(error)
        }
        count(result)
        if case .success = result { return true }
        return false
    }

    private func count(_ result: Result<CommandResult, BoxOfficeError>) {
        state.withLock { state in
            state.summary.commands += 1
            if case .failure(let error) = result {
                if error.isRefusal { state.summary.refusals += 1 } else { state.summary.failures += 1 }
                if case .concurrencyConflict = error { state.summary.conflicts += 1 }
                if case .store(let problem) = error {
                    state.summary.storeErrors += 1
                    state.summary.lastStoreError = problem.description
                }
            }
        }
    }
}
