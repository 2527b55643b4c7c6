@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Testing
import Ticketing

@Suite("Projections")
struct ProjectionTests {
    let ana = Harness.ana
    let saga = CommandContext(actor: "saga")

    /// Reserves and pays `seats` for `customer`.
    func sell(_ r: ReadHarness, _ show: ShowID, _ seats: [String], to customer: String) async throws -> ReservationID {
        let held = try await r.box.reserveSeats(show, seats: seats.map { SeatID($0) }, customer: customer, ana)
        let id = try #require(held.reservationID)
        _ = try await r.box.execute(.confirmReservation(id), saga)
        return id
    }

    @Test func aClosedShowKeepsItsCountsNotItsSeatsAndItsMapFoldsFromTheInventory() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale()
        _ = try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-1")], customer: "Ben", ana)
        let sold = try await sell(r, show, ["Stalls-B-1", "Stalls-B-2"], to: "Cy")
        _ = try await r.box.execute(.blockSeats(show, seats: [SeatID("Stalls-B-6")]), ana)
        let before = r.models().seats.sections(of: show)
        _ = try await r.box.execute(.closeSales(show), ana)
        let after = r.models().seats.sections(of: show)
        #expect(after.allSatisfy { $0.countsOnly == true && $0.seats.states.isEmpty })
        #expect(after.map { [$0.held, $0.sold, $0.blocked] } == before.map { [$0.held, $0.sold, $0.blocked] })
        // The map folded from the inventory is the one the read model had before sales closed.
        let inventory = try InventoryState.current(of: show, in: r.h.store)
        #expect(AvailableSeats.sections(from: try #require(inventory)) == before)
        // A refund after closing still moves the counts.
        _ = try await r.box.execute(.cancelReservation(sold), ana)
        _ = try await r.box.execute(.refundReservation(sold), saga)
        #expect(r.models().seats.totals(show).sold == 0)
        #expect(r.models().seats.totals(show).held == 1)
    }

    @Test func availableSeatsCountsEverySeatState() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale()
        _ = try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-1"), SeatID("Stalls-A-2")], customer: "Ben", ana)
        _ = try await sell(r, show, ["Stalls-B-1"], to: "Cy")
        _ = try await r.box.execute(.blockSeats(show, seats: [SeatID("Stalls-B-6")]), ana)
        let seats = r.models().seats
        let stalls = try #require(seats.availability(show, section: "Stalls"))
        #expect((stalls.capacity, stalls.held, stalls.sold, stalls.blocked, stalls.available) == (12, 2, 1, 1, 8))
        let held = try #require(stalls.state(of: SeatID("Stalls-A-1")).reservation)
        #expect(stalls.state(of: SeatID("Stalls-A-1")) == .held(held, until: r.clock.now().addingTimeInterval(300)))
        #expect(stalls.state(of: SeatID("Stalls-B-1")).kind == .sold)
        #expect(stalls.state(of: SeatID("Stalls-A-5")) == .available)
        // Seats are dense, row by row: Stalls-B-1 follows row A's six seats.
        #expect(stalls.place(of: SeatID("Stalls-B-1")) == 6)
        #expect(stalls.state(row: 1, number: 1).kind == .sold)
        #expect(seats.totalAvailable(show) == 8)
        #expect(seats.hasAvailability(show, section: "Stalls", 8))
        #expect(!seats.hasAvailability(show, section: "Stalls", 9))
        #expect(seats.totals(show) == (capacity: 12, available: 8, held: 2, sold: 1, blocked: 1))
    }

    @Test func holdsAreOrderedByExpiryAndLeaveWhenTheyEnd() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale()
        let first = try #require(try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-1")], customer: "Ben", ana).reservationID)
        r.clock.advance(by: 10)
        let second = try #require(try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-2")], customer: "Cy", ana).reservationID)
        r.clock.advance(by: 10)
        let third = try #require(try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-3")], customer: "Dee", ana).reservationID)
        _ = try await r.box.execute(.extendHold(first, by: 60), ana)
        var holds = r.models().holds.byExpiry()
        #expect(holds.map(\.reservationId) == [second, third, first])
        #expect(holds.last?.extended == true)
        #expect(holds.first?.customer == "Cy")
        #expect(holds.first?.amount == Money(minor: 2500, currency: "EUR"))
        _ = try await r.box.execute(.confirmReservation(second), saga)
        r.clock.advance(by: 300)
        _ = try await r.box.execute(.expireHold(third), saga)
        holds = r.models().holds.byExpiry()
        #expect(holds.map(\.reservationId) == [first])
    }

    @Test func salesAnalyticsAddsUpRevenueTicketsAndOutcomes() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale(venue: Self.tiered)
        _ = try await sell(r, show, ["Front-A-1", "Front-A-2"], to: "Ben")
        _ = try await sell(r, show, ["Back-A-1"], to: "Cy")
        let refunded = try await sell(r, show, ["Back-A-2"], to: "Dee")
        _ = try await r.box.execute(.cancelReservation(refunded), ana)
        _ = try await r.box.execute(.refundReservation(refunded), saga)
        let lapsed = try #require(try await r.box.reserveSeats(show, seats: [SeatID("Back-A-3")], customer: "Eve", ana).reservationID)
        let dropped = try #require(try await r.box.reserveSeats(show, seats: [SeatID("Back-A-4")], customer: "Fay", ana).reservationID)
        let failed = try #require(try await r.box.reserveSeats(show, seats: [SeatID("Back-A-5")], customer: "Gus", ana).reservationID)
        _ = try await r.box.execute(.cancelReservation(dropped), ana)
        _ = try await r.box.execute(.compensateReservation(failed, reason: "declined"), saga)
        r.clock.advance(by: 301)
        _ = try await r.box.execute(.expireHold(lapsed), saga)
        let all = r.models().sales
        let sales = try #require(all[show.rawValue])
        #expect(sales.sold == 3)
        #expect(sales.revenueMinor == 2 * 10_000 + 4_000)
        #expect(sales.averagePriceMinor == 8_000)
        #expect(sales.bySection["Front"] == SalesAnalytics.Tally(tickets: 2, revenueMinor: 20_000))
        #expect(sales.bySection["Back"] == SalesAnalytics.Tally(tickets: 1, revenueMinor: 4_000))
        #expect(sales.byTier["gold"]?.tickets == 2)
        #expect((sales.requested, sales.confirmed, sales.refunded, sales.expired, sales.cancelled, sales.compensated) == (6, 3, 1, 1, 2, 1))
        #expect(abs(sales.conversion - 3.0 / 6.0) < 1e-9)
        #expect(sales.mostPopularSection == "Front")
        #expect(sales.lastHour(endingAt: r.clock.now()).reduce(0, +) == 4)
        #expect(sales.lastHour(endingAt: r.clock.now().addingTimeInterval(3_600)).reduce(0, +) == 0)
        #expect(abs(sales.sellThrough - 3.0 / 12.0) < 1e-9)
        #expect(all.totals()["EUR"]?.revenueMinor == 24_000)
        #expect(all.mostPopularSection() == "Front")
    }

    static let tiered = Venue(
        id: "tiered", name: "Tiered Hall", currency: "EUR",
        tiers: [.init(id: "gold", name: "Gold", priceMinor: 10_000), .init(id: "std", name: "Standard", priceMinor: 4_000)],
        sections: [
            .init(name: "Front", rows: [.init(label: "A", seats: 6, tier: "gold")]),
            .init(name: "Back", rows: [.init(label: "A", seats: 6, tier: "std")]),
        ]
    )

    @Test func customerHistoryKeepsPurchasesSpendingShowsAndFavouriteSection() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale(venue: Self.tiered)
        _ = try await sell(r, show, ["Front-A-1", "Front-A-2"], to: "Ben")
        _ = try await sell(r, show, ["Back-A-1"], to: "Ben")
        let refunded = try await sell(r, show, ["Back-A-2", "Back-A-3"], to: "Cy")
        _ = try await sell(r, show, ["Back-A-4"], to: "Cy")
        _ = try await r.box.execute(.cancelReservation(refunded), ana)
        _ = try await r.box.execute(.refundReservation(refunded), saga)
        _ = r.models()
        #expect(r.models().customers.isEmpty, "customer history lives in its table, not in memory")
        let customers = try r.read.customerHistory()
        let ben = try #require(customers.customer("Ben"))
        #expect((ben.purchases, ben.tickets, ben.spentMinor) == (2, 3, 24_000))
        #expect(ben.shows == [show.rawValue])
        #expect(ben.favouriteSection == "Front")
        let cy = try #require(customers.customer("Cy"))
        #expect((cy.purchases, cy.tickets, cy.spentMinor) == (1, 1, 4_000))
        #expect(customers.topSpenders(5).map(\.name) == ["Ben", "Cy"])
    }

    @Test func showQueuePutsTheOldestSubmissionFirstAndKeepsReasons() async throws {
        let r = try ReadHarness()
        for (index, id) in ["c-show", "a-show", "b-show"].enumerated() {
            _ = try await r.box.execute(.createShow(ShowID(id), name: id, venue: Harness.venue, startsAt: r.clock.now().addingTimeInterval(Double(index))), ana)
        }
        _ = try await r.box.execute(.submitShow(ShowID("b-show")), ana)
        r.clock.advance(by: 1)
        _ = try await r.box.execute(.submitShow(ShowID("c-show")), ana)
        r.clock.advance(by: 1)
        _ = try await r.box.execute(.submitShow(ShowID("a-show")), ana)
        _ = try await r.box.execute(.rejectShow(ShowID("a-show"), reason: "No licence"), CommandContext(actor: "bo"))
        let shows = r.models().shows
        #expect(shows.approvalQueue.map(\.id.rawValue) == ["b-show", "c-show"])
        #expect(shows.all.map(\.id.rawValue) == ["b-show", "c-show", "a-show"])
        let rejected = try #require(shows["a-show"])
        #expect((rejected.status, rejected.rejectionReason, rejected.rejectedBy) == (.rejected, "No licence", "bo"))
        #expect(shows["b-show"]?.submittedBy == "ana")
    }

    @Test func theFeedKeepsTheLatestEntriesWithSummaryActorAndCorrelation() async throws {
        let r = try ReadHarness(feedLimit: 5)
        let show = try await r.h.onSale()
        let context = CommandContext(actor: "buyer-3", correlationId: "C-TRACE")
        _ = try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-4"), SeatID("Stalls-A-5")], customer: "Ben", context)
        let feed = r.models().feed.newestFirst()
        #expect(feed.count == 5)
        #expect(feed.map(\.position) == [7, 6, 5, 4, 3])
        #expect(feed.first?.type == "ReservationHeld")
        #expect(feed[2].type == "SeatsHeld")
        #expect(feed[2].summary.hasPrefix("Stalls-A-4 Stalls-A-5 held for R-"))
        #expect(feed[2].actor == "buyer-3")
        #expect(feed[2].correlationId == "C-TRACE")
        #expect(feed[2].kind == .hold)
        #expect(r.models().feed.newestFirst(matching: "inventory").map(\.type) == ["SeatsHeld"])
        // The windowed read a frame uses agrees with the full sort.
        #expect(r.models().feed.newest(3).map(\.position) == [7, 6, 5])
        #expect(r.models().feed.newest(10) == feed)
        #expect(r.models().feed.newest(2, matching: "inventory").map(\.type) == ["SeatsHeld"])
        #expect(r.models().feed.newest(0).isEmpty)
    }

    @Test func redeliveringAnAppliedEventChangesNothing() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale()
        _ = try await sell(r, show, ["Stalls-A-1"], to: "Ben")
        let before = r.models()
        for event in try r.h.store.readAll(after: 0, limit: 100) {
            for subscriber in r.read.subscribers { try subscriber.handle(DeliveredEvent(event, codec: EventCodec())) }
        }
        let parts = r.read.subscribers.compactMap { $0.commit(through: before.position) }
        #expect(try r.h.store.commitTogether(parts).allSatisfy { $0 == nil })
        for subscriber in r.read.subscribers { subscriber.committed(through: before.position, durable: true) }
        #expect(r.read.snapshot() == before)
    }

    @Test func everyProjectionIsAtTheHeadEvenWhenItIgnoredTheEvents() async throws {
        let r = try ReadHarness()
        _ = try await r.h.onSale()
        r.bus.drain()
        let head = try r.h.store.headPosition()
        #expect(r.bus.statuses.allSatisfy { $0.checkpoint == head && $0.lag == 0 })
        #expect(try r.h.store.checkpoint(of: "holds") == head)
    }

    @Test func aRestartedReadSideResumesFromItsCheckpoint() async throws {
        let r = try ReadHarness()
        let show = try await r.h.onSale()
        _ = try await sell(r, show, ["Stalls-A-1"], to: "Ben")
        let before = r.models()
        // A new process: new store connections, new read side, same file.
        let store = try SQLiteEventStore(path: r.h.path)
        let read = ReadSide(storage: store)
        let bus = EventBus(store: store, clock: r.clock, dispatch: .synchronous)
        read.register(on: bus)
        try bus.start()
        #expect(read.snapshot() == before)
        _ = try await r.box.execute(.blockSeats(show, seats: [SeatID("Stalls-B-1")]), ana)
        bus.drain()
        #expect(read.snapshot().seats.availability(show, section: "Stalls")?.blocked == 1)
        #expect(read.snapshot().sales == before.sales)
    }
}

@Suite("Hand-coded read-model rows")
struct FastRowCodingTests {
    @Test func aSectionCodedByHandReadsBackTheSameThroughCodableAndByHand() throws {
        let until = Date(timeIntervalSince1970: 1_800_000_000.25)
        var section = AvailableSeats.Section(
            showId: ShowID("show \"q\" / ✓"), name: "Stalls\\East", index: 2,
            rows: [Venue.Row(label: "A", seats: 6, tier: "std"), Venue.Row(label: "東", seats: 3, tier: "vip\n"), Venue.Row(label: "\u{1B}", seats: 3, tier: "x")]
        )
        section.seats.set(0, to: .held(ReservationID("R-1"), until: until))
        section.seats.set(1, to: .sold(ReservationID("R-2")))
        section.seats.set(try #require(section.place(of: SeatID("Stalls\\East-\u{1B}-3"))), to: .blocked)
        #expect((section.held, section.sold, section.blocked) == (1, 1, 1))
        let data = section.fastEncode()
        #expect(try EventCodec.makeDecoder().decode(AvailableSeats.Section.self, from: data) == section)
        #expect(AvailableSeats.Section.fastDecode(data) == section)
        let viaCodable = try EventCodec.makeEncoder().encode(section)
        #expect(AvailableSeats.Section.fastDecode(viaCodable) == section)
        // Anything unexpected is left to Codable.
        #expect(AvailableSeats.Section.fastDecode(Data(#"{"showId":"s","extra":1}"#.utf8)) == nil)
    }

    /// Hand-coded bytes read back through Codable, and Codable's bytes by hand, both equal the row.
    func roundTrips<Row: FastCodingRow & Codable & Equatable>(_ row: Row) throws -> Bool {
        let byHand = row.fastEncode()
        let byCodable = try EventCodec.makeEncoder().encode(row)
        return try EventCodec.makeDecoder().decode(Row.self, from: byHand) == row && Row.fastDecode(byHand) == row && Row.fastDecode(byCodable) == row
    }

    /// A rebuild's swap compares stored bytes: rows written by hand must be byte for byte what
    /// `Codable` writes, in any process (a section's seats in sorted order, absent optionals left out).
    @Test func showsFeedEntriesAndSectionsWrittenByHandAreTheBytesCodableWrites() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        let encoder = EventCodec.makeEncoder()
        func same<Row: FastCodingRow & Codable & Equatable>(_ row: Row) throws -> Bool {
            try roundTrips(row) && row.fastEncode() == encoder.encode(row)
        }
        let draft = ShowQueue.Show(
            id: ShowID("s-1"), name: "Zoë \"Q\"", venueId: "v", venueName: "Hall", startsAt: at, capacity: 12, status: .draft,
            createdBy: "ana", createdAt: at, updatedAt: at
        )
        #expect(try same(draft))
        var rejected = draft
        (rejected.status, rejected.submittedBy, rejected.submittedAt, rejected.rejectedBy, rejected.rejectedAt, rejected.rejectionReason) =
            (.rejected, "ana", at, "bo", at.addingTimeInterval(5), "No licence")
        (rejected.approvedBy, rejected.approvedAt) = ("cy", at)
        #expect(try same(rejected))
        let entry = EventFeed.Entry(position: 7, at: at, stream: "inventory-s", type: "SeatsHeld", kind: .hold, summary: "A1 held", actor: "buyer-1", correlationId: nil)
        #expect(try same(entry))
        var correlated = entry
        correlated.correlationId = "C-1"
        #expect(try same(correlated))
        var customer = CustomerHistory.Customer(name: "Zoë \"Q\" / Ng", purchases: 3, tickets: 7, spentMinor: -5, currency: "EUR")
        (customer.showTickets, customer.sectionTickets) = (["s-2": 4, "s-1": 0, "é": 3], ["Stalls": 7, "Circle\\": -1])
        #expect(try same(CustomerHistory.Entry.customer(customer)))
        #expect(try same(CustomerHistory.Entry.customer(CustomerHistory.Customer(name: ""))))
        #expect(try same(CustomerHistory.Entry.reservation(CustomerHistory.Reservation(customer: "Ben", showId: "s-1", confirmed: true))))
        #expect(try same(CustomerHistory.Entry.reservation(CustomerHistory.Reservation(customer: "\u{1B}", showId: "", confirmed: false))))
        #expect(CustomerHistory.Entry.fastDecode(Data(#"{"customer":{"_0":{"name":"x"}}}"#.utf8)) == nil, "a missing key is left to Codable")
        #expect(CustomerHistory.Entry.fastDecode(Data(#"{"customer":{"_1":{}}}"#.utf8)) == nil)
        var order = Orders.Order(
            reservationId: ReservationID("R-1"), showId: ShowID("s-1"), customer: "Zoë \"Q\" \u{1B}", seats: [SeatID("Stalls-A-1"), SeatID("é-B-2")],
            amount: Money(minor: 12_345, currency: "EUR"), status: .held, heldAt: at, expiresAt: at.addingTimeInterval(300)
        )
        #expect(try same(order), "an unpaid order writes paidAt as null")
        (order.status, order.paidAt) = (.confirmed, at.addingTimeInterval(30))
        #expect(try same(order))
        for status in Orders.Status.allCases {
            order.status = status
            #expect(try roundTrips(order))
        }
        #expect(Orders.Order.fastDecode(Data(#"{"status":"lost"}"#.utf8)) == nil, "an unknown status is left to Codable")
        var section = AvailableSeats.Section(showId: ShowID("s"), name: "Stalls", index: 0, rows: Harness.venue.sections[0].rows)
        for number in [9, 1, 12, 3, 10, 2] {
            let reservation = ReservationID("R-\(number)")
            section.seats.set(number - 1, to: number.isMultiple(of: 2) ? .sold(reservation) : .held(reservation, until: at))
        }
        var closed = section
        closed.seats.dropDetail()
        #expect(try same(closed))
        #expect(try same(section))
    }

    @Test func anInventorySnapshotReadByHandEqualsCodable() throws {
        let venue = Harness.venue
        let until = Date(timeIntervalSince1970: 1_800_000_000.75)
        let inventory = InventoryState(showId: ShowID("s"), layout: VenueLayout(venue), taken: [
            SeatID("Stalls-A-1"): .held(ReservationID("R-1"), until: until), SeatID("Stalls-A-2"): .sold(ReservationID("R-2")),
            SeatID("Stalls-B-6"): .blocked,
        ])
        let payload = try EventCodec.makeEncoder().encode(inventory)
        #expect(AggregateLoader.fastInventory(payload) == inventory)
        // Written by hand: byte for byte what JSONEncoder writes.
        #expect(AggregateLoader.fastInventorySnapshot(inventory) == payload)
        #expect(AggregateLoader.fastInventory(payload) == (try EventCodec.makeDecoder().decode(InventoryState.self, from: payload)))
        #expect(AggregateLoader.fastInventory(Data(#"{"showId":"s","taken":[],"venue":{},"extra":1}"#.utf8)) == nil)
    }

    @Test func showSalesCodedByHandMatchCodable() throws {
        var sales = SalesAnalytics.ShowSales(showId: ShowID("s\"1"), currency: "EUR", capacity: 402)
        #expect(try roundTrips(sales))
        sales.revenueMinor = 1_866_000
        sales.sold = 289
        sales.bySection = ["Stalls": .init(tickets: 189, revenueMinor: 1_404_500), "Circle/East": .init(tickets: 1, revenueMinor: 2)]
        sales.byTier = ["premium": .init(tickets: 88, revenueMinor: 748_000)]
        sales.perMinute = [29_888_895: 99, 29_888_896: 26]
        sales.rowTiers = ["Stalls-A": "premium", "東-B": "std"]
        sales.tierPrices = ["premium": 8_500, "std": -1]
        (sales.requested, sales.confirmed, sales.expired, sales.cancelled, sales.compensated, sales.refunded) = (132, 93, 18, 15, 6, 1)
        #expect(try roundTrips(sales))
    }

    @Test func holdsAndLedgerEntriesCodedByHandMatchCodable() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.5)
        #expect(try roundTrips(Holds.Hold(
            reservationId: ReservationID("R-1"), showId: ShowID("s/1"), customer: "Zoë \"Q\"\n", seats: [SeatID("A-1-1"), SeatID("A-1-2")],
            amount: Money(minor: 4_500, currency: "EUR"),
            heldAt: at, expiresAt: at.addingTimeInterval(300), extended: true, heldBy: "buyer-1"
        )))
        var entry = SagaLedger.Entry(
            reservationId: "R-2", showId: "s", status: .held, expiresAt: at, amountMinor: 100, currency: "EUR", correlationId: nil, causation: 7
        )
        #expect(try roundTrips(entry))
        entry.payment = .failed
        entry.method = .boxOffice
        entry.paymentRequestedAt = at
        entry.failureReason = "card declined"
        entry.showCancelled = true
        entry.correlationId = "C-1"
        entry.status = .refundPending
        #expect(try roundTrips(entry))
    }
}
