import Foundation
import Testing
@testable import Ticketing

@Suite("Best available")
struct BestAvailableTests {
    let show = Fixture.show
    let now = Fixture.now

    /// Stalls: rows A–C of 10 seats; Balcony: one row of 6.
    static let hall = Venue(
        id: "hall", name: "Hall", currency: "EUR",
        tiers: [.init(id: "std", name: "Standard", priceMinor: 1000)],
        sections: [
            .init(name: "Stalls", rows: ["A", "B", "C"].map { .init(label: $0, seats: 10, tier: "std") }),
            .init(name: "Balcony", rows: [.init(label: "A", seats: 6, tier: "std")]),
        ]
    )

    func inventory(taken: [String], blocked: [String] = []) -> InventoryState {
        var state = InventoryState.evolve(nil, .inventoryInitialized(InventoryInitialized(
            showId: show, venue: Self.hall, capacity: Self.hall.capacity, by: "ana", at: now
        )))
        if !taken.isEmpty {
            state = InventoryState.evolve(state, .seatsSold(SeatsSold(
                showId: show, reservationId: ReservationID("R-X"), seats: taken.map { SeatID($0) }, by: "saga", at: now
            )))
        }
        if !blocked.isEmpty {
            state = InventoryState.evolve(state, .seatsBlocked(SeatsBlocked(
                showId: show, reservationId: nil, seats: blocked.map { SeatID($0) }, by: "ana", at: now
            )))
        }
        return state ?? InventoryState(showId: show, layout: VenueLayout(Self.hall))
    }

    func best(_ quantity: Int, section: String? = nil, taken: [String] = [], blocked: [String] = []) throws(TicketingError) -> [String] {
        try BestAvailable.find(quantity: quantity, section: section, in: inventory(taken: taken, blocked: blocked)).map(\.id.rawValue)
    }

    @Test func givenEmptyHall_whenBestTwo_thenFrontRowCentre() throws {
        #expect(try best(2) == ["Stalls-A-5", "Stalls-A-6"])
    }

    @Test func givenEmptyHall_whenBestThree_thenCentredWithTiesToTheLeft() throws {
        #expect(try best(3) == ["Stalls-A-4", "Stalls-A-5", "Stalls-A-6"])
    }

    @Test func givenFrontCentreTaken_whenBestTwo_thenSecondRowCentreBeatsFrontEdge() throws {
        #expect(try best(2, taken: ["Stalls-A-4", "Stalls-A-5", "Stalls-A-6", "Stalls-A-7"]) == ["Stalls-B-5", "Stalls-B-6"])
    }

    @Test func givenOneFrontSeatTaken_whenBestTwo_thenFrontRowSlightlyOffCentreBeatsSecondRow() throws {
        #expect(try best(2, taken: ["Stalls-A-5"]) == ["Stalls-A-6", "Stalls-A-7"])
    }

    @Test func givenThreeFreeBetweenTakenSeats_whenBestTwo_thenNoOrphanIsLeft() throws {
        let taken = ["Stalls-A-1", "Stalls-A-2", "Stalls-A-3", "Stalls-A-7", "Stalls-A-8", "Stalls-A-9", "Stalls-A-10"]
        let chosen = try best(2, taken: taken)
        #expect(chosen == ["Stalls-B-5", "Stalls-B-6"])
    }

    @Test func givenFreeRunAtRowEnd_whenBestTwo_thenALoneSeatAtTheWallIsAllowed() throws {
        // Row A: only 8–10 free. strands A-10 against the wall (fine); would
        // strand A-8 next to the taken A-7 (an orphan).
        let taken = (1...7).map { "Stalls-A-\($0)" }
        let candidates = BestAvailable.candidates(2, in: inventory(taken: taken).layout.rows[0], inventory(taken: taken))
        #expect(candidates == [7])
    }

    @Test func givenFragmentedSection_whenBestTwo_thenNotEnoughAdjacentSeats() {
        let taken = (1...6).filter { $0 % 2 == 0 }.map { "Balcony-A-\($0)" }
        #expect(throws: TicketingError.notEnoughAdjacentSeats(requested: 2, section: "Balcony")) {
            try best(2, section: "Balcony", taken: taken)
        }
    }

    @Test func givenTooFewFreeSeats_whenBest_thenInsufficientSeats() {
        let taken = (1...5).map { "Balcony-A-\($0)" }
        #expect(throws: TicketingError.insufficientSeats(requested: 2, available: 1)) {
            try best(2, section: "Balcony", taken: taken)
        }
    }

    @Test func givenSectionFilter_whenBest_thenOnlyThatSectionCaseInsensitively() throws {
        #expect(try best(2, section: "balcony") == ["Balcony-A-3", "Balcony-A-4"])
    }

    @Test func givenUnknownSection_whenBest_thenUnknownSectionListsThem() {
        #expect(throws: TicketingError.unknownSection("Circle", sections: ["Stalls", "Balcony"])) {
            try best(2, section: "Circle")
        }
    }

    @Test func givenFirstSectionFull_whenBest_thenNextSection() throws {
        let stalls = ["A", "B", "C"].flatMap { row in (1...10).map { "Stalls-\(row)-\($0)" } }
        #expect(try best(2, taken: stalls) == ["Balcony-A-3", "Balcony-A-4"])
    }

    @Test func blockedSeatsCountAsTaken() throws {
        #expect(try best(2, blocked: ["Stalls-A-5", "Stalls-A-6"]).allSatisfy { !["Stalls-A-5", "Stalls-A-6"].contains($0) })
    }

    @Test func givenOnSaleShow_whenReserveBestAvailable_thenHoldsTheChosenBlock() throws {
        let r = ReservationID("R-B")
        let events = try Given(Fixture.onSale()).when(.reserveBestAvailable(show, quantity: 4, section: nil, customer: "Cy", reservation: r, holdFor: 300))
        guard case .seatsHeld(let held) = events.first?.event else {
            Issue.record("expected SeatsHeld first")
            return
        }
        #expect(held.seats == Fixture.seats("Stalls-A-3", "Stalls-A-4", "Stalls-A-5", "Stalls-A-6"))
    }

    @Test(arguments: [0, -1, 21, 10_000])
    func givenOnSale_whenBestWithBadQuantity_thenInvalidQuantity(_ quantity: Int) {
        let command = Command.reserveBestAvailable(show, quantity: quantity, section: nil, customer: "Cy", reservation: ReservationID("R-B"), holdFor: 300)
        #expect(Given(Fixture.onSale()).refusal(command) == .invalidQuantity(quantity))
    }

    @Test func givenDraftShow_whenBest_thenNotOnSale() {
        let command = Command.reserveBestAvailable(show, quantity: 2, section: nil, customer: "Cy", reservation: ReservationID("R-B"), holdFor: 300)
        #expect(Given(Fixture.created()).refusal(command) == .notOnSale(show, status: "draft"))
    }
}
