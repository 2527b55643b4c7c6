import EventStore
import Foundation
import Ticketing

/// Active holds: who, which seats, how much, and when each expires. Keyed by reservation id.
public struct Holds: Projection {
    public struct Hold: Codable, Sendable, Equatable {
        public var reservationId: ReservationID
        public var showId: ShowID
        public var customer: String
        public var seats: [SeatID]
        /// Stored as `amountMinor` and `currency` (contract).
        public var amount: Money
        public var heldAt: Date
        public var expiresAt: Date
        public var extended: Bool
        public var heldBy: String

        public init(
            reservationId: ReservationID, showId: ShowID, customer: String, seats: [SeatID], amount: Money, heldAt: Date,
            expiresAt: Date, extended: Bool, heldBy: String
        ) {
            self.reservationId = reservationId
            self.showId = showId
            self.customer = customer
            self.seats = seats
            self.amount = amount
            self.heldAt = heldAt
            self.expiresAt = expiresAt
            self.extended = extended
            self.heldBy = heldBy
        }

        enum CodingKeys: String, CodingKey {
            case reservationId, showId, customer, seats, amountMinor, currency, heldAt, expiresAt, extended, heldBy
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                reservationId: try c.decode(ReservationID.self, forKey: .reservationId), showId: try c.decode(ShowID.self, forKey: .showId),
                customer: try c.decode(String.self, forKey: .customer), seats: try c.decode([SeatID].self, forKey: .seats),
                amount: Money(minor: try c.decode(Int64.self, forKey: .amountMinor), currency: try c.decode(String.self, forKey: .currency)),
                heldAt: try c.decode(Date.self, forKey: .heldAt), expiresAt: try c.decode(Date.self, forKey: .expiresAt),
                extended: try c.decode(Bool.self, forKey: .extended), heldBy: try c.decode(String.self, forKey: .heldBy)
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reservationId, forKey: .reservationId)
            try c.encode(showId, forKey: .showId)
            try c.encode(customer, forKey: .customer)
            try c.encode(seats, forKey: .seats)
            try c.encode(amount.minor, forKey: .amountMinor)
            try c.encode(amount.currency, forKey: .currency)
            try c.encode(heldAt, forKey: .heldAt)
            try c.encode(expiresAt, forKey: .expiresAt)
            try c.encode(extended, forKey: .extended)
            try c.encode(heldBy, forKey: .heldBy)
        }
    }

    public var name: String { "holds" }
    public init() {}

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

extension RowSet where Row == Holds.Hold {
    /// Active holds, soonest expiry first (optionally of one show).
    public func byExpiry(show: ShowID? = nil) -> [Holds.Hold] {
        rows.values.filter { show == nil || $0.showId == show }
            .sorted { ($0.expiresAt, $0.reservationId) < ($1.expiresAt, $1.reservationId) }
    }

    /// Holds that expire within `seconds` of `now`.
    public func expiring(within seconds: TimeInterval, of now: Date, show: ShowID? = nil) -> Int {
        rows.values.count { (show == nil || $0.showId == show) && $0.expiresAt.timeIntervalSince(now) <= seconds }
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
