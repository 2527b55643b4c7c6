import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// The console's only place of change: `reduce(into:_:)` applies an action to the state and
/// returns the effects to run. Pure: no I/O, no clock reads.
public enum Reducer {
    public static func reduce(into state: inout AppState, _ action: Action) -> [Effect] {
        var effects = reduceAction(into: &state, action)
        if let show = state.needsSeatMap {
            state.loadingMap = show
            effects.append(.loadSeatMap(show))
        }
        if state.needsHistory {
            state.loadingHistory = true
            effects.append(.loadHistory)
        }
        if state.needsSagas {
            state.loadingSagas = true
            state.sagasAskedAt = state.now
            effects.append(.loadSagas)
        }
        if state.needsOrders {
            state.loadingOrders = true
            state.ordersAskedAt = state.now
            effects.append(.loadOrders(OrderQuery(text: state.orderQuery)))
        }
        return effects
    }

    private static func reduceAction(into state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .historyLoaded(let history):
            state.history = history
            state.loadingHistory = false
            return []
        case .ordersLoaded(let query, let result):
            ordersLoaded(query, result, &state)
            return []
        case .customerLoaded(let name, let result):
            customerLoaded(name, result, &state)
            return []
        case .sagasLoaded(let result):
            state.loadingSagas = false
            switch result {
            case .success(let board):
                let highlighted = state.highlightedLane?.reservationId
                state.sagaBoard = board
                if let highlighted, let index = board.lanes.firstIndex(where: { $0.reservationId == highlighted }) { state.sagaList.selected = index }
            case .failure(let error):
                state.sagaBoard = SagaBoard(position: state.head)
                state.status = .init(text: error.message, isError: true)
            }
            return []
        case .venueLoaded(let name, let result):
            return venueLoaded(name, result, &state)
        case .themeApplied(let name, let error):
            if let error {
                state.status = .init(text: error, isError: true)
            } else {
                state.themeName = name
                state.status = .init(text: "theme \(name)", isError: false)
            }
            return []
        case .seatMapLoaded(let show, let sections):
            state.loadedMaps = [show: sections]
            if state.loadingMap == show { state.loadingMap = nil }
            return []
        case .modelsUpdated(let models, let head, let lag, let failures, let notices, let health):
            // The highlighted show stays highlighted when the list reorders (an approval moves it).
            let highlighted = state.shows.selected.flatMap { state.orderedShows.indices.contains($0) ? state.orderedShows[$0].id : nil }
            state.models = models
            if let highlighted, let index = state.orderedShows.firstIndex(where: { $0.id == highlighted }) { state.shows.selected = index }
            state.notices = notices
            state.head = head
            state.lag = lag
            state.failures = failures
            state.health = health
            // Until the operator acts, the dashboard follows the busiest show on sale.
            if (state.autoShow != nil && state.show == state.autoShow) || state.show == nil || state.currentShow == nil {
                state.show = AppState.busiestOnSale(models)
                state.autoShow = state.show
            }
            clampCursor(&state)
            return []
        case .tick(let now):
            state.now = now
            return []
        case .commandFinished(let effect, let outcome):
            finished(effect, outcome, &state)
            return []
        case .failureResolved(let action, let result):
            resolved(action, result, &state)
            return []
        case .seatHistoryLoaded(let seat, let result):
            seatHistory(seat, result, &state)
            return []
        case .eventLoaded(let position, let result):
            eventDetails(position, result, &state)
            return []
        case .resized(let width, let height):
            state.width = width
            state.height = height
            return []
        case .detailsLoaded(let title, let lines):
            openDetails(&state, title: title, lines: lines)
            return []
        case .key(let key):
            if case .resize(let width, let height) = key {
                state.width = width
                state.height = height
                return []
            }
            state.autoShow = nil
            if state.dialog != nil { return dialogKey(&state, key) }
            if case .mouse(let x, let y) = key { return click(&state, x: x, y: y) }
            guard let (command, writes) = Keymap.command(for: key, on: state.screen, readOnly: state.readOnly) else { return [] }
            if writes && state.readOnly {
                state.status = .init(text: "read-only: this console cannot change the store; restart without --read-only to act", isError: true)
                return []
            }
            return run(command, &state)
        }
    }

    static func fail(_ state: inout AppState, _ text: String) -> [Effect] {
        state.status = .init(text: text, isError: true)
        return []
    }

    // MARK: - Commands

    static func run(_ command: KeyCommand, _ state: inout AppState) -> [Effect] {
        switch command {
        case .dashboard: state.screen = .dashboard
        case .showsScreen:
            state.screen = .shows
            // Closed shows' totals are read again each time the screen opens.
            if !state.loadingHistory { state.history = nil }
            if state.shows.selected == nil, !state.orderedShows.isEmpty { state.shows.selected = 0 }
        case .sagasScreen:
            state.screen = .sagas
            if !state.loadingSagas { state.sagaBoard = nil }
        case .ordersScreen:
            state.screen = .orders
            // Read again each time the screen opens.
            if !state.loadingOrders { state.orderSearch = nil }
        case .searchOrders: state.dialog = .searchOrders(TextInputState(state.orderQuery, limit: 80))
        case .refund: return refund(&state)
        case .palette: state.dialog = .palette(PaletteState())
        case .newShow: return newShow(&state)
        case .failuresScreen:
            state.screen = .failures
            if state.failureList.selected == nil, !state.failures.isEmpty { state.failureList.selected = 0 }
        case .help: state.screen = state.screen == .help ? .dashboard : .help
        case .quit:
            state.quit = true
            return [.quit]
        case .nextPanel, .previousPanel:
            let all = AppState.Focus.allCases
            let index = all.firstIndex(of: state.focus) ?? 0
            state.focus = all[(index + (command == .nextPanel ? 1 : all.count - 1)) % all.count]
        case .up: move(&state, dy: -1, dx: 0)
        case .down: move(&state, dy: 1, dx: 0)
        case .left: move(&state, dy: 0, dx: -1)
        case .right: move(&state, dy: 0, dx: 1)
        case .pageUp: move(&state, dy: -10, dx: 0)
        case .pageDown: move(&state, dy: 10, dx: 0)
        case .previousShow, .nextShow: switchShow(&state, by: command == .nextShow ? 1 : -1)
        case .select: return toggleSeat(&state)
        case .follow:
            state.following.toggle()
            if state.following { state.feed = ListState() }
            state.status = .init(text: state.following ? "feed follows the newest events" : "feed paused", isError: false)
        case .filter: state.dialog = .filter(TextInputState(state.feedFilter, limit: 60))
        case .details: return details(&state)
        case .reserve, .best, .pay, .cancel, .extend, .block, .unblock: return seatCommand(command, &state)
        case .submit, .approve, .reject, .reopen, .closeSales, .cancelShow, .editShow: return showCommand(command, &state)
        case .retryFailure, .skipFailure:
            guard let index = state.failureList.selected ?? (state.failures.isEmpty ? nil : 0), state.failures.indices.contains(index) else {
                return fail(&state, "no failure selected")
            }
            let failure = state.failures[index]
            return [command == .retryFailure ? .retryFailure(id: failure.id, subscriber: failure.subscriber) : .skipFailure(id: failure.id, subscriber: failure.subscriber)]
        }
        return []
    }

    static func move(_ state: inout AppState, dy: Int, dx: Int) {
        switch state.screen {
        case .shows: state.shows.move(dy, count: state.orderedShows.count)
        case .failures: state.failureList.move(dy, count: state.failures.count)
        case .orders: state.orderList.move(dy, count: state.orderSearch?.orders.count ?? 0)
        case .sagas: state.sagaList.move(dy, count: state.sagaBoard?.lanes.count ?? 0)
        case .help: state.helpScroll = max(0, state.helpScroll + dy)
        case .dashboard:
            switch state.focus {
            case .seats: moveCursor(&state, dy: dy, dx: dx)
            case .holds: state.holds.move(dy, count: state.visibleHolds.count)
            case .feed:
                state.following = false
                state.feed.move(dy, count: state.visibleFeed.count)
            }
        }
    }

    /// Moves the seat cursor: across rows (and from one section into the next) and along a row.
    static func moveCursor(_ state: inout AppState, dy: Int, dx: Int) {
        let sections = state.sections
        guard !sections.isEmpty else { return }
        var rows: [(section: Int, row: Int)] = []
        for (s, section) in sections.enumerated() { for r in section.rows.indices { rows.append((s, r)) } }
        guard let current = rows.firstIndex(where: { $0.section == state.cursor.section && $0.row == state.cursor.row }) else {
            state.cursor = .init()
            return
        }
        let target = rows[min(max(current + dy, 0), rows.count - 1)]
        let seats = sections[target.section].rows[target.row].seats
        state.cursor = .init(section: target.section, row: target.row, seat: min(max(state.cursor.seat + dx, 0), seats - 1))
    }

    static func clampCursor(_ state: inout AppState) {
        let sections = state.sections
        guard sections.indices.contains(state.cursor.section), sections[state.cursor.section].rows.indices.contains(state.cursor.row) else {
            state.cursor = .init()
            return
        }
        let seats = sections[state.cursor.section].rows[state.cursor.row].seats
        state.cursor.seat = min(max(state.cursor.seat, 0), seats - 1)
    }

    static func switchShow(_ state: inout AppState, by delta: Int) {
        let shows = state.orderedShows
        guard !shows.isEmpty else { return }
        let index = shows.firstIndex { $0.id == state.show } ?? 0
        switchTo(shows[(index + delta + shows.count) % shows.count].id, &state)
    }

    static func toggleSeat(_ state: inout AppState) -> [Effect] {
        guard let seat = state.cursorSeat, let section = seat.parts?.section, let show = state.show else { return [] }
        if state.selection.remove(seat) != nil { return [] }
        // Free seats are selected to reserve or block, blocked ones to unblock.
        if let taken = state.models.seats.availability(show, section: section)?.state(of: seat).kind, taken != .available, taken != .blocked {
            return fail(&state, "\(seat) is \(taken.rawValue); choose a free seat (●)")
        }
        guard state.selection.count < TicketingError.maximumQuantity else {
            return fail(&state, "at most \(TicketingError.maximumQuantity) seats per reservation")
        }
        state.selection.insert(seat)
        return []
    }
}
