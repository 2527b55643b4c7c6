import Foundation

/// How a payment is taken: online by the buyer, or at the box office by an operator.
public enum PaymentMethod: String, Sendable, Codable, Hashable {
    case card, boxOffice
}

/// A payment for a held reservation was sent to the gateway.
public struct PaymentRequested: DomainEventPayload {
    public static let typeName = "PaymentRequested"

    public var paymentId: PaymentID
    public var reservationId: ReservationID
    public var showId: ShowID
    public var amountMinor: Int64
    public var currency: String
    public var method: PaymentMethod
    public var by: String
    public var at: Date

    public init(paymentId: PaymentID, reservationId: ReservationID, showId: ShowID, amountMinor: Int64, currency: String, method: PaymentMethod, by: String, at: Date) {
        self.paymentId = paymentId
        self.reservationId = reservationId
        self.showId = showId
        self.amountMinor = amountMinor
        self.currency = currency
        self.method = method
        self.by = by
        self.at = at
    }
}

/// The gateway took the money.
public struct PaymentSucceeded: DomainEventPayload {
    public static let typeName = "PaymentSucceeded"

    public var paymentId: PaymentID
    public var reservationId: ReservationID
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date

    public init(paymentId: PaymentID, reservationId: ReservationID, amountMinor: Int64, currency: String, by: String, at: Date) {
        self.paymentId = paymentId
        self.reservationId = reservationId
        self.amountMinor = amountMinor
        self.currency = currency
        self.by = by
        self.at = at
    }
}

/// The gateway declined; the saga compensates the reservation.
public struct PaymentFailed: DomainEventPayload {
    public static let typeName = "PaymentFailed"

    public var paymentId: PaymentID
    public var reservationId: ReservationID
    public var reason: String
    public var by: String
    public var at: Date

    public init(paymentId: PaymentID, reservationId: ReservationID, reason: String, by: String, at: Date) {
        self.paymentId = paymentId
        self.reservationId = reservationId
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// Money taken was given back (a cancelled sale, a cancelled show, or a payment that lost the
/// race against its hold's expiry).
public struct PaymentRefunded: DomainEventPayload {
    public static let typeName = "PaymentRefunded"

    public var paymentId: PaymentID
    public var reservationId: ReservationID
    public var amountMinor: Int64
    public var currency: String
    public var by: String
    public var at: Date

    public init(paymentId: PaymentID, reservationId: ReservationID, amountMinor: Int64, currency: String, by: String, at: Date) {
        self.paymentId = paymentId
        self.reservationId = reservationId
        self.amountMinor = amountMinor
        self.currency = currency
        self.by = by
        self.at = at
    }
}
