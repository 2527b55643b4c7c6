import Foundation

/// A customer asked for seats; the price is fixed here, from the seats' tiers.
public struct ReservationRequested: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var customer: String
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date
}

/// The reservation's seats are held until `expiresAt`.
public struct ReservationHeld: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var expiresAt: Date
    public var by: String
    public var at: Date
}

/// A hold's deadline moved later, once, within the limits the saga enforces.
public struct HoldExtended: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var previousExpiresAt: Date
    public var expiresAt: Date
    public var by: String
    public var at: Date
}

/// Payment arrived in time: the seats are the customer's.
public struct ReservationConfirmed: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date
}

/// The reservation was cancelled; when it had been paid, `refundDue` is true and the seats stay
/// sold until the refund goes through (`ReservationRefunded`).
public struct ReservationCancelled: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var refundDue: Bool
    public var by: String
    public var at: Date
}

/// The hold reached its deadline unpaid and its seats went back on sale.
public struct ReservationExpired: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var expiresAt: Date
    public var by: String
    public var at: Date
}

/// Payment failed, so the hold was undone and its seats went back on sale.
public struct ReservationCompensated: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var reason: String
    public var by: String
    public var at: Date
}

/// A paid reservation's money went back to the customer and its seats back on sale.
public struct ReservationRefunded: DomainEventPayload {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date
}
