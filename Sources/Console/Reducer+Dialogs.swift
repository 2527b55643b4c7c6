import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

extension Reducer {
    /// Keys while a dialog is open: editing, Enter to confirm (refused in place when the answer
    /// is not acceptable), Esc to close.
    static func dialogKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let dialog = state.dialog else { return [] }
        if key == .escape {
            state.dialog = nil
            return []
        }
        switch dialog {
        case .reject(let show, var reason, _):
            guard key == .enter else {
                reason.handle(key)
                state.dialog = .reject(show: show, reason: reason, error: nil)
                return []
            }
            let text = reason.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                state.dialog = .reject(show: show, reason: reason, error: TicketingError.emptyReason.description)
                return []
            }
            if text.count > TicketingError.maximumReasonLength {
                state.dialog = .reject(show: show, reason: reason, error: TicketingError.reasonTooLong(length: text.count, maximum: TicketingError.maximumReasonLength).description)
                return []
            }
            state.dialog = nil
            return [.command(.rejectShow(show, reason: text), done: "rejected \(show)")]

        case .reserve(let show, let seats, var customer, _):
            guard key == .enter else {
                customer.handle(key)
                state.dialog = .reserve(show: show, seats: seats, customer: customer, error: nil)
                return []
            }
            let name = customer.text.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                state.dialog = .reserve(show: show, seats: seats, customer: customer, error: "the customer's name is required")
                return []
            }
            state.dialog = nil
            state.selection = []
            return [.reserve(show, seats: seats, customer: name)]

        case .best(let show, var quantity, var section, var customer, var field, _):
            switch key {
            case .tab, .down: field = (field + 1) % 3
            case .backTab, .up: field = (field + 2) % 3
            case .enter:
                guard let count = Int(quantity.text.trimmingCharacters(in: .whitespaces)), (1...TicketingError.maximumQuantity).contains(count) else {
                    state.dialog = .best(show: show, quantity: quantity, section: section, customer: customer, field: 0, error: "quantity must be a number from 1 to \(TicketingError.maximumQuantity)")
                    return []
                }
                let name = customer.text.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else {
                    state.dialog = .best(show: show, quantity: quantity, section: section, customer: customer, field: 2, error: "the customer's name is required")
                    return []
                }
                let chosen = section.text.trimmingCharacters(in: .whitespaces)
                state.dialog = nil
                return [.best(show, quantity: count, section: chosen.isEmpty ? nil : chosen, customer: name)]
            default:
                switch field {
                case 0: quantity.handle(key)
                case 1: section.handle(key)
                default: customer.handle(key)
                }
            }
            state.dialog = .best(show: show, quantity: quantity, section: section, customer: customer, field: field, error: nil)
            return []

        case .cancelHold(let reservation, _):
            return confirm(key, &state, [.command(.cancelReservation(reservation), done: "cancelled \(reservation)")])

        case .closeSales(let show, _):
            return confirm(key, &state, [.command(.closeSales(show), done: "closed sales for \(show)")])

        case .cancelShow(let show, var typed, _):
            guard key == .enter else {
                typed.handle(key)
                state.dialog = .cancelShow(show: show, typed: typed, error: nil)
                return []
            }
            guard typed.text == show.rawValue else {
                state.dialog = .cancelShow(show: show, typed: typed, error: "type \(show) exactly to confirm")
                return []
            }
            state.dialog = nil
            return [.command(.cancelShow(show, reason: nil), done: "cancelled \(show); its sales are being refunded")]

        case .filter(var text):
            guard key == .enter else {
                text.handle(key)
                state.dialog = .filter(text)
                return []
            }
            state.feedFilter = text.text.trimmingCharacters(in: .whitespaces)
            state.feed = ListState()
            state.dialog = nil
            return []

        case .searchOrders(var text):
            guard key == .enter else {
                text.handle(key)
                state.dialog = .searchOrders(text)
                return []
            }
            state.orderQuery = text.text.trimmingCharacters(in: .whitespaces)
            state.dialog = nil
            state.orderList = ListState()
            if !state.loadingOrders { state.orderSearch = nil }
            return []

        case .refund(let reservation, let summary, var typed, _):
            guard key == .enter else {
                typed.handle(key)
                state.dialog = .refund(reservation: reservation, summary: summary, typed: typed, error: nil)
                return []
            }
            guard typed.text.trimmingCharacters(in: .whitespaces).lowercased() == "refund" else {
                state.dialog = .refund(reservation: reservation, summary: summary, typed: typed, error: "type refund to confirm, or Esc to keep the order")
                return []
            }
            state.dialog = nil
            return [.command(.cancelReservation(reservation), done: "refunding \(reservation): the payment goes back, then its seats go on sale")]

        case .newShow(let form):
            return newShowKey(&state, form, key)

        case .palette(let palette):
            return paletteKey(&state, palette, key)

        case .details(_, let lines):
            switch key {
            case .enter, .character("q"): state.dialog = nil
            case .up, .character("k"): state.detailsScroll = max(state.detailsScroll - 1, 0)
            case .down, .character("j"): state.detailsScroll = min(state.detailsScroll + 1, max(lines.count - 1, 0))
            case .pageUp: state.detailsScroll = max(state.detailsScroll - 10, 0)
            case .pageDown: state.detailsScroll = min(state.detailsScroll + 10, max(lines.count - 1, 0))
            case .home: state.detailsScroll = 0
            default: break
            }
            return []

        case .editShow(let show, var name, var starts, var prices, var field, _):
            func refuse(_ field: Int, _ error: String) -> [Effect] {
                state.dialog = .editShow(show: show, name: name, starts: starts, prices: prices, field: field, error: error)
                return []
            }
            switch key {
            case .tab, .down: field = (field + 1) % 3
            case .backTab, .up: field = (field + 2) % 3
            case .enter:
                let newName = name.text.trimmingCharacters(in: .whitespaces)
                guard (1...120).contains(newName.count) else { return refuse(0, TicketingError.invalidShowName.description) }
                guard let startsAt = ShowStart.parse(starts.text, timeZone: state.timeZone) else { return refuse(1, "write the start as 2026-12-24 20:00") }
                guard startsAt > state.now else { return refuse(1, "that time has passed: give a time to come") }
                let byTier: [String: Int64]
                switch PriceText.parseList(prices.text) {
                case .success(let list):
                    // Only the prices changed from those prefilled.
                    let before = state.sales(show)?.tierPrices ?? [:]
                    byTier = Dictionary(list.filter { before[$0.tier] != $0.minor }.map { ($0.tier, $0.minor) }) { _, last in last }
                case .failure(let error): return refuse(2, error.description)
                }
                state.dialog = nil
                // A field left as it was prefilled is no change (the start is shown to the
                // minute, so parsing it back would move it by the seconds it had).
                let current = state.orderedShows.first { $0.id == show }
                let unchangedStart = current.map { starts.text == ShowStart.editable($0.startsAt, timeZone: state.timeZone) } ?? false
                return [.command(.editShow(show, name: newName, startsAt: unchangedStart ? nil : startsAt, prices: byTier), done: "edited \(show)")]
            default:
                switch field {
                case 0: name.handle(key)
                case 1: starts.handle(key)
                default: prices.handle(key)
                }
            }
            state.dialog = .editShow(show: show, name: name, starts: starts, prices: prices, field: field, error: nil)
            return []
        }
    }

    /// A yes/no question: `y` closes the dialog and runs `effects`, `n` only closes it, any
    /// other key leaves it open.
    private static func confirm(_ key: Key, _ state: inout AppState, _ effects: [Effect]) -> [Effect] {
        switch key {
        case .character("y"), .character("Y"):
            state.dialog = nil
            return effects
        case .character("n"), .character("N"):
            state.dialog = nil
            return []
        default:
            return []
        }
    }
}
