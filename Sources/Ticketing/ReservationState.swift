import Foundation

/// Where a reservation is: held until paid, expired or cancelled; confirmed once paid.
public enum ReservationStatus: String, Hashable, Sendable, Codable {
    case held, confirmed, cancelled, refundPending, refunded, expired, compensated
}

/// What decisions about a reservation need: its seats, price, status and hold deadline.
public struct ReservationState: Hashable, Sendable, Codable {
    public var id: ReservationID
    public var showId: ShowID
    public var seats: [SeatID]
    public var customer: String
    public var amount: Money
    public var status: ReservationStatus
    public var heldAt: Date
    public var expiresAt: Date
    public var extended: Bool

    public static func evolve(_ state: ReservationState?, _ event: DomainEvent) -> ReservationState? {
        if case .reservationRequested(let e) = event {
            return ReservationState(
                id: e.reservationId, showId: e.showId, seats: e.seats, customer: e.customer,
                amount: Money(minor: e.amountMinor, currency: e.currency), status: .held,
                heldAt: e.at, expiresAt: e.at, extended: false
            )
        }
        guard var state else { return nil }
        switch event {
        case .reservationHeld(let e):
            state.status = .held
            state.heldAt = e.at
            state.expiresAt = e.expiresAt
        case .holdExtended(let e):
            state.expiresAt = e.expiresAt
            state.extended = true
        case .reservationConfirmed: state.status = .confirmed
        case .reservationCancelled(let e): state.status = e.refundDue ? .refundPending : .cancelled
        case .reservationExpired: state.status = .expired
        case .reservationCompensated: state.status = .compensated
        case .reservationRefunded: state.status = .refunded
        default: break
        }
        return state
    }
}

/// Where a payment is with the gateway.
public enum PaymentStatus: String, Hashable, Sendable, Codable {
    case requested, succeeded, failed, refunded
}

/// A reservation's payment: amount, method and status.
public struct PaymentState: Hashable, Sendable, Codable {
    public var id: PaymentID
    public var reservationId: ReservationID
    public var amount: Money
    public var method: PaymentMethod
    public var status: PaymentStatus

    public static func evolve(_ state: PaymentState?, _ event: DomainEvent) -> PaymentState? {
        if case .paymentRequested(let e) = event {
            return PaymentState(
                id: e.paymentId, reservationId: e.reservationId,
                amount: Money(minor: e.amountMinor, currency: e.currency), method: e.method, status: .requested
            )
        }
        guard var state else { return nil }
        switch event {
        case .paymentSucceeded: state.status = .succeeded
        case .paymentFailed: state.status = .failed
        case .paymentRefunded: state.status = .refunded
        default: break
        }
        return state
    }
}
