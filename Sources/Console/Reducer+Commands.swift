import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

extension Reducer {
    static func seatCommand(_ command: KeyCommand, _ state: inout AppState) -> [Effect] {
        guard let show = state.currentShow else { return fail(&state, "no show selected; press 2 to pick one") }
        let id = show.id
        switch command {
        case .reserve, .best:
            guard show.status == .approved else { return fail(&state, TicketingError.notOnSale(id, status: show.status.rawValue).description) }
            if command == .best {
                state.dialog = .best(show: id, quantity: TextInputState("2", limit: 3), section: TextInputState("", limit: 32), customer: TextInputState("", limit: 80), field: 0, error: nil)
                return []
            }
            guard !state.selection.isEmpty else { return fail(&state, "no seats selected: move to a free seat (●) and press space") }
            state.dialog = .reserve(show: id, seats: state.selection.sorted(), customer: TextInputState("", limit: 80), error: nil)
        case .pay, .cancel, .extend:
            guard let hold = state.highlightedHold else { return fail(&state, "no hold to act on for \(show.id); holds appear in the HOLDS panel") }
            let reservation = hold.reservationId
            switch command {
            case .pay: return [.command(.requestPayment(reservation, method: .boxOffice), done: "box-office payment under way for \(reservation)")]
            case .extend: return [.command(.extendHold(reservation, by: Ticketing.Command.maximumExtension), done: "\(reservation) extended by 2 minutes")]
            default:
                state.dialog = .cancelHold(reservation: reservation, summary: "\(reservation) · \(sanitize(hold.customer)) · \(hold.seats.count) seat\(hold.seats.count == 1 ? "" : "s") · \(hold.amount)")
            }
        case .block, .unblock:
            guard !state.selection.isEmpty else { return fail(&state, "no seats selected: move to a seat and press space") }
            let seats = state.selection.sorted()
            state.selection = []
            return command == .block
                ? [.command(.blockSeats(id, seats: seats), done: "blocked \(seats.count) seat\(seats.count == 1 ? "" : "s")")]
                : [.command(.unblockSeats(id, seats: seats), done: "unblocked \(seats.count) seat\(seats.count == 1 ? "" : "s")")]
        default:
            break
        }
        return []
    }

    static func showCommand(_ command: KeyCommand, _ state: inout AppState) -> [Effect] {
        guard let show = state.targetShow else { return fail(&state, "no show selected") }
        let id = show.id
        switch command {
        case .submit: return [.command(.submitShow(id), done: "submitted \(id) for approval")]
        case .approve: return [.command(.approveShow(id), done: "approved \(id): on sale")]
        case .reopen: return [.command(.reopenShow(id), done: "reopened \(id) as a draft")]
        case .closeSales: state.dialog = .closeSales(show: id, name: show.name)
        case .reject: state.dialog = .reject(show: id, reason: TextInputState("", limit: 10_000), error: nil)
        case .cancelShow: state.dialog = .cancelShow(show: id, typed: TextInputState("", limit: 64), error: nil)
        case .editShow:
            guard show.status == .draft else { return fail(&state, "only a draft can be edited: \(id) is \(show.status.rawValue)") }
            // The prices as they stand, from the show's sales model (which follows every change).
            let prices = (state.sales(id)?.tierPrices ?? [:]).sorted { $0.key < $1.key }.map { PriceText.written(tier: $0.key, minor: $0.value) }
            state.dialog = .editShow(
                show: id, name: TextInputState(show.name, limit: 120),
                starts: TextInputState(ShowStart.editable(show.startsAt, timeZone: state.timeZone), limit: 40),
                prices: TextInputState(prices.joined(separator: " "), limit: 200), field: 0, error: nil
            )
        default: break
        }
        return []
    }

    static func details(_ state: inout AppState) -> [Effect] {
        switch state.screen {
        case .shows:
            guard let show = state.targetShow else { return [] }
            openDetails(&state, title: show.id.rawValue, lines: ShowDetails.lines(show, totals: state.totals(show.id), timeZone: state.timeZone))
            return []
        case .sagas:
            guard let lane = state.highlightedLane else { return fail(&state, "no saga in flight") }
            return [.eventDetails(position: lane.lastPosition)]
        case .orders:
            guard let order = state.highlightedOrder else { return fail(&state, "no order highlighted; press / to search") }
            state.status = .init(text: "reading \(sanitize(order.customer))'s history…", isError: false)
            return [.loadCustomer(order.customer)]
        case .dashboard where state.focus == .feed:
            let feed = state.visibleFeed
            guard let entry = feed.indices.contains(state.feed.selected ?? 0) ? feed[state.feed.selected ?? 0] : nil else { return [] }
            return [.eventDetails(position: entry.position)]
        case .dashboard where state.focus == .holds:
            guard let hold = state.highlightedHold, let seat = hold.seats.first else { return [] }
            return [.seatHistory(hold.showId, seat)]
        case .dashboard:
            guard let show = state.show, let seat = state.cursorSeat else { return [] }
            return [.seatHistory(show, seat)]
        default:
            return []
        }
    }
}

/// The lines of a show's details dialog.
enum ShowDetails {
    static func lines(
        _ show: ShowQueue.Show, totals: (capacity: Int, available: Int, held: Int, sold: Int, blocked: Int)?, timeZone: TimeZone
    ) -> [String] {
        var lines = [
            sanitize(show.name), "venue \(sanitize(show.venueName)) · \(show.capacity) seats · status \(show.status)",
            totals.map { "free \($0.available) · held \($0.held) · sold \($0.sold) · blocked \($0.blocked)" } ?? "seat counts: reading the closed show's rows…",
            "created by \(sanitize(show.createdBy))",
        ]
        if let by = show.submittedBy { lines.append("submitted by \(sanitize(by))") }
        if let by = show.approvedBy { lines.append("approved by \(sanitize(by))") }
        if let by = show.rejectedBy { lines.append("rejected by \(sanitize(by)): \(sanitize(show.rejectionReason ?? ""))") }
        return lines
    }
}
