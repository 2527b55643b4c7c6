import Foundation
import Testing
import Ticketing

/// The one fold of seat events, shared by the inventory aggregate and the available-seats read model.
@Suite("Seat map")
struct SeatMapTests {
    let show = Fixture.show
    let now = Fixture.now
    let r1 = ReservationID("R-1")
    let r2 = ReservationID("R-2")

    /// Seats `A-1`…`A-6` at indices 0…5.
    func place(_ seat: SeatID) -> Int? {
        guard seat.rawValue.hasPrefix("A-"), let number = Int(seat.rawValue.dropFirst(2)), (1...6).contains(number) else { return nil }
        return number - 1
    }

    func ids(_ numbers: Int...) -> [SeatID] { numbers.map { SeatID("A-\($0)") } }

    func held(_ reservation: ReservationID, _ seats: [SeatID], until: Date) -> DomainEvent {
        .seatsHeld(SeatsHeld(showId: show, reservationId: reservation, seats: seats, expiresAt: until, by: "buyer-1", at: now))
    }

    func released(_ reservation: ReservationID, _ seats: [SeatID], _ reason: ReleaseReason) -> DomainEvent {
        .seatsReleased(SeatsReleased(showId: show, reservationId: reservation, seats: seats, reason: reason, by: "saga", at: now))
    }

    @Test func givenSeatEvents_whenFolded_thenEachSeatHasItsStateAndTheCountsFollow() {
        var map = SeatMap(count: 6)
        let until = now.addingTimeInterval(300)
        map.apply(held(r1, ids(1, 2), until: until), place: place)
        map.apply(held(r2, ids(3), until: until), place: place)
        map.apply(.seatsSold(SeatsSold(showId: show, reservationId: r1, seats: ids(1, 2), by: "saga", at: now)), place: place)
        map.apply(.seatsBlocked(SeatsBlocked(showId: show, reservationId: nil, seats: ids(6), by: "ana", at: now)), place: place)
        // A seat this run does not have changes nothing.
        map.apply(held(r2, [SeatID("B-1")], until: until), place: place)
        #expect(map.states == [.sold(r1), .sold(r1), .held(r2, until: until), .available, .available, .blocked])
        #expect((map.held, map.sold, map.blocked, map.available) == (1, 2, 1, 2))
        map.apply(released(r2, ids(3), .expired), place: place)
        map.apply(.seatsUnblocked(SeatsUnblocked(showId: show, reservationId: nil, seats: ids(6), by: "ana", at: now)), place: place)
        #expect((map.held, map.sold, map.blocked, map.available) == (0, 2, 0, 4))
        #expect(map[2] == .available && map[5] == .available)
    }

    @Test func givenAHold_whenExtended_thenOnlyItsSeatsTakeTheNewDeadline() {
        var map = SeatMap(count: 6)
        let (until, later) = (now.addingTimeInterval(300), now.addingTimeInterval(420))
        map.apply(held(r1, ids(1), until: until), place: place)
        map.apply(held(r2, ids(2), until: until), place: place)
        #expect(map.holds(r1) && !map.holds(ReservationID("R-3")))
        map.apply(.holdExtended(HoldExtended(reservationId: r1, showId: show, previousExpiresAt: until, expiresAt: later, by: "ana", at: now)), place: place)
        #expect(map[0] == .held(r1, until: later))
        #expect(map[1] == .held(r2, until: until))
    }

    /// A closed show keeps counts only; a refund after closing must still move them.
    @Test func givenCountsOnly_whenSeatEventsArrive_thenCountsMoveAsTheEventsImply() {
        var map = SeatMap(count: 6)
        map.apply(held(r1, ids(1, 2), until: now), place: place)
        map.apply(.seatsSold(SeatsSold(showId: show, reservationId: r1, seats: ids(1, 2), by: "saga", at: now)), place: place)
        map.dropDetail()
        #expect(!map.isDetailed && map.states.isEmpty && map.sold == 2)
        map.apply(released(r1, ids(1, 2), .refunded), place: place)
        #expect((map.held, map.sold, map.available) == (0, 0, 6))
        #expect(map[0] == .available)
    }

    @Test func givenTheInventoryAggregate_whenFolded_thenItUsesTheSameSeatMap() throws {
        var inventory = InventoryState.evolve(nil, .inventoryInitialized(InventoryInitialized(
            showId: show, venue: Fixture.venue, capacity: Fixture.venue.capacity, by: "ana", at: now
        )))
        let seat = try #require(VenueLayout(Fixture.venue).seats.first).id
        inventory = InventoryState.evolve(inventory, held(r1, [seat], until: now))
        let state = try #require(inventory)
        #expect(state.state(of: seat) == .held(r1, until: now))
        #expect(state.seats[0] == .held(r1, until: now))
        #expect(state.availableCount == state.capacity - 1)
        #expect(state.taken.map(\.seat) == [seat])
    }
}
