import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Synchronization
import TerminalUI
import Ticketing

/// Where the console's frames go: the curses terminal in production, memory in tests.
public protocol Display: AnyObject, Sendable {
    var size: (width: Int, height: Int) { get }
    func present(_ frame: Buffer)
}

/// The console's loop: turns keys, read-model updates and clock ticks into actions, runs the
/// reducer, carries out its effects asynchronously (the UI never waits on SQLite), and draws
/// at most ~30 frames a second, only when something changed.
public final class ConsoleApp: @unchecked Sendable {
    let runtime: Runtime
    let display: any Display
    private let actions = AsyncStream<Action>.makeStream()
    private let dirty = Mutex(true)
    private var state: AppState
    private var drawnOnce = false

    public init(runtime: Runtime, display: any Display, operatorName: String, readOnly: Bool, timeZone: TimeZone = .current) {
        self.runtime = runtime
        self.display = display
        state = AppState(now: runtime.clock.now(), timeZone: timeZone, speed: runtime.speed, readOnly: readOnly, operatorName: operatorName)
        let size = display.size
        state.width = size.width
        state.height = size.height
    }

    /// Feeds a key (from the terminal's thread).
    public func send(_ key: Key) { actions.continuation.yield(.key(key)) }

    /// Ends the loop (terminal gone, SIGTERM).
    public func finish() { actions.continuation.finish() }

    /// Runs until the operator quits.
    public func run() async {
        let continuation = actions.continuation
        let runtime = self.runtime
        let publish: @Sendable () -> Void = {
            let bus = runtime.bus
            let statuses = bus.statuses
            continuation.yield(.modelsUpdated(
                runtime.read.snapshot(), head: bus.headPosition, lag: statuses.map(\.lag).max() ?? 0, failures: bus.failures,
                notices: bus.notices, health: BusHealth(statuses: statuses, storeProblem: bus.storeProblem)
            ))
        }
        runtime.bus.onAdvance(publish)
        publish()
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(33))
                continuation.yield(.tick(runtime.clock.now()))
            }
        }
        defer { ticker.cancel() }
        for await action in actions.stream {
            if case .tick = action {
                let before = Format.clock(state.now, state.timeZone)
                _ = Reducer.reduce(into: &state, action)
                if before != Format.clock(state.now, state.timeZone) { dirty.withLock { $0 = true } }
                let size = display.size
                if size.width != state.width || size.height != state.height {
                    _ = Reducer.reduce(into: &state, .resized(width: size.width, height: size.height))
                    dirty.withLock { $0 = true }
                }
                if dirty.withLock({ $0 }) { draw() }
                continue
            }
            let effects = Reducer.reduce(into: &state, action)
            dirty.withLock { $0 = true }
            // A key is answered at once, and so is the first picture (not at the next tick).
            if case .key = action { draw() } else if !drawnOnce { draw() }
            for effect in effects { perform(effect) }
            if state.quit { break }
        }
    }

    private func draw() {
        dirty.withLock { $0 = false }
        var frame = Buffer(area: Rect(width: state.width, height: state.height))
        ConsoleView(state: state).render(in: frame.area, into: &frame)
        display.present(frame)
        // The operator sees the store first; holds that fell due meanwhile expire just after.
        if !drawnOnce { runtime.startSaga() }
        drawnOnce = true
    }

    private var context: CommandContext { CommandContext(actor: state.operatorName) }

    private func perform(_ effect: Effect) {
        let box = runtime.box
        let context = self.context
        let continuation = actions.continuation
        let zone = state.timeZone
        func report(_ work: @escaping @Sendable () async throws(BoxOfficeError) -> String) {
            Task {
                do throws(BoxOfficeError) {
                    continuation.yield(.commandSucceeded(try await work()))
                } catch {
                    continuation.yield(.commandFailed(error.description))
                }
            }
        }
        switch effect {
        case .command(let command, let done):
            report { () async throws(BoxOfficeError) -> String in try await box.execute(command, context).duplicate ? "already done" : done }
        case .reserve(let show, let seats, let customer):
            report { () async throws(BoxOfficeError) -> String in Self.held(try await box.reserveSeats(show, seats: seats, customer: customer, context), customer, zone) }
        case .best(let show, let quantity, let section, let customer):
            report { () async throws(BoxOfficeError) -> String in Self.held(try await box.reserveBestAvailable(show, quantity: quantity, section: section, customer: customer, context), customer, zone) }
        case .retryFailure(let id, let subscriber):
            try? runtime.store.resolveFailure(id: id, resolution: "retried", at: runtime.clock.now())
            runtime.bus.retry(subscriber)
            continuation.yield(.commandSucceeded("retrying \(subscriber)"))
        case .skipFailure(let id, let subscriber):
            do {
                if try !runtime.bus.skip(subscriber) {
                    let record = try runtime.store.failures(includeResolved: false).first { $0.id == id }
                    if let record { try runtime.store.skip(subscriber: subscriber, position: record.position, failureId: id, at: runtime.clock.now()) }
                }
                continuation.yield(.commandSucceeded("\(subscriber) skipped the failed event"))
            } catch {
                continuation.yield(.commandFailed("\(error)"))
            }
        case .seatHistory(let show, let seat):
            let store = runtime.store
            Task.detached { continuation.yield(Self.history(of: seat, show: show, store: store, zone: zone)) }
        case .eventDetails(let position):
            let store = runtime.store
            Task.detached { continuation.yield(Self.details(of: position, store: store, zone: zone)) }
        case .loadSeatMap(let show):
            let store = runtime.store
            Task.detached { continuation.yield(.seatMapLoaded(show, Self.seatMap(of: show, store: store))) }
        case .loadHistory:
            let read = runtime.read
            Task.detached { continuation.yield(.historyLoaded((try? read.history()) ?? HistoryModels())) }
        case .quit:
            break
        }
    }

    /// A show's seats folded from its inventory stream (empty when it cannot be read).
    public static func seatMap(of show: ShowID, store: any EventStore) -> [AvailableSeats.Section] {
        guard let inventory = try? InventoryState.current(of: show, in: store) else { return [] }
        return AvailableSeats.sections(from: inventory)
    }

    static func held(_ result: CommandResult, _ customer: String, _ zone: TimeZone) -> String {
        for case .reservationHeld(let held) in result.events {
            return "\(held.reservationId) holds \(Format.seats(held.seats, limit: 6)) for \(sanitize(customer)) until \(Format.clock(held.expiresAt, zone))"
        }
        return "reserved"
    }
}
