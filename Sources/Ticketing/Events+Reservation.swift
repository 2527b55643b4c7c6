import Foundation

/// A customer asked for seats; the price is fixed here, from the seats' tiers.
public struct ReservationRequested: DomainEventPayload {
    public static let typeName = "ReservationRequested"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var customer: String
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], customer: String, amountMinor: Int64, currency: String, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.customer = customer
        self.amountMinor = amountMinor
        self.currency = currency
        self.by = by
        self.at = at
    }
}

/// The reservation's seats are held until `expiresAt`.
public struct ReservationHeld: DomainEventPayload {
    public static let typeName = "ReservationHeld"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var expiresAt: Date
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], expiresAt: Date, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.expiresAt = expiresAt
        self.by = by
        self.at = at
    }
}

/// A hold's deadline moved later, once, within the limits the saga enforces.
public struct HoldExtended: DomainEventPayload {
    public static let typeName = "HoldExtended"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var previousExpiresAt: Date
    public var expiresAt: Date
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, previousExpiresAt: Date, expiresAt: Date, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.previousExpiresAt = previousExpiresAt
        self.expiresAt = expiresAt
        self.by = by
        self.at = at
    }
}

/// Payment arrived in time: the seats are the customer's.
public struct ReservationConfirmed: DomainEventPayload {
    public static let typeName = "ReservationConfirmed"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], amountMinor: Int64, currency: String, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.amountMinor = amountMinor
        self.currency = currency
        self.by = by
        self.at = at
    }
}

/// The reservation was cancelled; when it had been paid, `refundDue` is true and the seats stay
/// sold until the refund goes through (`ReservationRefunded`).
public struct ReservationCancelled: DomainEventPayload {
    public static let typeName = "ReservationCancelled"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var refundDue: Bool
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], refundDue: Bool, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.refundDue = refundDue
        self.by = by
        self.at = at
    }
}

/// The hold reached its deadline unpaid and its seats went back on sale.
public struct ReservationExpired: DomainEventPayload {
    public static let typeName = "ReservationExpired"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var expiresAt: Date
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], expiresAt: Date, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.expiresAt = expiresAt
        self.by = by
        self.at = at
    }
}

/// Payment failed, so the hold was undone and its seats went back on sale.
public struct ReservationCompensated: DomainEventPayload {
    public static let typeName = "ReservationCompensated"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var reason: String
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], reason: String, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// A paid reservation's money went back to the customer and its seats back on sale.
public struct ReservationRefunded: DomainEventPayload {
    public static let typeName = "ReservationRefunded"

    public var reservationId: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date

    public init(reservationId: ReservationID, showId: ShowID, seats: [SeatID], amountMinor: Int64, currency: String, by: String, at: Date) {
        self.reservationId = reservationId
        self.showId = showId
        self.seats = seats
        self.amountMinor = amountMinor
        self.currency = currency
        self.by = by
        self.at = at
    }
}
