import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The fold behind `EventFeed`.
extension EventFeed: Projection {
    public var name: String { "eventFeed" }
    /// Only the last `limit` events are kept, so only they need folding.
    public var window: Int64? { Int64(limit) }

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Entry>) {
        rows[Self.key(recorded.position)] = Entry(
            position: recorded.position, at: recorded.recordedAt, stream: recorded.streamId, type: recorded.type,
            kind: Self.kind(of: event), summary: Self.summary(of: event), actor: recorded.metadata.actor ?? event.by,
            correlationId: recorded.metadata.correlationId
        )
        if recorded.position > Int64(limit) { rows[Self.key(recorded.position - Int64(limit))] = nil }
    }

    static func kind(of event: DomainEvent) -> Kind {
        switch event {
        case .showCreated, .showSubmitted, .showApproved, .showRejected, .showReopened, .showEdited, .salesClosed, .showCancelled, .inventoryInitialized, .tierPricesChanged: .show
        case .seatsHeld, .reservationRequested, .reservationHeld, .holdExtended: .hold
        case .seatsSold, .reservationConfirmed: .sale
        case .seatsReleased, .reservationCancelled, .reservationExpired, .reservationCompensated, .reservationRefunded: .release
        case .seatsBlocked, .seatsUnblocked: .block
        case .paymentRequested, .paymentSucceeded, .paymentFailed, .paymentRefunded: .payment
        }
    }

    static func seats(_ seats: [SeatID]) -> String {
        let shown = seats.prefix(4).map(\.rawValue).joined(separator: " ")
        return seats.count > 4 ? shown + " +\(seats.count - 4)" : shown
    }

    /// A one-line description of the event for the feed and `marquee events`.
    public static func summary(of event: DomainEvent) -> String {
        switch event {
        case .showCreated(let e): "\(e.name) at \(e.venueName), \(e.capacity) seats"
        case .showSubmitted(let e): "\(e.showId) submitted for approval"
        case .showApproved(let e): "\(e.showId) on sale"
        case .showRejected(let e): "\(e.showId) rejected: \(e.reason)"
        case .showReopened(let e): "\(e.showId) back to draft"
        case .showEdited(let e): "\(e.showId) edited" + (e.name.map { ": now \"\($0)\"" } ?? "") + (e.startsAt.map { (e.name == nil ? ": " : ", ") + "starts \(Timestamp.string($0))" } ?? "")
        case .salesClosed(let e): "\(e.showId) sales closed"
        case .showCancelled(let e): "\(e.showId) cancelled" + (e.reason.map { ": \($0)" } ?? "")
        case .inventoryInitialized(let e): "\(e.capacity) seats laid out from \(e.venue.name)"
        case .tierPricesChanged(let e):
            "\(e.showId) prices now " + e.prices.map { PriceText.written(tier: $0.tier, minor: $0.priceMinor) }.joined(separator: " ")
        case .seatsHeld(let e): "\(seats(e.seats)) held for \(e.reservationId)"
        case .seatsReleased(let e): "\(seats(e.seats)) released (\(e.reason.rawValue))"
        case .seatsSold(let e): "\(seats(e.seats)) sold to \(e.reservationId)"
        case .seatsBlocked(let e): "\(seats(e.seats)) blocked"
        case .seatsUnblocked(let e): "\(seats(e.seats)) unblocked"
        case .reservationRequested(let e): "\(e.customer) asks for \(e.seats.count) seat\(e.seats.count == 1 ? "" : "s") · \(Money(minor: e.amountMinor, currency: e.currency))"
        case .reservationHeld(let e): "\(seats(e.seats)) held"
        case .holdExtended(let e): "hold extended by \(Int(e.expiresAt.timeIntervalSince(e.previousExpiresAt))) s"
        case .reservationConfirmed(let e): "confirmed \(seats(e.seats)) · \(Money(minor: e.amountMinor, currency: e.currency))"
        case .reservationCancelled(let e): e.refundDue ? "cancelled; refund due" : "cancelled; \(seats(e.seats)) released"
        case .reservationExpired(let e): "hold expired; \(seats(e.seats)) released"
        case .reservationCompensated(let e): "payment failed (\(e.reason)); \(seats(e.seats)) released"
        case .reservationRefunded(let e): "refunded \(Money(minor: e.amountMinor, currency: e.currency))"
        case .paymentRequested(let e): "\(e.method == .boxOffice ? "box office" : "card") payment of \(Money(minor: e.amountMinor, currency: e.currency)) for \(e.reservationId)"
        case .paymentSucceeded(let e): "payment of \(Money(minor: e.amountMinor, currency: e.currency)) taken for \(e.reservationId)"
        case .paymentFailed(let e): "payment for \(e.reservationId) failed: \(e.reason)"
        case .paymentRefunded(let e): "\(Money(minor: e.amountMinor, currency: e.currency)) refunded for \(e.reservationId)"
        }
    }
}

// The feed is loaded whenever a store opens: coded by hand (same JSON as Codable).
extension EventFeed.Entry: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var position: Int64?, at: Date?, stream: String?, type: String?, kind: EventFeed.Kind?, summary: String?, actor: String?
            var correlationId: String?
            try scanner.object { key, scanner in
                switch key {
                case "position": position = try scanner.int()
                case "at": at = try scanner.date()
                case "stream": stream = try scanner.string()
                case "type": type = try scanner.string()
                case "kind": kind = EventFeed.Kind(rawValue: try scanner.string())
                case "summary": summary = try scanner.string()
                case "actor": actor = try scanner.string()
                case "correlationId": correlationId = try scanner.optionalString()
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let position, let at, let stream, let type, let kind, let summary, let actor else { return nil }
            return Self(position: position, at: at, stream: stream, type: type, kind: kind, summary: summary, actor: actor, correlationId: correlationId)
        }
        return decoded ?? nil
    }

    /// Keys in sorted order and an absent correlation id left out, as `Codable` writes them.
    func fastEncode() -> Data {
        var w = JSONObjectWriter()
        w.string("actor", actor); w.date("at", at)
        if let correlationId { w.string("correlationId", correlationId) }
        w.string("kind", kind.rawValue); w.int("position", position); w.string("stream", stream); w.string("summary", summary)
        w.string("type", type)
        return w.finish()
    }
}
