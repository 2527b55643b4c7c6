import Foundation
import Ticketing

/// A small venue and helpers for given/when/then tests of the deciders.
enum Fixture {
    static let show = ShowID("club-fri")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let operatorName = "ana"

    /// Stalls rows A and B of 8 seats (A premium €50, B standard €30), Balcony row A of 4 (€20).
    static let venue = Venue(
        id: "test-club", name: "Test Club", currency: "EUR",
        tiers: [
            .init(id: "premium", name: "Premium", priceMinor: 5000),
            .init(id: "standard", name: "Standard", priceMinor: 3000),
            .init(id: "cheap", name: "Cheap", priceMinor: 2000),
        ],
        sections: [
            .init(name: "Stalls", rows: [
                .init(label: "A", seats: 8, tier: "premium"),
                .init(label: "B", seats: 8, tier: "standard"),
            ]),
            .init(name: "Balcony", rows: [.init(label: "A", seats: 4, tier: "cheap")]),
        ]
    )

    static func seats(_ ids: String...) -> [SeatID] { ids.map { SeatID($0) } }

    static func created(_ id: ShowID = show) -> [Decided] {
        (try? Command.createShow(id, name: "Friday Club Night", venue: venue, startsAt: now.addingTimeInterval(86_400))
            .decide(given: Aggregates(), by: operatorName, now: now)) ?? []
    }

    static func submitted() -> [Decided] {
        created() + [Decided(.show(show), .showSubmitted(ShowSubmitted(showId: show, by: operatorName, at: now)))]
    }

    static func onSale() -> [Decided] {
        submitted() + [Decided(.show(show), .showApproved(ShowApproved(showId: show, by: operatorName, at: now)))]
    }

    static func held(_ reservation: ReservationID, _ seats: [SeatID], until: Date = now.addingTimeInterval(300)) -> [Decided] {
        [
            Decided(.inventory(show), .seatsHeld(SeatsHeld(showId: show, reservationId: reservation, seats: seats, expiresAt: until, by: "buyer-1", at: now))),
            Decided(.reservation(reservation), .reservationRequested(ReservationRequested(
                reservationId: reservation, showId: show, seats: seats, customer: "Ben", amountMinor: 5000 * Int64(seats.count),
                currency: "EUR", by: "buyer-1", at: now
            ))),
            Decided(.reservation(reservation), .reservationHeld(ReservationHeld(
                reservationId: reservation, showId: show, seats: seats, expiresAt: until, by: "buyer-1", at: now
            ))),
        ]
    }

    static func blocked(_ seats: [SeatID]) -> [Decided] {
        [Decided(.inventory(show), .seatsBlocked(SeatsBlocked(showId: show, reservationId: nil, seats: seats, by: operatorName, at: now)))]
    }

    static func sold(_ reservation: ReservationID, _ seats: [SeatID]) -> [Decided] {
        [
            Decided(.reservation(reservation), .reservationConfirmed(ReservationConfirmed(
                reservationId: reservation, showId: show, seats: seats, amountMinor: 5000 * Int64(seats.count), currency: "EUR",
                by: "saga", at: now
            ))),
            Decided(.inventory(show), .seatsSold(SeatsSold(showId: show, reservationId: reservation, seats: seats, by: "saga", at: now))),
        ]
    }
}

/// Given these events, when this command, then these events or this error. Streams are kept
/// apart and the command sees only the streams it reads, as the real handler loads them.
struct Given {
    var streams: [StreamRef: Aggregates] = [:]

    init(_ history: [Decided]) {
        for item in history { streams[item.stream, default: Aggregates()].apply(item.event, on: item.stream) }
    }

    /// The aggregates a command would be decided against.
    func view(for command: Command) -> Aggregates {
        var state = Aggregates()
        var seen = Set<StreamRef>()
        for _ in 0..<3 {
            for ref in command.reads(given: state) where seen.insert(ref).inserted {
                if let stream = streams[ref] { state.take(ref, from: stream) }
            }
        }
        return state
    }

    func when(_ command: Command, at now: Date = Fixture.now, by actor: String = Fixture.operatorName, policy: Policy = Policy()) throws(TicketingError) -> [Decided] {
        try command.decide(given: view(for: command), by: actor, now: now, policy: policy)
    }

    func refusal(_ command: Command, at now: Date = Fixture.now, by actor: String = Fixture.operatorName) -> TicketingError? {
        do {
            _ = try when(command, at: now, by: actor)
            return nil
        } catch {
            return error
        }
    }

    var show: ShowState? { streams[.show(Fixture.show)]?.show }
    var inventory: InventoryState? { streams[.inventory(Fixture.show)]?.inventory }
}
