import Foundation
import Testing
import Ticketing

@Suite("Reserving chosen seats")
struct ReserveSeatsTests {
    let show = Fixture.show
    let now = Fixture.now
    let r1 = ReservationID("R-00000001")
    let r2 = ReservationID("R-00000002")

    func reserve(_ seats: [SeatID], customer: String = "Ben", as id: ReservationID? = nil) -> Command {
        .reserveSeats(show, seats: seats, customer: customer, reservation: id ?? r1, holdFor: 300)
    }

    @Test func givenOnSale_whenReserveSeats_thenSeatsHeldAndReservationRequestedAndHeld() throws {
        let seats = Fixture.seats("Stalls-A-4", "Stalls-A-5")
        let until = now.addingTimeInterval(300)
        #expect(try Given(Fixture.onSale()).when(reserve(seats, customer: " Ben Ode "), by: "buyer-7") == [
            Decided(.inventory(show), .seatsHeld(SeatsHeld(showId: show, reservationId: r1, seats: seats, expiresAt: until, by: "buyer-7", at: now))),
            Decided(.reservation(r1), .reservationRequested(ReservationRequested(
                reservationId: r1, showId: show, seats: seats, customer: "Ben Ode", amountMinor: 10_000, currency: "EUR", by: "buyer-7", at: now
            ))),
            Decided(.reservation(r1), .reservationHeld(ReservationHeld(reservationId: r1, showId: show, seats: seats, expiresAt: until, by: "buyer-7", at: now))),
        ])
    }

    @Test func priceIsTheSumOfEachSeatsTier() throws {
        let events = try Given(Fixture.onSale()).when(reserve(Fixture.seats("Stalls-A-1", "Stalls-B-1", "Balcony-A-1")))
        guard case .reservationRequested(let requested) = events[1].event else {
            Issue.record("expected ReservationRequested")
            return
        }
        #expect(requested.amountMinor == 5000 + 3000 + 2000)
    }

    @Test(arguments: [Fixture.created(), Fixture.submitted()])
    func givenShowNotOnSale_whenReserve_thenNotOnSale(_ history: [Decided]) {
        let status = Given(history).show?.status.name ?? "?"
        #expect(Given(history).refusal(reserve(Fixture.seats("Stalls-A-1"))) == .notOnSale(show, status: status))
    }

    @Test func givenClosedSales_whenReserve_thenNotOnSale() {
        let closed = Fixture.onSale() + [Decided(.show(show), .salesClosed(SalesClosed(showId: show, by: "ana", at: now)))]
        #expect(Given(closed).refusal(reserve(Fixture.seats("Stalls-A-1"))) == .notOnSale(show, status: "salesClosed"))
    }

    @Test func givenNoShow_whenReserve_thenShowNotFound() {
        #expect(Given([]).refusal(reserve(Fixture.seats("Stalls-A-1"))) == .showNotFound(show))
    }

    @Test func givenHeldSeat_whenReserveIt_thenSeatsUnavailableNamesIt() {
        let given = Given(Fixture.onSale() + Fixture.held(r1, Fixture.seats("Stalls-A-4")))
        #expect(given.refusal(reserve(Fixture.seats("Stalls-A-3", "Stalls-A-4"), as: r2)) == .seatsUnavailable(Fixture.seats("Stalls-A-4")))
    }

    @Test func givenSoldAndBlockedSeats_whenReserveThem_thenSeatsUnavailable() {
        let sold = Fixture.seats("Stalls-A-1")
        let history = Fixture.onSale() + Fixture.held(r1, sold) + Fixture.sold(r1, sold) + Fixture.blocked(Fixture.seats("Stalls-A-2"))
        #expect(Given(history).refusal(reserve(Fixture.seats("Stalls-A-1", "Stalls-A-2"), as: r2))
            == .seatsUnavailable(Fixture.seats("Stalls-A-1", "Stalls-A-2")))
    }

    @Test func givenOnSale_whenReserveUnknownSeat_thenUnknownSeatsWithHint() {
        let given = Given(Fixture.onSale())
        #expect(given.refusal(reserve(Fixture.seats("Stalls-A-99"))) == .unknownSeats(Fixture.seats("Stalls-A-99"), hint: "row Stalls-A has seats 1–8"))
        #expect(given.refusal(reserve(Fixture.seats("Stalls-Q-1"))) == .unknownSeats(Fixture.seats("Stalls-Q-1"), hint: "rows in Stalls are A, B"))
        #expect(given.refusal(reserve(Fixture.seats("Circle-A-1"))) == .unknownSeats(Fixture.seats("Circle-A-1"), hint: "sections are Stalls, Balcony"))
        #expect(given.refusal(reserve(Fixture.seats("A12"))) == .unknownSeats(Fixture.seats("A12"), hint: "seat ids look like Stalls-A-1"))
    }

    @Test func givenOnSale_whenReserveDuplicateSeats_thenDuplicateSeats() {
        #expect(Given(Fixture.onSale()).refusal(reserve(Fixture.seats("Stalls-A-1", "Stalls-A-2", "Stalls-A-1")))
            == .duplicateSeats(Fixture.seats("Stalls-A-1")))
    }

    @Test func givenOnSale_whenReserveNoneOrTooMany_thenInvalidQuantity() {
        #expect(Given(Fixture.onSale()).refusal(reserve([])) == .invalidQuantity(0))
        let many = (1...21).map { SeatID("Stalls-A-\($0)") }
        #expect(Given(Fixture.onSale()).refusal(reserve(many)) == .invalidQuantity(21))
    }

    @Test func givenOnSale_whenReserveWithoutCustomer_thenInvalidCustomer() {
        #expect(Given(Fixture.onSale()).refusal(reserve(Fixture.seats("Stalls-A-1"), customer: "  ")) == .invalidCustomer("is empty"))
        #expect(Given(Fixture.onSale()).refusal(reserve(Fixture.seats("Stalls-A-1"), customer: String(repeating: "n", count: 81)))
            == .invalidCustomer("is 81 characters long"))
    }

    @Test func givenExistingReservationID_whenReserve_thenReservationAlreadyExists() {
        let given = Given(Fixture.onSale() + Fixture.held(r1, Fixture.seats("Stalls-B-1")))
        #expect(given.refusal(reserve(Fixture.seats("Stalls-A-1"), as: r1)) == .reservationAlreadyExists(r1))
    }

    @Test func availableIsComputedFromTakenSeats() {
        let history = Fixture.onSale() + Fixture.held(r1, Fixture.seats("Stalls-A-1", "Stalls-A-2")) + Fixture.blocked(Fixture.seats("Balcony-A-1"))
        let inventory = Given(history).inventory
        #expect(inventory?.capacity == 20)
        #expect(inventory?.availableCount == 17)
        #expect(inventory?.state(of: SeatID("Stalls-A-1")) == .held(r1, until: now.addingTimeInterval(300)))
        #expect(inventory?.state(of: SeatID("Balcony-A-1")) == .blocked)
        #expect(inventory?.state(of: SeatID("Stalls-B-8")) == .available)
    }
}

@Suite("Blocking seats")
struct BlockSeatsTests {
    let show = Fixture.show
    let now = Fixture.now

    @Test func givenShow_whenBlockSeats_thenSeatsBlockedWithNullReservation() throws {
        let seats = Fixture.seats("Stalls-A-1", "Stalls-A-2")
        #expect(try Given(Fixture.created()).when(.blockSeats(show, seats: seats)) == Fixture.blocked(seats))
    }

    @Test func givenBlocked_whenUnblock_thenSeatsUnblocked() throws {
        let seats = Fixture.seats("Stalls-A-1")
        #expect(try Given(Fixture.onSale() + Fixture.blocked(seats)).when(.unblockSeats(show, seats: seats)) == [
            Decided(.inventory(show), .seatsUnblocked(SeatsUnblocked(showId: show, reservationId: nil, seats: seats, by: "ana", at: now))),
        ])
    }

    @Test func givenHeldSeat_whenBlock_thenSeatsUnavailable() {
        let r = ReservationID("R-1")
        let given = Given(Fixture.onSale() + Fixture.held(r, Fixture.seats("Stalls-A-1")))
        #expect(given.refusal(.blockSeats(show, seats: Fixture.seats("Stalls-A-1"))) == .seatsUnavailable(Fixture.seats("Stalls-A-1")))
    }

    @Test func givenAvailableSeat_whenUnblock_thenSeatsNotBlocked() {
        #expect(Given(Fixture.onSale()).refusal(.unblockSeats(show, seats: Fixture.seats("Stalls-A-1"))) == .seatsNotBlocked(Fixture.seats("Stalls-A-1")))
    }

    @Test func givenBlockedSeat_whenReserve_thenUnavailable_andAfterUnblockAvailable() throws {
        let seats = Fixture.seats("Stalls-A-1")
        let reserve = Command.reserveSeats(show, seats: seats, customer: "Ben", reservation: ReservationID("R-1"), holdFor: 300)
        let blocked = Fixture.onSale() + Fixture.blocked(seats)
        #expect(Given(blocked).refusal(reserve) == .seatsUnavailable(seats))
        let unblocked = try Given(blocked).when(.unblockSeats(show, seats: seats))
        #expect(Given(blocked + unblocked).refusal(reserve) == nil)
    }

    @Test func givenCancelledShow_whenBlock_thenInvalidTransition() {
        let cancelled = Fixture.created() + [Decided(.show(show), .showCancelled(ShowCancelled(showId: show, reason: nil, by: "ana", at: now)))]
        #expect(Given(cancelled).refusal(.blockSeats(show, seats: Fixture.seats("Stalls-A-1")))
            == .invalidTransition(subject: "show club-fri", from: "cancelled", action: "block seats of"))
    }

    @Test func givenShow_whenBlockUnknownOrDuplicate_thenRefused() {
        #expect(Given(Fixture.created()).refusal(.blockSeats(show, seats: Fixture.seats("Stalls-Z-1")))
            == .unknownSeats(Fixture.seats("Stalls-Z-1"), hint: "rows in Stalls are A, B"))
        #expect(Given(Fixture.created()).refusal(.blockSeats(show, seats: Fixture.seats("Stalls-A-1", "Stalls-A-1")))
            == .duplicateSeats(Fixture.seats("Stalls-A-1")))
        #expect(Given([]).refusal(.blockSeats(show, seats: Fixture.seats("Stalls-A-1"))) == .showNotFound(show))
    }
}
