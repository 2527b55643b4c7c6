import Foundation

extension Command {
    static func onSaleInventory(_ show: ShowID, _ state: Aggregates) throws(TicketingError) -> InventoryState {
        guard let showState = state.show, let inventory = state.inventory else { throw .showNotFound(show) }
        guard showState.isOnSale else { throw .notOnSale(show, status: showState.status.name) }
        return inventory
    }

    /// Seats as the layout knows them, refusing empty, oversized, duplicate and unknown lists.
    static func validatedSeats(_ seats: [SeatID], in inventory: InventoryState) throws(TicketingError) -> [VenueLayout.Seat] {
        guard (1...TicketingError.maximumQuantity).contains(seats.count) else { throw .invalidQuantity(seats.count) }
        return try knownSeats(seats, in: inventory)
    }

    private static func knownSeats(_ seats: [SeatID], in inventory: InventoryState) throws(TicketingError) -> [VenueLayout.Seat] {
        var seen = Set<SeatID>()
        let duplicates = seats.filter { !seen.insert($0).inserted }
        guard duplicates.isEmpty else { throw .duplicateSeats(Array(Set(duplicates)).sorted()) }
        var known: [VenueLayout.Seat] = []
        var unknown: [SeatID] = []
        for id in seats {
            if let seat = inventory.layout.seat(id) { known.append(seat) } else { unknown.append(id) }
        }
        guard unknown.isEmpty else { throw .unknownSeats(unknown, hint: inventory.layout.hint(for: unknown[0])) }
        return known
    }

    static func reserve(
        _ seats: [VenueLayout.Seat], _ inventory: InventoryState, _ customer: String, _ reservation: ReservationID,
        _ holdFor: TimeInterval, _ state: Aggregates, _ actor: String, _ now: Date
    ) throws(TicketingError) -> [Decided] {
        guard state.reservation == nil else { throw .reservationAlreadyExists(reservation) }
        let name = try validatedCustomer(customer)
        let taken = seats.map(\.id).filter { inventory.state(of: $0) != .available }
        guard taken.isEmpty else { throw .seatsUnavailable(taken) }
        let ids = seats.map(\.id)
        let show = inventory.showId
        let currency = inventory.layout.venue.currency
        var total: Money? = .zero(currency)
        for seat in seats { total = total?.adding(seat.price) }
        // Only a store written before prices were bounded can hold prices this large.
        guard let amount = total?.minor else { throw .amountTooLarge(seats: seats.count) }
        let expiresAt = now.addingTimeInterval(max(holdFor, 1))
        return [
            Decided(.inventory(show), .seatsHeld(SeatsHeld(
                showId: show, reservationId: reservation, seats: ids, expiresAt: expiresAt, by: actor, at: now
            ))),
            Decided(.reservation(reservation), .reservationRequested(ReservationRequested(
                reservationId: reservation, showId: show, seats: ids, customer: name,
                amountMinor: amount, currency: currency, by: actor, at: now
            ))),
            Decided(.reservation(reservation), .reservationHeld(ReservationHeld(
                reservationId: reservation, showId: show, seats: ids, expiresAt: expiresAt, by: actor, at: now
            ))),
        ]
    }

    static func validatedCustomer(_ customer: String) throws(TicketingError) -> String {
        let trimmed = customer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidCustomer("is empty") }
        guard trimmed.count <= 80 else { throw .invalidCustomer("is \(trimmed.count) characters long") }
        return trimmed
    }

    static func block(
        _ show: ShowID, _ seats: [SeatID], _ state: Aggregates, _ actor: String, _ now: Date
    ) throws(TicketingError) -> [Decided] {
        let inventory = try blockableInventory(show, state, action: "block seats of")
        guard (1...TicketingError.maximumBlock).contains(seats.count) else { throw .invalidBlockCount(seats.count) }
        let ids = try knownSeats(seats, in: inventory).map(\.id)
        let taken = ids.filter { inventory.state(of: $0) != .available }
        guard taken.isEmpty else { throw .seatsUnavailable(taken) }
        return [Decided(.inventory(show), .seatsBlocked(SeatsBlocked(
            showId: show, reservationId: nil, seats: ids, by: actor, at: now
        )))]
    }

    static func unblock(
        _ show: ShowID, _ seats: [SeatID], _ state: Aggregates, _ actor: String, _ now: Date
    ) throws(TicketingError) -> [Decided] {
        let inventory = try blockableInventory(show, state, action: "unblock seats of")
        guard (1...TicketingError.maximumBlock).contains(seats.count) else { throw .invalidBlockCount(seats.count) }
        let ids = try knownSeats(seats, in: inventory).map(\.id)
        let notBlocked = ids.filter { inventory.state(of: $0) != .blocked }
        guard notBlocked.isEmpty else { throw .seatsNotBlocked(notBlocked) }
        return [Decided(.inventory(show), .seatsUnblocked(SeatsUnblocked(
            showId: show, reservationId: nil, seats: ids, by: actor, at: now
        )))]
    }

    private static func blockableInventory(
        _ show: ShowID, _ state: Aggregates, action: String
    ) throws(TicketingError) -> InventoryState {
        guard let showState = state.show, let inventory = state.inventory else { throw .showNotFound(show) }
        guard showState.status != .cancelled else {
            throw .invalidTransition(subject: "show \(show)", from: showState.status.name, action: action)
        }
        return inventory
    }
}
