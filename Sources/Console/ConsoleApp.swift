import ConsoleClient
import Foundation
import Synchronization
import TerminalUI
import Ticketing

/// The console's loop: turns keys, read-model updates and clock ticks into actions, runs the
/// reducer, carries out its effects asynchronously (the UI never waits on SQLite), and draws
/// at most ~30 frames a second, only when something changed.
public final class ConsoleApp: @unchecked Sendable {
    let client: any ConsoleClient
    let display: any Display
    let themes: Catalog<Theme>?
    let venues: Catalog<Venue>?
    private let actions = AsyncStream<Action>.makeStream()
    private let dirty = Mutex(true)
    private var state: AppState
    private var drawnOnce = false
    /// When the last frame went out (`DispatchTime` uptime nanoseconds; 0 before the first).
    private var lastDrawAt: UInt64 = 0
    static let frameInterval: UInt64 = 33_000_000

    /// `themes` are what `:theme` offers, `theme` the one in use; `venues` what the new-show
    /// form offers (none: the verb or the form says so).
    public init(
        client: any ConsoleClient, display: any Display, operatorName: String, readOnly: Bool, timeZone: TimeZone = .current,
        themes: Catalog<Theme>? = nil, theme: String = "default", venues: Catalog<Venue>? = nil
    ) {
        self.client = client
        self.display = display
        self.themes = themes
        self.venues = venues
        state = AppState(now: client.now(), timeZone: timeZone, speed: client.speed, readOnly: readOnly, operatorName: operatorName)
        state.themeNames = themes?.names ?? []
        state.themeName = theme
        state.venueNames = venues?.names ?? []
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
        let client = self.client
        let publish: @Sendable () -> Void = { Self.publish(client, continuation) }
        client.onChange(publish)
        publish()
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .nanoseconds(Self.frameInterval))
                continuation.yield(.tick(client.now()))
            }
        }
        defer { ticker.cancel() }
        for await action in actions.stream {
            if case .tick = action {
                let before = Format.clock(state.now, state.timeZone)
                // A tick may ask for reads (screen 4's rows, once they are a second old).
                let effects = Reducer.reduce(into: &state, action)
                if before != Format.clock(state.now, state.timeZone) { dirty.withLock { $0 = true } }
                for effect in effects { perform(effect) }
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
            // One frame clock: a key is answered at once; anything else (an outcome, new read
            // models) is drawn at once too unless a frame went out less than a frame ago, when
            // the next tick draws it — at most ~30 frames a second under a stream of updates.
            if case .key = action { draw() } else if DispatchTime.now().uptimeNanoseconds - lastDrawAt >= Self.frameInterval { draw() }
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
        if !drawnOnce { client.firstFrameShown() }
        drawnOnce = true
        lastDrawAt = DispatchTime.now().uptimeNanoseconds
    }

    /// Hands the loop the client's newest snapshot.
    private static func publish(_ client: any ConsoleClient, _ continuation: AsyncStream<Action>.Continuation) {
        let snapshot = client.snapshot()
        continuation.yield(.modelsUpdated(
            snapshot.models, head: snapshot.head, lag: snapshot.lag, failures: snapshot.failures, notices: snapshot.notices,
            health: snapshot.health
        ))
    }

    /// The longest a command's answer waits for the read models to show what it wrote.
    static let readYourWrites: Duration = .seconds(1)

    /// Waits (briefly) until the read models hold what an accepted command wrote, and hands the
    /// loop that snapshot first: once "✔ approved" is on the status line the show is on sale on
    /// screen too, and a key pressed next acts on it as approved.
    private static func settle(
        _ outcome: CommandOutcome, _ client: any ConsoleClient, _ continuation: AsyncStream<Action>.Continuation
    ) async -> CommandOutcome {
        guard case .accepted(let positions, _, _) = outcome, let last = positions.max() else { return outcome }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: readYourWrites)
        while client.snapshot().models.position < last, clock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        publish(client, continuation)
        return outcome
    }

    /// Runs an effect on the client, off the loop; its outcome comes back as an action.
    private func perform(_ effect: Effect) {
        let client = self.client
        let actor = state.operatorName
        let continuation = actions.continuation
        func answer(_ work: @escaping @Sendable () async -> Action) {
            Task { continuation.yield(await work()) }
        }
        switch effect {
        case .command(let command, _):
            answer { .commandFinished(effect, await Self.settle(await client.send(.command(command), as: actor), client, continuation)) }
        case .reserve(let show, let seats, let customer):
            answer { .commandFinished(effect, await Self.settle(await client.send(.reserve(show, seats: seats, customer: customer), as: actor), client, continuation)) }
        case .best(let show, let quantity, let section, let customer):
            let request = CommandRequest.best(show, quantity: quantity, section: section, customer: customer)
            answer { .commandFinished(effect, await Self.settle(await client.send(request, as: actor), client, continuation)) }
        case .retryFailure(let id, _):
            answer { .failureResolved(.retry, await client.resolve(failure: id, by: .retry)) }
        case .skipFailure(let id, _):
            answer { .failureResolved(.skip, await client.resolve(failure: id, by: .skip)) }
        case .seatHistory(let show, let seat):
            answer { .seatHistoryLoaded(seat, await client.seatHistory(seat, of: show)) }
        case .eventDetails(let position):
            answer { .eventLoaded(position: position, await client.eventDetails(at: position)) }
        case .loadSeatMap(let show):
            answer { .seatMapLoaded(show, await client.seatMap(of: show)) }
        case .loadHistory:
            answer { .historyLoaded(await client.history()) }
        case .loadOrders(let query):
            answer { .ordersLoaded(query, await client.orders(query)) }
        case .loadCustomer(let name):
            answer { .customerLoaded(name, await client.customer(name)) }
        case .loadSagas:
            answer { .sagasLoaded(await client.sagas()) }
        case .loadVenue(let name):
            guard let venues else {
                continuation.yield(.venueLoaded(name, .failure(ClientError("no venues to choose from here; use marquee create-show"))))
                return
            }
            answer { .venueLoaded(name, venues.load(name)) }
        case .useTheme(let name):
            guard let themes else {
                continuation.yield(.themeApplied(name, error: "no themes to choose from here"))
                return
            }
            let display = self.display
            answer {
                switch themes.load(name) {
                case .success(let theme):
                    display.use(theme: theme)
                    return .themeApplied(name, error: nil)
                case .failure(let error):
                    return .themeApplied(name, error: error.message)
                }
            }
        case .quit:
            break
        }
    }
}

/// Things a console may choose by name (themes, venues): their names and a loader, which may
/// read files and so runs off the loop.
public struct Catalog<Item: Sendable>: Sendable {
    public var names: [String]
    public var load: @Sendable (String) -> Result<Item, ClientError>

    public init(names: [String], load: @escaping @Sendable (String) -> Result<Item, ClientError>) {
        (self.names, self.load) = (names, load)
    }
}
