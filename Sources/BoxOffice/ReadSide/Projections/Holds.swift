import EventStore
import Foundation
import Ticketing

/// Active holds: who, which seats, how much, and when each expires. Keyed by reservation id.
public struct Holds: Projection {
    public struct Hold: Codable, Sendable, Equatable {
        public var reservationId: String
        public var showId: String
        public var customer: String
        public var seats: [String]
        public var amountMinor: Int64
        public var currency: String
        public var heldAt: Date
        public var expiresAt: Date
        public var extended: Bool
        public var heldBy: String

        public var amount: Money { Money(minor: amountMinor, currency: currency) }
    }

    public var name: String { "holds" }
    public init() {}

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Hold>) {
        switch event {
        case .reservationRequested(let e):
            rows[e.reservationId.rawValue] = Hold(
                reservationId: e.reservationId.rawValue, showId: e.showId.rawValue, customer: e.customer,
                seats: e.seats.map(\.rawValue), amountMinor: e.amountMinor, currency: e.currency,
                heldAt: e.at, expiresAt: e.at, extended: false, heldBy: e.by
            )
        case .reservationHeld(let e):
            rows.update(e.reservationId.rawValue, default: Hold(
                reservationId: e.reservationId.rawValue, showId: e.showId.rawValue, customer: "", seats: e.seats.map(\.rawValue),
                amountMinor: 0, currency: "", heldAt: e.at, expiresAt: e.expiresAt, extended: false, heldBy: e.by
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

extension RowSet where Row == Holds.Hold {
    /// Active holds, soonest expiry first (optionally of one show).
    public func byExpiry(show: ShowID? = nil) -> [Holds.Hold] {
        rows.values.filter { show == nil || $0.showId == show?.rawValue }
            .sorted { ($0.expiresAt, $0.reservationId) < ($1.expiresAt, $1.reservationId) }
    }

    /// Holds that expire within `seconds` of `now`.
    public func expiring(within seconds: TimeInterval, of now: Date, show: ShowID? = nil) -> Int {
        rows.values.count { (show == nil || $0.showId == show?.rawValue) && $0.expiresAt.timeIntervalSince(now) <= seconds }
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
                reservationId: reservationId, showId: showId, customer: customer, seats: seats, amountMinor: amountMinor,
                currency: currency, heldAt: heldAt, expiresAt: expiresAt, extended: extended, heldBy: heldBy
            )
        }
        return decoded ?? nil
    }

    func fastEncode() -> Data {
        var w = JSONObjectWriter()
        w.int("amountMinor", amountMinor); w.string("currency", currency); w.string("customer", customer); w.date("expiresAt", expiresAt)
        w.bool("extended", extended); w.date("heldAt", heldAt); w.string("heldBy", heldBy); w.string("reservationId", reservationId)
        w.strings("seats", seats); w.string("showId", showId)
        return w.finish()
    }
}
