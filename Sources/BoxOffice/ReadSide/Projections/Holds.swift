import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The fold behind `Holds`.
extension Holds: Projection {
    public var name: String { "holds" }

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Hold>) {
        switch event {
        case .reservationRequested(let e):
            rows[e.reservationId.rawValue] = Hold(
                reservationId: e.reservationId, showId: e.showId, customer: e.customer, seats: e.seats,
                amount: Money(minor: e.amountMinor, currency: e.currency), heldAt: e.at, expiresAt: e.at, extended: false, heldBy: e.by
            )
        case .reservationHeld(let e):
            rows.update(e.reservationId.rawValue, default: Hold(
                reservationId: e.reservationId, showId: e.showId, customer: "", seats: e.seats,
                amount: Money(minor: 0, currency: ""), heldAt: e.at, expiresAt: e.expiresAt, extended: false, heldBy: e.by
            )) { hold in
                hold.heldAt = e.at
                hold.expiresAt = e.expiresAt
            }
        case .holdExtended(let e):
            guard var hold = rows[e.reservationId.rawValue] else { return }
            hold.expiresAt = e.expiresAt
            hold.extended = true
            rows[e.reservationId.rawValue] = hold
        case .reservationConfirmed(let e): rows[e.reservationId.rawValue] = nil
        case .reservationCancelled(let e): rows[e.reservationId.rawValue] = nil
        case .reservationExpired(let e): rows[e.reservationId.rawValue] = nil
        case .reservationCompensated(let e): rows[e.reservationId.rawValue] = nil
        default: break
        }
    }
}

// One row per live hold, loaded whenever a store opens: coded by hand (same JSON as Codable).
extension Holds.Hold: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var reservationId: String?, showId: String?, customer: String?, seats: [String]?, amountMinor: Int64?, currency: String?
            var heldAt: Date?, expiresAt: Date?, extended: Bool?, heldBy: String?
            try scanner.object { key, scanner in
                switch key {
                case "reservationId": reservationId = try scanner.string()
                case "showId": showId = try scanner.string()
                case "customer": customer = try scanner.string()
                case "seats": seats = try scanner.strings()
                case "amountMinor": amountMinor = try scanner.int()
                case "currency": currency = try scanner.string()
                case "heldAt": heldAt = try scanner.date()
                case "expiresAt": expiresAt = try scanner.date()
                case "extended": extended = try scanner.bool()
                case "heldBy": heldBy = try scanner.string()
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let reservationId, let showId, let customer, let seats, let amountMinor, let currency,
                  let heldAt, let expiresAt, let extended, let heldBy else { return nil }
            return Self(
                reservationId: ReservationID(reservationId), showId: ShowID(showId), customer: customer, seats: seats.map(SeatID.init),
                amount: Money(minor: amountMinor, currency: currency), heldAt: heldAt, expiresAt: expiresAt, extended: extended, heldBy: heldBy
            )
        }
        return decoded ?? nil
    }

    func fastEncode() -> Data {
        var w = JSONObjectWriter()
        w.int("amountMinor", amount.minor); w.string("currency", amount.currency); w.string("customer", customer); w.date("expiresAt", expiresAt)
        w.bool("extended", extended); w.date("heldAt", heldAt); w.string("heldBy", heldBy); w.string("reservationId", reservationId.rawValue)
        w.strings("seats", seats.map(\.rawValue)); w.string("showId", showId.rawValue)
        return w.finish()
    }
}
