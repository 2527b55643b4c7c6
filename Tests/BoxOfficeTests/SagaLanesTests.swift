@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Testing
import Ticketing

@Suite("Saga lanes")
struct SagaLanesTests {
    /// A gateway that never answers (its answer would come after a day).
    struct SilentGateway: PaymentGateway {
        func charge(_ payment: PaymentID, amount: Money, method: PaymentMethod) -> PaymentOutcome {
            PaymentOutcome(succeeded: true, reason: nil, latency: 86_400)
        }
    }

    @Test func aPaymentWithNoOutcomeIsFlaggedStuckFirstAndAHoldOnTimeIsNot() async throws {
        let s = try SagaHarness(gateway: SilentGateway())
        let show = try await s.onSale()
        let waiting = try await s.hold(show, ["Stalls-A-1"], "Ann")
        let paying = try await s.hold(show, ["Stalls-A-2", "Stalls-A-3"], "Bo")
        try await s.pay(paying)
        await s.run(for: 20)
        var lanes = try SagaLanes.current(in: s.runtime.store, now: s.clock.now())
        #expect(lanes.map(\.reservationId) == [paying, waiting] || lanes.map(\.reservationId) == [waiting, paying])
        #expect(lanes.allSatisfy { $0.stuck == nil }, "20 s in: nothing is late yet")
        await s.run(for: 40)
        lanes = try SagaLanes.current(in: s.runtime.store, now: s.clock.now())
        #expect(lanes.first?.reservationId == paying, "the stuck lane comes first")
        #expect(lanes.first?.step == "payment requested")
        #expect(lanes.first?.stuck?.contains("payment requested 60 s ago and no outcome") == true, "\(String(describing: lanes.first?.stuck))")
        #expect(lanes.last?.reservationId == waiting && lanes.last?.stuck == nil && lanes.last?.step == "held, awaiting payment")
        // With no process running the saga, a hold past its deadline stays held: flagged too.
        s.runtime.shutdown()
        let later = s.clock.now().addingTimeInterval(300)
        let stale = try SagaLanes.current(in: s.runtime.store, now: later)
        #expect(stale.first { $0.reservationId == waiting }?.stuck?.contains("hold past its deadline") == true)
    }
}
