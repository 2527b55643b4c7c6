import Foundation

extension Command {
    func decideReservation(_ state: Aggregates, _ actor: String, _ now: Date) throws(TicketingError) -> [Decided] {
        let id: ReservationID
        switch self {
        case .extendHold(let r, _), .cancelReservation(let r), .confirmReservation(let r), .expireHold(let r),
             .compensateReservation(let r, _), .refundReservation(let r):
            id = r
        default:
            return []
        }
        guard let reservation = state.reservation else { throw .reservationNotFound(id) }
        func refuse(_ action: String) -> TicketingError {
            .invalidTransition(subject: "reservation \(id)", from: reservation.status.rawValue, action: action)
        }
        let show = reservation.showId
        let seats = reservation.seats
        let amount = reservation.amount

        func release(_ reason: ReleaseReason) -> Decided {
            Decided(.inventory(show), .seatsReleased(SeatsReleased(
                showId: show, reservationId: id, seats: seats, reason: reason, by: actor, at: now
            )))
        }

        switch self {
        case .extendHold(_, let extra):
            guard reservation.status == .held else { throw refuse("extend") }
            guard now < reservation.expiresAt else { throw .holdExpired(id, expiresAt: reservation.expiresAt) }
            guard !reservation.extended else { throw .extensionRefused(id, why: "a hold can be extended only once") }
            guard extra > 0, extra <= Self.maximumExtension else {
                throw .extensionRefused(id, why: "extend by 1 to \(Int(Self.maximumExtension)) seconds")
            }
            let latest = reservation.heldAt.addingTimeInterval(Self.maximumHoldSpan)
            let proposed = reservation.expiresAt.addingTimeInterval(extra)
            guard proposed <= latest else {
                let room = Int(latest.timeIntervalSince(reservation.expiresAt))
                throw .extensionRefused(id, why: "a hold may not end more than 15 minutes after it began; at most \(max(room, 0)) s remain")
            }
            return [Decided(.reservation(id), .holdExtended(HoldExtended(
                reservationId: id, showId: show, previousExpiresAt: reservation.expiresAt, expiresAt: proposed,
                by: actor, at: now
            )))]

        case .cancelReservation:
            switch reservation.status {
            case .held:
                return [
                    Decided(.reservation(id), .reservationCancelled(ReservationCancelled(
                        reservationId: id, showId: show, seats: seats, refundDue: false, by: actor, at: now
                    ))),
                    release(.cancelled),
                ]
            case .confirmed:
                return [Decided(.reservation(id), .reservationCancelled(ReservationCancelled(
                    reservationId: id, showId: show, seats: seats, refundDue: true, by: actor, at: now
                )))]
            default:
                throw refuse("cancel")
            }

        case .confirmReservation:
            guard reservation.status == .held else { throw refuse("confirm") }
            guard now < reservation.expiresAt else { throw .holdExpired(id, expiresAt: reservation.expiresAt) }
            return [
                Decided(.reservation(id), .reservationConfirmed(ReservationConfirmed(
                    reservationId: id, showId: show, seats: seats, amountMinor: amount.minor, currency: amount.currency,
                    by: actor, at: now
                ))),
                Decided(.inventory(show), .seatsSold(SeatsSold(
                    showId: show, reservationId: id, seats: seats, by: actor, at: now
                ))),
            ]

        case .expireHold:
            guard reservation.status == .held else { throw refuse("expire") }
            guard now >= reservation.expiresAt else { throw .holdNotDue(id, expiresAt: reservation.expiresAt) }
            return [
                Decided(.reservation(id), .reservationExpired(ReservationExpired(
                    reservationId: id, showId: show, seats: seats, expiresAt: reservation.expiresAt, by: actor, at: now
                ))),
                release(.expired),
            ]

        case .compensateReservation(_, let reason):
            guard reservation.status == .held else { throw refuse("compensate") }
            return [
                Decided(.reservation(id), .reservationCompensated(ReservationCompensated(
                    reservationId: id, showId: show, seats: seats, reason: try Self.validatedReason(reason),
                    by: actor, at: now
                ))),
                release(.compensated),
            ]

        case .refundReservation:
            guard reservation.status == .confirmed || reservation.status == .refundPending else { throw refuse("refund") }
            return [
                Decided(.reservation(id), .reservationRefunded(ReservationRefunded(
                    reservationId: id, showId: show, seats: seats, amountMinor: amount.minor, currency: amount.currency,
                    by: actor, at: now
                ))),
                release(.refunded),
            ]

        default:
            return []
        }
    }

    func decidePayment(_ state: Aggregates, _ actor: String, _ now: Date) throws(TicketingError) -> [Decided] {
        if case .requestPayment(let id, let method) = self {
            guard let reservation = state.reservation else { throw .reservationNotFound(id) }
            let payment = id.paymentID
            if state.payment != nil {
                throw .invalidTransition(subject: "reservation \(id)", from: "already being paid", action: "take payment for")
            }
            guard reservation.status == .held else {
                throw .invalidTransition(subject: "reservation \(id)", from: reservation.status.rawValue, action: "take payment for")
            }
            guard now < reservation.expiresAt else { throw .holdExpired(id, expiresAt: reservation.expiresAt) }
            return [Decided(.payment(payment), .paymentRequested(PaymentRequested(
                paymentId: payment, reservationId: id, showId: reservation.showId,
                amountMinor: reservation.amount.minor, currency: reservation.amount.currency, method: method,
                by: actor, at: now
            )))]
        }
        let id: PaymentID
        switch self {
        case .recordPaymentSucceeded(let p), .recordPaymentFailed(let p, _), .refundPayment(let p): id = p
        default: return []
        }
        guard let payment = state.payment else { throw .paymentNotFound(id) }
        func refuse(_ action: String) -> TicketingError {
            .invalidTransition(subject: "payment \(id)", from: payment.status.rawValue, action: action)
        }
        let event: DomainEvent
        switch self {
        case .recordPaymentSucceeded:
            guard payment.status == .requested else { throw refuse("record success of") }
            event = .paymentSucceeded(PaymentSucceeded(
                paymentId: id, reservationId: payment.reservationId, amountMinor: payment.amount.minor,
                currency: payment.amount.currency, by: actor, at: now
            ))
        case .recordPaymentFailed(_, let reason):
            guard payment.status == .requested else { throw refuse("record failure of") }
            event = .paymentFailed(PaymentFailed(
                paymentId: id, reservationId: payment.reservationId, reason: try Self.validatedReason(reason),
                by: actor, at: now
            ))
        case .refundPayment:
            guard payment.status == .succeeded else { throw refuse("refund") }
            event = .paymentRefunded(PaymentRefunded(
                paymentId: id, reservationId: payment.reservationId, amountMinor: payment.amount.minor,
                currency: payment.amount.currency, by: actor, at: now
            ))
        default:
            return []
        }
        return [Decided(.payment(id), event)]
    }
}
