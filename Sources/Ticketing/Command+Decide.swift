import Foundation

extension Command {
    /// Guards the command against the current state and returns the facts it produces, in
    /// order. Pure: `now`, `actor` and the store's `policy` come from the caller.
    public func decide(given state: Aggregates, by actor: String, now: Date, policy: Policy = Policy()) throws(TicketingError) -> [Decided] {
        switch self {
        case .createShow(let id, let name, let venue, let startsAt):
            return try Self.createShow(id, name: name, venue: venue, startsAt: startsAt, state, actor, now)
        case .submitShow, .approveShow, .rejectShow, .reopenShow, .editShow, .closeSales, .cancelShow:
            return try decideLifecycle(state, actor, now, policy)
        case .blockSeats(let show, let seats):
            return try Self.block(show, seats, state, actor, now)
        case .unblockSeats(let show, let seats):
            return try Self.unblock(show, seats, state, actor, now)
        case .reserveSeats(let show, let seats, let customer, let reservation, let holdFor):
            let inventory = try Self.onSaleInventory(show, state)
            let chosen = try Self.validatedSeats(seats, in: inventory)
            return try Self.reserve(chosen, inventory, customer, reservation, holdFor, state, actor, now)
        case .reserveBestAvailable(let show, let quantity, let section, let customer, let reservation, let holdFor):
            let inventory = try Self.onSaleInventory(show, state)
            guard (1...TicketingError.maximumQuantity).contains(quantity) else { throw .invalidQuantity(quantity) }
            let chosen = try BestAvailable.find(quantity: quantity, section: section, in: inventory)
            return try Self.reserve(chosen, inventory, customer, reservation, holdFor, state, actor, now)
        case .extendHold, .cancelReservation, .confirmReservation, .expireHold, .compensateReservation,
             .refundReservation:
            return try decideReservation(state, actor, now)
        case .requestPayment, .recordPaymentSucceeded, .recordPaymentFailed, .refundPayment:
            return try decidePayment(state, actor, now)
        }
    }

    private static func createShow(
        _ id: ShowID, name: String, venue: Venue, startsAt: Date, _ state: Aggregates, _ actor: String, _ now: Date
    ) throws(TicketingError) -> [Decided] {
        guard state.show == nil, state.inventory == nil else { throw .showAlreadyExists(id) }
        guard id.isValidSlug else { throw .invalidShowID(id) }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...120).contains(trimmed.count) else { throw .invalidShowName }
        try venue.validate()
        return [
            Decided(.show(id), .showCreated(ShowCreated(
                showId: id, name: trimmed, venueId: venue.id, venueName: venue.name, startsAt: startsAt,
                capacity: venue.capacity, by: actor, at: now
            ))),
            Decided(.inventory(id), .inventoryInitialized(InventoryInitialized(
                showId: id, venue: venue, capacity: venue.capacity, by: actor, at: now
            ))),
        ]
    }

    private func decideLifecycle(_ state: Aggregates, _ actor: String, _ now: Date, _ policy: Policy) throws(TicketingError) -> [Decided] {
        guard let id = showID else { return [] }
        guard let show = state.show else { throw .showNotFound(id) }
        func refuse(_ action: String) -> TicketingError {
            .invalidTransition(subject: "show \(id)", from: show.status.name, action: action)
        }
        let event: DomainEvent
        switch self {
        case .submitShow:
            guard show.status == .draft else { throw refuse("submit") }
            event = .showSubmitted(ShowSubmitted(showId: id, by: actor, at: now))
        case .approveShow:
            guard show.status == .submitted else { throw refuse("approve") }
            if !policy.allowsSelfApproval, let submitter = show.submittedBy, submitter == actor {
                throw .selfApproval(id, submittedBy: submitter)
            }
            event = .showApproved(ShowApproved(showId: id, by: actor, at: now))
        case .rejectShow(_, let reason):
            guard show.status == .submitted else { throw refuse("reject") }
            event = .showRejected(ShowRejected(showId: id, reason: try Self.validatedReason(reason), by: actor, at: now))
        case .editShow(_, let name, let startsAt, let prices):
            guard show.status == .draft else { throw refuse("edit") }
            let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let trimmed { guard (1...120).contains(trimmed.count) else { throw .invalidShowName } }
            let newName = trimmed == show.name ? nil : trimmed
            let newStart = startsAt == show.startsAt ? nil : startsAt
            var decided: [Decided] = []
            if newName != nil || newStart != nil {
                decided.append(Decided(.show(id), .showEdited(ShowEdited(showId: id, name: newName, startsAt: newStart, by: actor, at: now))))
            }
            if let changed = try Self.changedPrices(prices, state) {
                decided.append(Decided(.inventory(id), .tierPricesChanged(TierPricesChanged(showId: id, prices: changed, by: actor, at: now))))
            }
            guard !decided.isEmpty else { throw .nothingToEdit(id) }
            return decided
        case .reopenShow:
            guard case .rejected = show.status else { throw refuse("reopen") }
            event = .showReopened(ShowReopened(showId: id, by: actor, at: now))
        case .closeSales:
            guard show.status == .approved else { throw refuse("close sales for") }
            event = .salesClosed(SalesClosed(showId: id, by: actor, at: now))
        case .cancelShow(_, let reason):
            guard show.status != .cancelled else { throw refuse("cancel") }
            let checked: String? = try reason.map { (text: String) throws(TicketingError) -> String in try Self.validatedReason(text) }
            event = .showCancelled(ShowCancelled(showId: id, reason: checked, by: actor, at: now))
        default:
            return []
        }
        return [Decided(.show(id), event)]
    }

    /// The tiers whose price the operator changed, in tier order (nil: none); refused naming
    /// the tiers there are, or the price that cannot be.
    static func changedPrices(_ prices: [String: Int64], _ state: Aggregates) throws(TicketingError) -> [TierPricesChanged.Price]? {
        guard !prices.isEmpty else { return nil }
        guard let inventory = state.inventory else { throw .showNotFound(state.show?.id ?? ShowID("?")) }
        let venue = inventory.layout.venue
        var changed: [TierPricesChanged.Price] = []
        for (tier, minor) in prices.sorted(by: { $0.key < $1.key }) {
            guard let current = venue.tiers.first(where: { $0.id == tier }) else {
                throw .invalidVenue(venue: venue.id, problem: "there is no price tier \"\(tier)\"; its tiers are \(venue.tiers.map(\.id).joined(separator: ", "))")
            }
            if current.priceMinor != minor { changed.append(TierPricesChanged.Price(tier: tier, priceMinor: minor)) }
        }
        guard !changed.isEmpty else { return nil }
        // The new prices obey the venue's rules (not negative, not past the largest price).
        try TierPricesChanged(showId: inventory.showId, prices: changed, by: "", at: Date(timeIntervalSince1970: 0)).applied(to: venue).validate()
        return changed
    }

    static func validatedReason(_ reason: String) throws(TicketingError) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .emptyReason }
        guard trimmed.count <= TicketingError.maximumReasonLength else {
            throw .reasonTooLong(length: trimmed.count, maximum: TicketingError.maximumReasonLength)
        }
        return trimmed
    }
}
