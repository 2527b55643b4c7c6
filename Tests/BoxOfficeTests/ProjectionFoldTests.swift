@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Testing
import Ticketing

/// Each read model as a pure fold, without a store or a bus: given these events, these rows
/// (whole rows compared, not chosen fields). `ProjectionTests` covers the same models through
/// the bus and the store.
@Suite("Projection folds")
struct ProjectionFoldTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let show = ShowID("fold-fri")
    let reservation = ReservationID("R-1")
    let seats = [SeatID("Stalls-A-1"), SeatID("Stalls-A-2")]
    let venue = Venue(
        id: "hall", name: "Hall", currency: "EUR",
        tiers: [.init(id: "front", name: "Front", priceMinor: 5_000), .init(id: "back", name: "Back", priceMinor: 3_000)],
        sections: [.init(name: "Stalls", rows: [.init(label: "A", seats: 4, tier: "front"), .init(label: "B", seats: 4, tier: "back")])]
    )

    func at(_ seconds: Double) -> Date { Self.t0.addingTimeInterval(seconds) }

    func fold<P: Projection>(_ projection: P, _ events: [DomainEvent], into rows: RowSet<P.Row> = RowSet()) -> RowSet<P.Row> {
        var rows = rows
        for (offset, event) in events.enumerated() {
            let recorded = RecordedEvent(
                position: Int64(offset + 1), streamId: "s-\(offset)", streamVersion: 1, type: event.typeName, schemaVersion: 1,
                payload: Data(), metadata: EventMetadata(correlationId: "C-1", actor: "actor-\(offset)"), recordedAt: at(Double(offset))
            )
            projection.apply(event, recorded, to: &rows)
        }
        return rows
    }

    var requested: DomainEvent {
        .reservationRequested(ReservationRequested(
            reservationId: reservation, showId: show, seats: seats, customer: "Ava", amountMinor: 10_000, currency: "EUR", by: "buyer", at: at(10)
        ))
    }
    var held: DomainEvent { .reservationHeld(ReservationHeld(reservationId: reservation, showId: show, seats: seats, expiresAt: at(310), by: "buyer", at: at(11))) }
    var confirmed: DomainEvent {
        .reservationConfirmed(ReservationConfirmed(reservationId: reservation, showId: show, seats: seats, amountMinor: 10_000, currency: "EUR", by: "saga", at: at(60)))
    }

    @Test func showQueueFollowsAShowThroughSubmissionAndApproval() {
        let rows = fold(ShowQueue(), [
            .showCreated(ShowCreated(showId: show, name: "Friday", venueId: "hall", venueName: "Hall", startsAt: at(86_400), capacity: 8, by: "ana", at: at(0))),
            .showSubmitted(ShowSubmitted(showId: show, by: "ana", at: at(1))),
            .showApproved(ShowApproved(showId: show, by: "ben", at: at(2))),
            .showApproved(ShowApproved(showId: ShowID("unknown"), by: "ben", at: at(3))),
        ])
        let expected = ShowQueue.Show(
            id: show, name: "Friday", venueId: "hall", venueName: "Hall", startsAt: at(86_400), capacity: 8, status: .approved,
            createdBy: "ana", createdAt: at(0), submittedBy: "ana", submittedAt: at(1), approvedBy: "ben", approvedAt: at(2), updatedAt: at(2)
        )
        #expect(rows.rows == [show.rawValue: expected], "an event for a show never created adds nothing")
    }

    @Test func holdsKeepAReservationFromRequestToExtensionAndDropItWhenConfirmed() {
        let extended: DomainEvent = .holdExtended(HoldExtended(reservationId: reservation, showId: show, previousExpiresAt: at(310), expiresAt: at(430), by: "ana", at: at(20)))
        let open = fold(Holds(), [requested, held, extended])
        let hold = Holds.Hold(
            reservationId: reservation, showId: show, customer: "Ava", seats: seats, amount: Money(minor: 10_000, currency: "EUR"),
            heldAt: at(11), expiresAt: at(430), extended: true, heldBy: "buyer"
        )
        #expect(open.rows == [reservation.rawValue: hold])
        #expect(fold(Holds(), [confirmed], into: open).rows.isEmpty)
        #expect(fold(Holds(), [.reservationExpired(ReservationExpired(reservationId: reservation, showId: show, seats: seats, expiresAt: at(430), by: "saga", at: at(430)))], into: open).rows.isEmpty)
    }

    @Test func salesCountRevenueByTierAndTakeARefundBack() {
        let initialized: DomainEvent = .inventoryInitialized(InventoryInitialized(showId: show, venue: venue, capacity: 8, by: "ana", at: at(0)))
        let sold = fold(SalesAnalytics(), [initialized, requested, confirmed])
        var expected = SalesAnalytics.ShowSales(showId: show, currency: "EUR", capacity: 8)
        expected.rowTiers = ["Stalls-A": "front", "Stalls-B": "back"]
        expected.tierPrices = ["front": 5_000, "back": 3_000]
        expected.requested = 1
        expected.confirmed = 1
        expected.sold = 2
        expected.revenueMinor = 10_000
        expected.bySection = ["Stalls": .init(tickets: 2, revenueMinor: 10_000)]
        expected.byTier = ["front": .init(tickets: 2, revenueMinor: 10_000)]
        expected.perMinute = [Int64((at(60).timeIntervalSince1970 / 60).rounded(.down)): 2]
        #expect(sold.rows == [show.rawValue: expected])
        let refunded = fold(SalesAnalytics(), [.reservationRefunded(ReservationRefunded(
            reservationId: reservation, showId: show, seats: seats, amountMinor: 10_000, currency: "EUR", by: "saga", at: at(90)
        ))], into: sold)
        expected.refunded = 1
        expected.sold = 0
        expected.revenueMinor = 0
        expected.bySection = ["Stalls": .init(tickets: 0, revenueMinor: 0)]
        expected.byTier = ["front": .init(tickets: 0, revenueMinor: 0)]
        #expect(refunded.rows == [show.rawValue: expected])
    }

    @Test func theFeedKeepsTheLastEventsAsLines() {
        let rows = fold(EventFeed(limit: 2), [requested, held, confirmed])
        #expect(rows.rows.keys.sorted() == [EventFeed.key(2), EventFeed.key(3)], "only the last two")
        #expect(rows[EventFeed.key(3)] == EventFeed.Entry(
            position: 3, at: at(2), stream: "s-2", type: "ReservationConfirmed", kind: .sale,
            summary: "confirmed Stalls-A-1 Stalls-A-2 · €100.00", actor: "actor-2", correlationId: "C-1"
        ))
    }

    @Test func customerHistoryCountsPaidReservationsOnly() {
        let paid = fold(CustomerHistory(), [requested, held, confirmed])
        let customer = CustomerHistory.Customer(
            name: "Ava", purchases: 1, tickets: 2, spentMinor: 10_000, currency: "EUR", showTickets: [show.rawValue: 2], sectionTickets: ["Stalls": 2]
        )
        #expect(paid.rows == [
            "c:Ava": .customer(customer),
            "r:R-1": .reservation(CustomerHistory.Reservation(customer: "Ava", showId: show.rawValue, confirmed: true)),
        ])
        let expired = fold(CustomerHistory(), [requested, .reservationExpired(ReservationExpired(
            reservationId: reservation, showId: show, seats: seats, expiresAt: at(310), by: "saga", at: at(310)
        ))])
        #expect(expired.rows.isEmpty, "a hold that expired bought nothing")
    }

    @Test func ordersFollowAReservationThroughEveryStateAndKeepItAfterwards() {
        let order = { (status: Orders.Status, expiresAt: Double, paidAt: Double?) in
            Orders.Order(
                reservationId: self.reservation, showId: self.show, customer: "Ava", seats: self.seats, amount: Money(minor: 10_000, currency: "EUR"),
                status: status, heldAt: self.at(status == .requested ? 10 : 11), expiresAt: self.at(expiresAt), paidAt: paidAt.map(self.at)
            )
        }
        let key = reservation.rawValue
        #expect(fold(Orders(), [requested]).rows == [key: order(.requested, 10, nil)])
        let extended: DomainEvent = .holdExtended(HoldExtended(reservationId: reservation, showId: show, previousExpiresAt: at(310), expiresAt: at(430), by: "ana", at: at(20)))
        let open = fold(Orders(), [requested, held, extended])
        #expect(open.rows == [key: order(.held, 430, nil)])
        let paid = fold(Orders(), [.paymentSucceeded(PaymentSucceeded(
            paymentId: reservation.paymentID, reservationId: reservation, amountMinor: 10_000, currency: "EUR", by: "gateway", at: at(40)
        ))], into: open)
        #expect(paid.rows == [key: order(.paid, 430, 40)])
        let sold = fold(Orders(), [confirmed], into: paid)
        #expect(sold.rows == [key: order(.confirmed, 430, 40)])
        let cancelled: DomainEvent = .reservationCancelled(ReservationCancelled(reservationId: reservation, showId: show, seats: seats, refundDue: true, by: "ana", at: at(70)))
        #expect(fold(Orders(), [cancelled], into: sold).rows == [key: order(.refundPending, 430, 40)])
        let refunded: DomainEvent = .reservationRefunded(ReservationRefunded(
            reservationId: reservation, showId: show, seats: seats, amountMinor: 10_000, currency: "EUR", by: "saga", at: at(80)
        ))
        #expect(fold(Orders(), [cancelled, refunded], into: sold).rows == [key: order(.refunded, 430, 40)], "a refunded order stays findable")
        let expired: DomainEvent = .reservationExpired(ReservationExpired(reservationId: reservation, showId: show, seats: seats, expiresAt: at(430), by: "saga", at: at(430)))
        #expect(fold(Orders(), [expired], into: open).rows == [key: order(.expired, 430, nil)])
        let compensated: DomainEvent = .reservationCompensated(ReservationCompensated(reservationId: reservation, showId: show, seats: seats, reason: "declined", by: "saga", at: at(50)))
        #expect(fold(Orders(), [compensated], into: open).rows == [key: order(.compensated, 430, nil)])
        #expect(fold(Orders(), [held, confirmed]).rows.isEmpty, "an event for a reservation never requested adds nothing")
    }

    @Test func anOrderSearchMatchesNameIdShowOrSeatInAnyCaseNewestFirst() {
        let base = Orders.Order(
            reservationId: ReservationID("R-AAA"), showId: show, customer: "Zoë Adler", seats: [SeatID("Stalls-A-1")],
            amount: Money(minor: 1, currency: "EUR"), status: .held, heldAt: at(1), expiresAt: at(2)
        )
        var newer = base
        (newer.reservationId, newer.customer, newer.seats, newer.heldAt, newer.showId) = (ReservationID("R-BBB"), "Ben Ito", [SeatID("Circle-C-9")], at(5), ShowID("other"))
        let all = [base, newer]
        #expect(OrderSearch.select(all, OrderQuery(), position: 9).orders.map(\.reservationId.rawValue) == ["R-BBB", "R-AAA"])
        #expect(OrderSearch.select(all, OrderQuery(text: "zoe"), position: 9).orders == [base], "case and accents ignored")
        #expect(OrderSearch.select(all, OrderQuery(text: "r-bb"), position: 9).orders == [newer])
        #expect(OrderSearch.select(all, OrderQuery(text: "circle-c"), position: 9).orders == [newer])
        #expect(OrderSearch.select(all, OrderQuery(customer: "Ben"), position: 9).orders.isEmpty, "--customer is the exact name")
        #expect(OrderSearch.select(all, OrderQuery(show: show), position: 9).orders == [base])
        let limited = OrderSearch.select(all, OrderQuery(limit: 1), position: 9)
        #expect(limited.orders == [newer] && limited.matched == 2 && limited.position == 9)
    }
}
