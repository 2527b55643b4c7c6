import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// Screen 4: every reservation in every state, newest first, searched with `/`; Enter opens
/// the customer's history, `c` refunds a confirmed order.
struct OrdersScreen: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        let search = state.orderSearch
        let orders = search?.orders ?? []
        let count = search.map { $0.matched > $0.orders.count ? "\($0.orders.count) of \($0.matched)" : "\($0.orders.count)" } ?? "…"
        let query = state.orderQuery.isEmpty ? "all customers" : "matching \"\(sanitize(state.orderQuery))\""
        Panel(title: "ORDERS \(count)", focused: true, note: "\(query) · / search · Enter customer").render(in: area, into: &buffer)
        // Below 100 columns the time held gives way, so the customer keeps room.
        let wide = area.width >= 100
        let rows: [[Table.Item]] = orders.map { order in
            [
                .init(order.reservationId.rawValue), .init(order.status.label, role: Self.role(order.status)), .init(order.showId.rawValue),
                .init(Format.seats(order.seats, limit: 3), role: .muted), .init(order.amount.description),
            ] + (wide ? [.init(Format.stamp(order.heldAt, state.timeZone), role: .muted)] : []) + [.init(sanitize(order.customer))]
        }
        let empty = search == nil ? "reading the orders…" : state.orderQuery.isEmpty ? "no orders yet" : "no order matches; / to search again"
        let columns: [Table.Column] = [
            .init("ORDER", width: .fixed(11)), .init("STATUS", width: .fixed(15)), .init("SHOW", width: .percentage(wide ? 16 : 17)),
            .init("SEATS", width: .percentage(wide ? 20 : 15)), .init("AMOUNT", width: .fixed(10)),
        ] + (wide ? [.init("HELD", width: .fixed(12))] : []) + [.init("CUSTOMER", width: .fill)]
        Table(columns: columns, rows: rows, state: state.orderList.selected == nil ? ListState(selected: rows.isEmpty ? nil : 0) : state.orderList, emptyMessage: empty)
            .render(in: Panel.inner(area), into: &buffer)
    }

    static func role(_ status: Orders.Status) -> StyleRole {
        switch status {
        case .confirmed: .statusOK
        case .requested, .held, .paid: "header.readonly"
        case .refundPending, .compensated: .statusError
        case .cancelled, .refunded, .expired: .muted
        }
    }
}
