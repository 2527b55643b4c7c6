import Foundation
import Testing
import Ticketing

@Suite("Reservation lifecycle")
struct ReservationLifecycleTests {
    let show = Fixture.show
    let now = Fixture.now
    let r = ReservationID("R-0000000A")
    let seats = Fixture.seats("Stalls-A-4", "Stalls-A-5")
    var deadline: Date { now.addingTimeInterval(300) }
    var held: [Decided] { Fixture.onSale() + Fixture.held(r, seats) }

    func release(_ reason: ReleaseReason, by: String = "saga", at: Date) -> Decided {
        Decided(.inventory(show), .seatsReleased(SeatsReleased(showId: show, reservationId: r, seats: seats, reason: reason, by: by, at: at)))
    }

    @Test func givenHeld_whenConfirmBeforeDeadline_thenConfirmedAndSeatsSold() throws {
        let at = deadline.addingTimeInterval(-1)
        #expect(try Given(held).when(.confirmReservation(r), at: at, by: "saga") == [
            Decided(.reservation(r), .reservationConfirmed(ReservationConfirmed(
                reservationId: r, showId: show, seats: seats, amountMinor: 10_000, currency: "EUR", by: "saga", at: at
            ))),
            Decided(.inventory(show), .seatsSold(SeatsSold(showId: show, reservationId: r, seats: seats, by: "saga", at: at))),
        ])
    }

    @Test func givenHeld_whenConfirmAtDeadline_thenHoldExpired() {
        #expect(Given(held).refusal(.confirmReservation(r), at: deadline) == .holdExpired(r, expiresAt: deadline))
    }

    @Test func givenHeld_whenExpireAtDeadline_thenExpiredAndSeatsReleased() throws {
        #expect(try Given(held).when(.expireHold(r), at: deadline, by: "saga") == [
            Decided(.reservation(r), .reservationExpired(ReservationExpired(
                reservationId: r, showId: show, seats: seats, expiresAt: deadline, by: "saga", at: deadline
            ))),
            release(.expired, at: deadline),
        ])
    }

    @Test func givenHeld_whenExpireEarly_thenHoldNotDue() {
        #expect(Given(held).refusal(.expireHold(r), at: deadline.addingTimeInterval(-0.001)) == .holdNotDue(r, expiresAt: deadline))
    }

    @Test func givenExpired_whenExpireOrConfirmOrCancelAgain_thenInvalidTransition() throws {
        let expired = held + (try Given(held).when(.expireHold(r), at: deadline))
        let given = Given(expired)
        #expect(given.refusal(.expireHold(r), at: deadline) == .invalidTransition(subject: "reservation R-0000000A", from: "expired", action: "expire"))
        #expect(given.refusal(.confirmReservation(r)) == .invalidTransition(subject: "reservation R-0000000A", from: "expired", action: "confirm"))
        #expect(given.refusal(.cancelReservation(r)) == .invalidTransition(subject: "reservation R-0000000A", from: "expired", action: "cancel"))
        #expect(given.inventory?.availableCount == 20)
    }

    @Test func givenHeld_whenCancel_thenCancelledAndSeatsReleased() throws {
        #expect(try Given(held).when(.cancelReservation(r)) == [
            Decided(.reservation(r), .reservationCancelled(ReservationCancelled(
                reservationId: r, showId: show, seats: seats, refundDue: false, by: "ana", at: now
            ))),
            release(.cancelled, by: "ana", at: now),
        ])
    }

    @Test func givenConfirmed_whenCancel_thenCancelledWithRefundDueAndSeatsStillSold() throws {
        let confirmed = held + Fixture.sold(r, seats)
        let events = try Given(confirmed).when(.cancelReservation(r))
        #expect(events == [
            Decided(.reservation(r), .reservationCancelled(ReservationCancelled(
                reservationId: r, showId: show, seats: seats, refundDue: true, by: "ana", at: now
            ))),
        ])
        let after = Given(confirmed + events)
        #expect(after.inventory?.state(of: seats[0]) == .sold(r))
        #expect(after.refusal(.refundReservation(r)) == nil)
    }

    @Test func givenRefundPending_whenRefund_thenRefundedAndSeatsReleased() throws {
        let confirmed = held + Fixture.sold(r, seats)
        let cancelled = confirmed + (try Given(confirmed).when(.cancelReservation(r)))
        #expect(try Given(cancelled).when(.refundReservation(r), by: "saga") == [
            Decided(.reservation(r), .reservationRefunded(ReservationRefunded(
                reservationId: r, showId: show, seats: seats, amountMinor: 10_000, currency: "EUR", by: "saga", at: now
            ))),
            release(.refunded, at: now),
        ])
    }

    @Test func givenHeld_whenRefund_thenInvalidTransition() {
        #expect(Given(held).refusal(.refundReservation(r)) == .invalidTransition(subject: "reservation R-0000000A", from: "held", action: "refund"))
    }

    @Test func givenHeld_whenCompensate_thenCompensatedAndSeatsReleased() throws {
        #expect(try Given(held).when(.compensateReservation(r, reason: "card declined"), by: "saga") == [
            Decided(.reservation(r), .reservationCompensated(ReservationCompensated(
                reservationId: r, showId: show, seats: seats, reason: "card declined", by: "saga", at: now
            ))),
            release(.compensated, at: now),
        ])
    }

    @Test func givenHeld_whenExtendByTwoMinutes_thenHoldExtended() throws {
        #expect(try Given(held).when(.extendHold(r, by: 120)) == [
            Decided(.reservation(r), .holdExtended(HoldExtended(
                reservationId: r, showId: show, previousExpiresAt: deadline, expiresAt: deadline.addingTimeInterval(120), by: "ana", at: now
            ))),
        ])
    }

    @Test func givenExtended_whenExtendAgain_thenRefusedOnlyOnce() throws {
        let extended = held + (try Given(held).when(.extendHold(r, by: 60)))
        #expect(Given(extended).refusal(.extendHold(r, by: 30)) == .extensionRefused(r, why: "a hold can be extended only once"))
        #expect(Given(extended).refusal(.expireHold(r), at: deadline) == .holdNotDue(r, expiresAt: deadline.addingTimeInterval(60)))
    }

    @Test(arguments: [0.0, -5, 121])
    func givenHeld_whenExtendOutOfRange_thenRefused(_ seconds: Double) {
        #expect(Given(held).refusal(.extendHold(r, by: seconds)) == .extensionRefused(r, why: "extend by 1 to 120 seconds"))
    }

    @Test func givenLongHold_whenExtendPastFifteenMinutesFromStart_thenRefused() {
        let long = Fixture.onSale() + Fixture.held(r, seats, until: now.addingTimeInterval(14 * 60))
        #expect(Given(long).refusal(.extendHold(r, by: 90))
            == .extensionRefused(r, why: "a hold may not end more than 15 minutes after it began; at most 60 s remain"))
        #expect(Given(long).refusal(.extendHold(r, by: 60)) == nil)
    }

    @Test func givenHeldPastDeadline_whenExtend_thenHoldExpired() {
        #expect(Given(held).refusal(.extendHold(r, by: 60), at: deadline) == .holdExpired(r, expiresAt: deadline))
    }

    @Test func givenNothing_whenReservationCommands_thenReservationNotFound() {
        for command: Command in [.confirmReservation(r), .expireHold(r), .cancelReservation(r), .extendHold(r, by: 10),
                                 .compensateReservation(r, reason: "x"), .refundReservation(r), .requestPayment(r, method: .card)] {
            #expect(Given(Fixture.onSale()).refusal(command) == .reservationNotFound(r))
        }
    }
}

@Suite("Payments")
struct PaymentTests {
    let r = ReservationID("R-0000000P")
    let seats = Fixture.seats("Stalls-B-1")
    var held: [Decided] { Fixture.onSale() + Fixture.held(r, seats) }
    var payment: PaymentID { r.paymentID }

    @Test func paymentIDFollowsTheReservation() {
        #expect(payment == PaymentID("P-0000000P"))
    }

    @Test func givenHeld_whenRequestPayment_thenPaymentRequested() throws {
        #expect(try Given(held).when(.requestPayment(r, method: .boxOffice)) == [
            Decided(.payment(payment), .paymentRequested(PaymentRequested(
                paymentId: payment, reservationId: r, showId: Fixture.show, amountMinor: 5000, currency: "EUR",
                method: .boxOffice, by: "ana", at: Fixture.now
            ))),
        ])
    }

    @Test func givenRequested_whenSucceededOrFailed_thenRecorded() throws {
        let requested = held + (try Given(held).when(.requestPayment(r, method: .card)))
        #expect(try Given(requested).when(.recordPaymentSucceeded(payment), by: "gateway") == [
            Decided(.payment(payment), .paymentSucceeded(PaymentSucceeded(
                paymentId: payment, reservationId: r, amountMinor: 5000, currency: "EUR", by: "gateway", at: Fixture.now
            ))),
        ])
        #expect(try Given(requested).when(.recordPaymentFailed(payment, reason: "declined"), by: "gateway") == [
            Decided(.payment(payment), .paymentFailed(PaymentFailed(
                paymentId: payment, reservationId: r, reason: "declined", by: "gateway", at: Fixture.now
            ))),
        ])
        #expect(Given(requested).refusal(.requestPayment(r, method: .card))
            == .invalidTransition(subject: "reservation R-0000000P", from: "already being paid", action: "take payment for"))
        #expect(Given(requested).refusal(.refundPayment(payment)) == .invalidTransition(subject: "payment P-0000000P", from: "requested", action: "refund"))
    }

    @Test func givenSucceeded_whenRefund_thenPaymentRefunded() throws {
        let requested = held + (try Given(held).when(.requestPayment(r, method: .card)))
        let succeeded = requested + (try Given(requested).when(.recordPaymentSucceeded(payment)))
        #expect(try Given(succeeded).when(.refundPayment(payment)) == [
            Decided(.payment(payment), .paymentRefunded(PaymentRefunded(
                paymentId: payment, reservationId: r, amountMinor: 5000, currency: "EUR", by: "ana", at: Fixture.now
            ))),
        ])
        #expect(Given(succeeded).refusal(.recordPaymentFailed(payment, reason: "late"))
            == .invalidTransition(subject: "payment P-0000000P", from: "succeeded", action: "record failure of"))
    }

    @Test func givenExpiredHold_whenRequestPayment_thenHoldExpired() {
        let deadline = Fixture.now.addingTimeInterval(300)
        #expect(Given(held).refusal(.requestPayment(r, method: .card), at: deadline) == .holdExpired(r, expiresAt: deadline))
    }

    @Test func givenNoPayment_whenRecord_thenPaymentNotFound() {
        #expect(Given(held).refusal(.recordPaymentSucceeded(payment)) == .paymentNotFound(payment))
    }
}
