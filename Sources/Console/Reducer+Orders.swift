import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

// Screen 4: orders and customers.
extension Reducer {
    static func ordersLoaded(_ query: OrderQuery, _ result: Result<OrderSearch, ClientError>, _ state: inout AppState) {
        state.loadingOrders = false
        switch result {
        case .success(let search):
            // An answer to an older search is dropped; the screen asks again for the current one.
            guard query.text == state.orderQuery else { return }
            let highlighted = state.highlightedOrder?.reservationId
            state.orderSearch = search
            // The highlighted order stays highlighted as newer orders arrive above it.
            if let highlighted, let index = search.orders.firstIndex(where: { $0.reservationId == highlighted }) {
                state.orderList.selected = index
            } else if let selected = state.orderList.selected, selected >= search.orders.count {
                state.orderList.selected = search.orders.isEmpty ? nil : search.orders.count - 1
            }
        case .failure(let error):
            state.orderSearch = OrderSearch(position: state.head)
            state.status = .init(text: error.message, isError: true)
        }
    }

    static func customerLoaded(_ name: String, _ result: Result<CustomerRecord?, ClientError>, _ state: inout AppState) {
        switch result {
        case .success(let record?):
            state.status = nil
            let orders = record.orders.map { order in
                "\(order.reservationId)  \(Format.padded(order.status.label, to: 15))\(order.showId)  \(Format.seats(order.seats, limit: 4))  \(order.amount)  \(Format.stamp(order.heldAt, state.timeZone))"
            }
            openDetails(&state, title: "Customer \(sanitize(name))", lines: record.summary + orders)
        case .success(nil):
            state.status = .init(text: "no orders in the name \(sanitize(name))", isError: true)
        case .failure(let error):
            state.status = .init(text: error.message, isError: true)
        }
    }

    /// `c` on screen 4: a confirmed order is refunded after a typed confirmation.
    static func refund(_ state: inout AppState) -> [Effect] {
        guard let order = state.highlightedOrder else { return fail(&state, "no order highlighted; press / to search") }
        guard order.refundable else {
            let hint = order.status == .held ? "; cancel a hold on the dashboard (c)" : ""
            return fail(&state, "\(order.reservationId) is \(order.status.label): only a confirmed order can be refunded\(hint)")
        }
        let seats = "\(order.seats.count) seat\(order.seats.count == 1 ? "" : "s")"
        state.dialog = .refund(
            reservation: order.reservationId, summary: "\(order.reservationId) · \(sanitize(order.customer)) · \(order.showId) · \(seats) · \(order.amount)",
            typed: TextInputState("", limit: 16), error: nil
        )
        return []
    }
}
