@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Testing
import Ticketing

/// The available-seats read model, folded without a store: given these events, these rows. It
/// and the inventory aggregate fold seats through one function, so they never disagree.
@Suite("Available seats fold")
struct AvailableSeatsFoldTests {
    let show = ShowID("fold")
    let at = Date(timeIntervalSince1970: 1_800_000_000)
    /// Two sections, so events naming seats of both are folded into each.
    let venue = Venue(
        id: "two", name: "Two Rooms", currency: "EUR",
        tiers: [.init(id: "std", name: "Standard", priceMinor: 1000)],
        sections: [
            .init(name: "Stalls", rows: [.init(label: "A", seats: 5, tier: "std"), .init(label: "B", seats: 4, tier: "std")]),
            .init(name: "Circle", rows: [.init(label: "A", seats: 3, tier: "std")]),
        ]
    )

    func fold(_ events: [DomainEvent]) -> (rows: RowSet<AvailableSeats.Section>, inventory: InventoryState?) {
        var rows = RowSet<AvailableSeats.Section>()
        var inventory: InventoryState?
        for (offset, event) in events.enumerated() {
            let recorded = RecordedEvent(
                position: Int64(offset + 1), streamId: "inventory-fold", streamVersion: Int64(offset + 1), type: event.typeName,
                schemaVersion: 1, payload: Data(), metadata: EventMetadata(), recordedAt: at
            )
            AvailableSeats().apply(event, recorded, to: &rows)
            inventory = InventoryState.evolve(inventory, event)
        }
        return (rows, inventory)
    }

    /// A random but lawful run of seat events: holds on free seats, sales and releases of held
    /// ones, refunds of sold ones, blocks and unblocks.
    func randomEvents(seed: UInt64, count: Int) -> [DomainEvent] {
        var generator = SplitMix64(seed: seed)
        let layout = VenueLayout(venue)
        var state: [SeatID: SeatState] = [:]
        var events: [DomainEvent] = [.inventoryInitialized(InventoryInitialized(showId: show, venue: venue, capacity: venue.capacity, by: "ana", at: at))]
        for step in 0..<count {
            let reservation = ReservationID("R-\(step)")
            let free = layout.seats.map(\.id).filter { state[$0] == nil }
            let pick = { (ids: [SeatID]) -> [SeatID] in Array(ids.shuffled(using: &generator).prefix(Int(generator.next() % 3) + 1)) }
            switch generator.next() % 6 {
            case 0 where !free.isEmpty, 1 where !free.isEmpty:
                let seats = pick(free)
                let until = at.addingTimeInterval(Double(step))
                seats.forEach { state[$0] = .held(reservation, until: until) }
                events.append(.seatsHeld(SeatsHeld(showId: show, reservationId: reservation, seats: seats, expiresAt: until, by: "b", at: at)))
            case 2 where !free.isEmpty:
                let seats = pick(free)
                seats.forEach { state[$0] = .blocked }
                events.append(.seatsBlocked(SeatsBlocked(showId: show, reservationId: nil, seats: seats, by: "ana", at: at)))
            default:
                guard let (seat, taken) = state.sorted(by: { $0.key < $1.key }).randomElement(using: &generator) else { continue }
                switch taken {
                case .held(let holder, let until):
                    let seats = state.filter { $0.value == .held(holder, until: until) }.map(\.key).sorted()
                    if generator.next() % 2 == 0 {
                        seats.forEach { state[$0] = .sold(holder) }
                        events.append(.seatsSold(SeatsSold(showId: show, reservationId: holder, seats: seats, by: "saga", at: at)))
                    } else {
                        seats.forEach { state[$0] = nil }
                        events.append(.seatsReleased(SeatsReleased(showId: show, reservationId: holder, seats: seats, reason: .expired, by: "saga", at: at)))
                    }
                case .sold(let holder):
                    let seats = state.filter { $0.value == .sold(holder) }.map(\.key).sorted()
                    seats.forEach { state[$0] = nil }
                    events.append(.seatsReleased(SeatsReleased(showId: show, reservationId: holder, seats: seats, reason: .refunded, by: "saga", at: at)))
                case .blocked:
                    state[seat] = nil
                    events.append(.seatsUnblocked(SeatsUnblocked(showId: show, reservationId: nil, seats: [seat], by: "ana", at: at)))
                case .available:
                    break
                }
            }
        }
        return events
    }

    @Test func givenAnyLawfulRunOfSeatEvents_whenFolded_thenTheReadModelIsTheInventoryBySection() throws {
        for seed in 1...40 as ClosedRange<UInt64> {
            let events = randomEvents(seed: seed, count: 60)
            let (rows, inventory) = fold(events)
            let sections = rows.sections(of: show)
            #expect(AvailableSeats.sections(from: try #require(inventory)) == sections, "seed \(seed)")
            #expect(sections.reduce(0) { $0 + $1.available } == inventory?.availableCount, "seed \(seed)")
        }
    }

    @Test func givenSeatsInTwoSections_whenHeld_thenEachSectionHoldsItsOwn() throws {
        let until = at.addingTimeInterval(300)
        let (rows, _) = fold([
            .inventoryInitialized(InventoryInitialized(showId: show, venue: venue, capacity: venue.capacity, by: "ana", at: at)),
            .seatsHeld(SeatsHeld(showId: show, reservationId: ReservationID("R-1"), seats: [SeatID("Stalls-B-2"), SeatID("Circle-A-3")], expiresAt: until, by: "b", at: at)),
        ])
        let stalls = try #require(rows.availability(show, section: "Stalls"))
        let circle = try #require(rows.availability(show, section: "Circle"))
        #expect(stalls.seats.states.enumerated().filter { $0.element != .available }.map(\.offset) == [6])
        #expect(circle.seats.states == [.available, .available, .held(ReservationID("R-1"), until: until)])
        #expect((stalls.held, circle.held) == (1, 1))
    }

    @Test func givenAClosedShow_whenASoldSeatIsRefunded_thenOnlyTheCountsMove() throws {
        let r = ReservationID("R-1")
        let (rows, _) = fold([
            .inventoryInitialized(InventoryInitialized(showId: show, venue: venue, capacity: venue.capacity, by: "ana", at: at)),
            .seatsHeld(SeatsHeld(showId: show, reservationId: r, seats: [SeatID("Stalls-A-1")], expiresAt: at, by: "b", at: at)),
            .seatsSold(SeatsSold(showId: show, reservationId: r, seats: [SeatID("Stalls-A-1")], by: "saga", at: at)),
            .salesClosed(SalesClosed(showId: show, by: "ana", at: at)),
            .seatsReleased(SeatsReleased(showId: show, reservationId: r, seats: [SeatID("Stalls-A-1")], reason: .refunded, by: "saga", at: at)),
        ])
        let stalls = try #require(rows.availability(show, section: "Stalls"))
        #expect(stalls.countsOnly == true && stalls.seats.states.isEmpty)
        #expect((stalls.sold, stalls.available) == (0, 9))
    }

    @Test func seatIdsArePlacedOnlyWhenTheyNameASeatOfTheSection() throws {
        let section = AvailableSeats.Section(showId: show, name: "Stalls", index: 0, rows: venue.sections[0].rows)
        #expect(section.place(of: SeatID("Stalls-A-1")) == 0)
        #expect(section.place(of: SeatID("Stalls-B-4")) == 8)
        for id in ["Stalls-B-5", "Stalls-A-0", "Stalls-A-01", "Stalls-C-1", "Circle-A-1", "Stall-A-1", "Stalls-A", "Stalls-A-1-2", "Stalls-A-+1", ""] {
            #expect(section.place(of: SeatID(id)) == nil, "\(id)")
        }
        #expect((0..<section.capacity).map { section.seatID(at: $0).flatMap(section.place(of:)) } == Array(0..<9))
    }
}
