import Foundation
import Testing
import Ticketing

/// Prices are bounded when a venue loads, and every sum of money is checked: a decision refuses
/// rather than trap, even on a store written before the bound existed.
@Suite("Price bounds")
struct PriceBoundsTests {
    let show = Fixture.show

    func venue(price: Int64) -> Venue {
        var venue = Fixture.venue
        venue.tiers[0].priceMinor = price
        return venue
    }

    @Test(arguments: [Int64.max, Money.maximumPriceMinor + 1, 5_000_000_000_000_000_000])
    func givenATierAboveTheMaximum_whenTheVenueLoads_thenItIsRefusedNamingTheLimit(_ price: Int64) {
        #expect(throws: TicketingError.self) { try venue(price: price).validate() }
        do {
            try venue(price: price).validate()
        } catch {
            #expect(error.description.contains("at most \(Money.maximumPriceMinor)"))
        }
    }

    @Test func givenATierAtTheMaximum_whenTheVenueLoads_thenItIsAccepted() throws {
        try venue(price: Money.maximumPriceMinor).validate()
    }

    /// A store written before prices were bounded: its venue says Int64.max a seat.
    @Test func givenAnOldStoreWithAnAbsurdPrice_whenTwoSeatsAreReserved_thenRefusedNotTrapped() throws {
        let huge = venue(price: .max)
        let created = Fixture.created().map { decided -> Decided in
            guard case .inventoryInitialized(var initialized) = decided.event else { return decided }
            initialized.venue = huge
            return Decided(decided.stream, .inventoryInitialized(initialized))
        }
        let history = created + [
            Decided(.show(show), .showSubmitted(ShowSubmitted(showId: show, by: "ana", at: Fixture.now))),
            Decided(.show(show), .showApproved(ShowApproved(showId: show, by: "ben", at: Fixture.now))),
        ]
        let command = Command.reserveSeats(show, seats: Fixture.seats("Stalls-A-1", "Stalls-A-2"), customer: "Ben", reservation: ReservationID("R-00000001"), holdFor: 300)
        #expect(Given(history).refusal(command) == .amountTooLarge(seats: 2))
        let one = Command.reserveSeats(show, seats: Fixture.seats("Stalls-A-1"), customer: "Ben", reservation: ReservationID("R-00000001"), holdFor: 300)
        #expect(Given(history).refusal(one) == nil)
    }

    @Test func saturatingSumsStayAtTheLimit() {
        #expect(Int64.max.saturatingAdd(1) == .max)
        #expect(Int64.min.saturatingAdd(-1) == .min)
        #expect(Int64(5_000_000_000_000_000_000).saturatingAdd(5_000_000_000_000_000_000) == .max)
        #expect(Int64.max.saturatingMultiply(-1) == -Int64.max)
        #expect(Int64.min.saturatingMultiply(-1) == .max)
        #expect(Money(minor: .max, currency: "EUR").adding(Money(minor: 1, currency: "EUR")) == nil)
    }
}
