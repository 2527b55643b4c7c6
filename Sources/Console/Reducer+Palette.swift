import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

// The `:` command palette.
extension Reducer {
    static let paletteHistoryLimit = 50

    static func paletteKey(_ state: inout AppState, _ palette: PaletteState, _ key: Key) -> [Effect] {
        var palette = palette
        switch key {
        case .tab:
            let shows = state.orderedShows.map(\.id.rawValue)
            let sections = state.sections.map(\.name)
            let done = Palette.complete(palette.input.text, shows: shows, sections: sections, themes: state.themeNames)
            palette.input = TextInputState(done.line, limit: palette.input.limit)
            (palette.note, palette.isError) = (done.choices.isEmpty ? nil : done.choices.joined(separator: "  "), false)
        case .up, .down:
            let history = state.paletteHistory
            guard !history.isEmpty else { break }
            let next = key == .up ? max((palette.recalled ?? history.count) - 1, 0) : (palette.recalled ?? history.count) + 1
            if next >= history.count {
                (palette.input, palette.recalled) = (TextInputState("", limit: palette.input.limit), nil)
            } else {
                (palette.input, palette.recalled) = (TextInputState(history[next], limit: palette.input.limit), next)
            }
            palette.note = nil
        case .enter:
            let line = palette.input.text.trimmingCharacters(in: .whitespaces)
            switch Palette.parse(line) {
            case .failure(let error):
                (palette.note, palette.isError) = (error.message, true)
            case .success(let command):
                if state.paletteHistory.last != line { state.paletteHistory.append(line) }
                state.paletteHistory = Array(state.paletteHistory.suffix(paletteHistoryLimit))
                state.dialog = nil
                return runPalette(command, &state)
            }
        default:
            palette.input.handle(key)
            palette.note = nil
        }
        state.dialog = .palette(palette)
        return []
    }

    static func runPalette(_ command: PaletteCommand, _ state: inout AppState) -> [Effect] {
        switch command {
        case .show(let name):
            guard let show = state.orderedShows.first(where: { $0.id.rawValue.lowercased() == name.lowercased() }) else {
                return fail(&state, "no show \(name); Tab after \"show \" lists them")
            }
            state.screen = .dashboard
            if state.show != show.id { switchTo(show.id, &state) }
            state.status = .init(text: "showing \(show.id)", isError: false)
        case .shows:
            return run(.showsScreen, &state)
        case .orders(let text):
            state.screen = .orders
            state.orderQuery = text
            state.orderList = ListState()
            if !state.loadingOrders { state.orderSearch = nil }
        case .reserve(let count, let section):
            if state.readOnly { return fail(&state, "read-only: this console cannot change the store; restart without --read-only to act") }
            guard let show = state.currentShow else { return fail(&state, "no show selected; :show ID picks one") }
            guard show.status == .approved else { return fail(&state, TicketingError.notOnSale(show.id, status: show.status.rawValue).description) }
            state.screen = .dashboard
            state.dialog = .best(
                show: show.id, quantity: TextInputState(String(count), limit: 3), section: TextInputState(section ?? "", limit: 32),
                customer: TextInputState("", limit: 80), field: 2, error: nil
            )
        case .go(let position):
            guard position <= state.head else { return fail(&state, "the log ends at #\(state.head); go to a position up to there") }
            state.screen = .dashboard
            state.focus = .feed
            state.following = false
            if let index = state.visibleFeed.firstIndex(where: { $0.position == position }) { state.feed.selected = index }
            return [.eventDetails(position: position)]
        case .theme(let name):
            guard !state.themeNames.isEmpty else { return fail(&state, "no themes to choose from here") }
            return [.useTheme(name)]
        case .help:
            state.screen = .help
        case .quit:
            return run(.quit, &state)
        }
        return []
    }

    /// The dashboard on another show: cursor, selection and holds list start afresh.
    static func switchTo(_ show: ShowID, _ state: inout AppState) {
        state.show = show
        state.cursor = .init()
        state.selection = []
        state.holds = ListState()
    }
}
