import TerminalUI

extension Reducer {
    /// A click: on a seat, moves the cursor there and selects it; on a panel, focuses it.
    static func click(_ state: inout AppState, x: Int, y: Int) -> [Effect] {
        guard state.screen == .dashboard else { return [] }
        let layout = DashboardLayout(width: state.width, height: state.height)
        if layout.seats.contains(x: x, y: y) {
            state.focus = .seats
            if let seat = SeatMapGeometry(state: state, panel: layout.seats).seat(atX: x, y: y) {
                let sections = state.sections
                guard sections.indices.contains(seat.section), sections[seat.section].rows.indices.contains(seat.row),
                      seat.seat < sections[seat.section].rows[seat.row].seats else { return [] }
                state.cursor = seat
                return toggleSeat(&state)
            }
        } else if layout.holds.contains(x: x, y: y) {
            state.focus = .holds
        } else if layout.feed.contains(x: x, y: y) {
            state.focus = .feed
        }
        return []
    }
}
