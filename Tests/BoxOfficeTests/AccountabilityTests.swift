import BoxOffice
import EventStore
import Faults
import Foundation
import Reliability
import Testing
import Ticketing

/// R7: every event names who did it and the story it belongs to.
@Suite("Accountability")
struct AccountabilityTests {
    /// A reservation's whole life (hold, pay, confirm, cancel, refund) and an expiry, from
    /// operators, buyers and the saga; returns the events that name no actor or correlation id.
    static func storyWithoutNames() async throws -> [String] {
        let h = try SagaHarness()
        let show = try await h.onSale()
        let paid = try await h.hold(show, ["Stalls-A-1", "Stalls-A-2"])
        try await h.pay(paid)
        _ = try await h.hold(show, ["Stalls-B-1"])
        await h.run(for: 10)
        _ = try await h.box.execute(.cancelReservation(paid), CommandContext(actor: "buyer-1"))
        await h.run(for: 400)
        let types = Set(try h.log().map(\.type))
        #expect(types.isSuperset(of: ["ReservationConfirmed", "ReservationCancelled", "PaymentRefunded", "ReservationExpired"]), "\(types)")
        return try LogAudit.unaccountable(in: h.runtime.store)
    }

    @Test func everyEventCarriesAnActorAndACorrelationId() async throws {
        let found = try await Self.storyWithoutNames()
        #expect(found.isEmpty, "\(found.prefix(5))")
    }

    #if DEBUG
    @Test func provenByAFault_eventsWrittenWithoutNamesAreFound() async throws {
        let found = try await Faults.$injected.withValue(.dropAccountability) { try await Self.storyWithoutNames() }
        #expect(!found.isEmpty)
    }
    #endif
}
