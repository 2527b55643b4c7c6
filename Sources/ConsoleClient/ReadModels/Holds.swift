import Foundation
import Ticketing

/// Active holds: who, which seats, how much, and when each expires. Keyed by reservation id.
public struct Holds: Sendable {
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

    public init() {}
}

extension RowSet where Row == Holds.Hold {
    /// Active holds, soonest expiry first (optionally of one show).
    public func byExpiry(show: ShowID? = nil) -> [Holds.Hold] {
        rows.values.filter { show == nil || $0.showId == show }
            .sorted { ($0.expiresAt, $0.reservationId) < ($1.expiresAt, $1.reservationId) }
    }
}
