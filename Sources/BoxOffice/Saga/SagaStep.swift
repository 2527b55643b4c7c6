import EventStore
import Foundation
import Ticketing

/// One thing the saga must make happen, as a command with a deterministic id: however many
/// runners (processes) derive the same step, the store appends it once.
public struct SagaStep: Sendable, Hashable {
    public var command: Command
    public var commandId: String
    /// When it is due (simulated time); now for most steps, the deadline for an expiry.
    public var due: Date
    public var correlationId: String?
    public var causation: Int64

    /// A cancelled show's sales, cancelled one by one (each then refunded by its own steps).
    static func cancellations(for marker: SagaLedger.Entry, sold: [ReservationID], now: Date) -> [SagaStep] {
        sold.map { reservation in
            SagaStep(command: .cancelReservation(reservation), commandId: "saga-cancel-\(reservation)", due: now, correlationId: marker.correlationId, causation: marker.causation)
        }
    }

    /// The steps that move a reservation on from where the ledger says it stands. A pure
    /// function of the entry, so a restart re-derives exactly what was still to do.
    static func steps(for entry: SagaLedger.Entry, gateway: any PaymentGateway, now: Date) -> [SagaStep] {
        let reservation = ReservationID(entry.reservationId)
        let payment = reservation.paymentID
        func step(_ command: Command, _ id: String, at due: Date = now) -> SagaStep {
            SagaStep(command: command, commandId: id, due: due, correlationId: entry.correlationId, causation: entry.causation)
        }
        var steps: [SagaStep] = []
        if entry.status == .held, !entry.showCancelled {
            // Whatever else happens, a hold that is still held at its deadline expires.
            steps.append(step(.expireHold(reservation), "saga-expire-\(reservation)-\(Timestamp.milliseconds(entry.expiresAt))", at: entry.expiresAt))
        }
        switch (entry.status, entry.payment) {
        case (.held, _) where entry.showCancelled:
            steps.append(step(.cancelReservation(reservation), "saga-cancel-\(reservation)"))
        case (.held, .succeeded):
            steps.append(step(.confirmReservation(reservation), "saga-confirm-\(reservation)"))
        case (.held, .failed):
            steps.append(step(.compensateReservation(reservation, reason: entry.failureReason ?? "payment failed"), "saga-compensate-\(reservation)"))
        case (.confirmed, _) where entry.showCancelled:
            steps.append(step(.cancelReservation(reservation), "saga-cancel-\(reservation)"))
        case (.refundPending, .succeeded), (.expired, .succeeded), (.cancelled, .succeeded), (.compensated, .succeeded):
            // Money taken for a reservation that will not be honoured goes back.
            steps.append(step(.refundPayment(payment), "saga-refund-\(payment)"))
        case (.refundPending, .refunded), (.refundPending, .none), (.refundPending, .failed):
            steps.append(step(.refundReservation(reservation), "saga-refund-\(reservation)"))
        default:
            break
        }
        if entry.payment == .requested, let requestedAt = entry.paymentRequestedAt {
            let outcome = gateway.charge(payment, amount: Money(minor: entry.amountMinor, currency: entry.currency), method: entry.method ?? .card)
            let settle: Command = outcome.succeeded ? .recordPaymentSucceeded(payment) : .recordPaymentFailed(payment, reason: outcome.reason ?? "declined")
            steps.append(step(settle, "saga-settle-\(payment)", at: requestedAt.addingTimeInterval(outcome.latency)))
        }
        return steps
    }
}
