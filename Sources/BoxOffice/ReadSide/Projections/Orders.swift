import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The fold behind `Orders`: one row per reservation, following it from request to its end.
extension Orders: Projection {
    public var name: String { "orders" }
    /// A row per reservation ever made: it grows with the history and is searched, not drawn
    /// whole, so it stays in its table.
    public var livesInStore: Bool { true }

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Order>) {
        func update(_ id: ReservationID, _ change: (inout Order) -> Void) {
            guard var order = rows[id.rawValue] else { return }
            change(&order)
            rows[id.rawValue] = order
        }
        switch event {
        case .reservationRequested(let e):
            rows[e.reservationId.rawValue] = Order(
                reservationId: e.reservationId, showId: e.showId, customer: e.customer, seats: e.seats,
                amount: Money(minor: e.amountMinor, currency: e.currency), status: .requested, heldAt: e.at, expiresAt: e.at
            )
        case .reservationHeld(let e):
            update(e.reservationId) { order in
                (order.status, order.heldAt, order.expiresAt) = (.held, e.at, e.expiresAt)
            }
        case .holdExtended(let e): update(e.reservationId) { $0.expiresAt = e.expiresAt }
        case .paymentSucceeded(let e):
            update(e.reservationId) { order in
                order.paidAt = e.at
                if order.status == .held { order.status = .paid }
            }
        case .reservationConfirmed(let e): update(e.reservationId) { $0.status = .confirmed }
        case .reservationCancelled(let e): update(e.reservationId) { $0.status = e.refundDue ? .refundPending : .cancelled }
        case .reservationRefunded(let e): update(e.reservationId) { $0.status = .refunded }
        case .reservationExpired(let e): update(e.reservationId) { $0.status = .expired }
        case .reservationCompensated(let e): update(e.reservationId) { $0.status = .compensated }
        default: break
        }
    }
}

// A row per reservation, every one written by a rebuild and read by each search: coded by hand
// (the bytes `Codable` writes with sorted keys).
extension Orders.Order: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var reservationId: String?, showId: String?, customer: String?, seats: [String]?, amountMinor: Int64?, currency: String?
            var status: Orders.Status?, heldAt: Date?, expiresAt: Date?, paidAt: Date??
            try scanner.object { key, scanner in
                switch key {
                case "reservationId": reservationId = try scanner.string()
                case "showId": showId = try scanner.string()
                case "customer": customer = try scanner.string()
                case "seats": seats = try scanner.strings()
                case "amountMinor": amountMinor = try scanner.int()
                case "currency": currency = try scanner.string()
                case "status":
                    guard let known = Orders.Status(rawValue: try scanner.string()) else { throw JSONScanner.Unexpected() }
                    status = known
                case "heldAt": heldAt = try scanner.date()
                case "expiresAt": expiresAt = try scanner.date()
                case "paidAt": paidAt = .some(scanner.null() ? nil : try scanner.date())
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let reservationId, let showId, let customer, let seats, let amountMinor, let currency,
                  let status, let heldAt, let expiresAt, let paidAt else { return nil }
            return Self(
                reservationId: ReservationID(reservationId), showId: ShowID(showId), customer: customer, seats: seats.map(SeatID.init),
                amount: Money(minor: amountMinor, currency: currency), status: status, heldAt: heldAt, expiresAt: expiresAt, paidAt: paidAt
            )
        }
        return decoded ?? nil
    }

    func fastEncode() -> Data {
        var w = JSONObjectWriter()
        w.int("amountMinor", amount.minor); w.string("currency", amount.currency); w.string("customer", customer)
        w.date("expiresAt", expiresAt); w.date("heldAt", heldAt); w.date("paidAt", paidAt)
        w.string("reservationId", reservationId.rawValue); w.strings("seats", seats.map(\.rawValue)); w.string("showId", showId.rawValue)
        w.string("status", status.rawValue)
        return w.finish()
    }
}
