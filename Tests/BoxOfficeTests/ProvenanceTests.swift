@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Testing
import Ticketing

/// Where an event came from and what it led to, read by the console's Enter and by
/// `marquee events --correlation`, on a reservation that was held, paid, confirmed, cancelled
/// by an operator and refunded by the saga.
@Suite("Provenance")
struct ProvenanceTests {
    func refundedReservation() async throws -> (SagaHarness, ShowID, ReservationID) {
        let s = try SagaHarness()
        let show = try await s.onSale()
        let r = try await s.hold(show, ["Stalls-A-1", "Stalls-A-2"], "Ann")
        try await s.pay(r)
        await s.run(for: 3)
        _ = try await s.box.execute(.cancelReservation(r), CommandContext(actor: "ana"))
        await s.run(for: 3)
        #expect(try s.types(r).last == "ReservationRefunded")
        return (s, show, r)
    }

    @Test func payingAndCancellingGoOnTheReservationsConversation() async throws {
        let (s, _, r) = try await refundedReservation()
        let streams = try s.runtime.store.read(stream: StreamRef.reservation(r).name) + s.runtime.store.read(stream: StreamRef.payment(r.paymentID).name)
        let correlations = Set(streams.map(\.metadata.correlationId))
        #expect(correlations.count == 1, "the buyer's payment and the operator's cancellation continue its correlation: \(correlations)")
        let correlation = try #require(correlations.first ?? nil)
        let all = try s.runtime.store.readAll(after: 0, limit: 10_000).filter { $0.metadata.correlationId == correlation }
        #expect(all.map(\.type) == [
            "SeatsHeld", "ReservationRequested", "ReservationHeld", "PaymentRequested", "PaymentSucceeded", "ReservationConfirmed", "SeatsSold",
            "ReservationCancelled", "PaymentRefunded", "ReservationRefunded", "SeatsReleased",
        ])
    }

    @Test func aSeatsHistoryHasEveryReservationThatHeldItWithEveryStep() async throws {
        let (s, show, r) = try await refundedReservation()
        let second = try await s.hold(show, ["Stalls-A-2"], "Bo")
        await s.run(for: 400)
        guard case .success(let provenance) = Provenance.seat(SeatID("Stalls-A-2"), of: show, in: s.runtime.store) else {
            Issue.record("no provenance"); return
        }
        #expect(provenance.reservations.map(\.reservationId) == [r.rawValue, second.rawValue])
        #expect(provenance.reservations.map(\.customer) == ["Ann", "Bo"])
        #expect(provenance.reservations[0].steps.map(\.type) == [
            "SeatsHeld", "ReservationRequested", "ReservationHeld", "PaymentRequested", "PaymentSucceeded", "ReservationConfirmed", "SeatsSold",
            "ReservationCancelled", "PaymentRefunded", "ReservationRefunded", "SeatsReleased",
        ])
        #expect(provenance.reservations[0].steps.map(\.actor).contains("ana"), "the operator who cancelled is named")
        #expect(provenance.reservations[1].steps.map(\.type) == ["SeatsHeld", "ReservationRequested", "ReservationHeld", "ReservationExpired", "SeatsReleased"])
        guard case .success(let untouched) = Provenance.seat(SeatID("Stalls-B-6"), of: show, in: s.runtime.store) else { return }
        #expect(untouched.events.isEmpty && untouched.reservations.isEmpty)
    }

    @Test func anEventsDetailsFollowItsCausesUpToTheCommandAndItsEffectsDownToTheLastStep() async throws {
        let (s, _, r) = try await refundedReservation()
        let store = s.runtime.store
        let events = try store.read(stream: StreamRef.reservation(r).name) + store.read(stream: StreamRef.payment(r.paymentID).name)
        let succeeded = try #require(events.first { $0.type == "PaymentSucceeded" })
        guard case .success(let details) = EngineClient.details(at: succeeded.position, store: store) else { Issue.record("no details"); return }
        #expect(details.causedBy.map(\.type) == ["PaymentRequested"])
        #expect(details.rootActor == "buyer-1")
        #expect(details.led.map(\.type) == ["ReservationConfirmed", "SeatsSold"], "what the payment led to, and not the later cancellation")
        let cancelled = try #require(events.first { $0.type == "ReservationCancelled" })
        guard case .success(let refund) = EngineClient.details(at: cancelled.position, store: store) else { return }
        #expect(refund.causedBy.isEmpty && refund.rootActor == "ana")
        #expect(refund.led.map(\.type) == ["PaymentRefunded", "ReservationRefunded", "SeatsReleased"])
    }
}
