import Foundation

/// A draft's prices changed: the tiers whose price changed and their new prices, in tier order.
public struct TierPricesChanged: DomainEventPayload {
    public static let typeName = "TierPricesChanged"

    public struct Price: Codable, Hashable, Sendable {
        public var tier: String
        public var priceMinor: Int64

        public init(tier: String, priceMinor: Int64) {
            self.tier = tier
            self.priceMinor = priceMinor
        }
    }

    public var showId: ShowID
    public var prices: [Price]
    public var by: String
    public var at: Date

    public init(showId: ShowID, prices: [Price], by: String, at: Date) {
        self.showId = showId
        self.prices = prices
        self.by = by
        self.at = at
    }

    /// The venue with these prices.
    public func applied(to venue: Venue) -> Venue {
        var venue = venue
        for price in prices {
            if let index = venue.tiers.firstIndex(where: { $0.id == price.tier }) { venue.tiers[index].priceMinor = price.priceMinor }
        }
        return venue
    }
}

/// A show's seat inventory was laid out from its venue; every seat starts available.
public struct InventoryInitialized: DomainEventPayload {
    public static let typeName = "InventoryInitialized"

    public var showId: ShowID
    public var venue: Venue
    public var capacity: Int
    public var by: String
    public var at: Date

    public init(showId: ShowID, venue: Venue, capacity: Int, by: String, at: Date) {
        self.showId = showId
        self.venue = venue
        self.capacity = capacity
        self.by = by
        self.at = at
    }
}

/// Seats were held for a reservation until `expiresAt`.
public struct SeatsHeld: DomainEventPayload {
    public static let typeName = "SeatsHeld"

    public var showId: ShowID
    public var reservationId: ReservationID
    public var seats: [SeatID]
    public var expiresAt: Date
    public var by: String
    public var at: Date

    public init(showId: ShowID, reservationId: ReservationID, seats: [SeatID], expiresAt: Date, by: String, at: Date) {
        self.showId = showId
        self.reservationId = reservationId
        self.seats = seats
        self.expiresAt = expiresAt
        self.by = by
        self.at = at
    }
}

/// Why held or sold seats went back on sale.
public enum ReleaseReason: String, Sendable, Codable, Hashable {
    case cancelled, expired, compensated, refunded
}

/// Held or sold seats became available again.
public struct SeatsReleased: DomainEventPayload {
    public static let typeName = "SeatsReleased"

    public var showId: ShowID
    public var reservationId: ReservationID
    public var seats: [SeatID]
    public var reason: ReleaseReason
    public var by: String
    public var at: Date

    public init(showId: ShowID, reservationId: ReservationID, seats: [SeatID], reason: ReleaseReason, by: String, at: Date) {
        self.showId = showId
        self.reservationId = reservationId
        self.seats = seats
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// Held seats were sold to their reservation.
public struct SeatsSold: DomainEventPayload {
    public static let typeName = "SeatsSold"

    public var showId: ShowID
    public var reservationId: ReservationID
    public var seats: [SeatID]
    public var by: String
    public var at: Date

    public init(showId: ShowID, reservationId: ReservationID, seats: [SeatID], by: String, at: Date) {
        self.showId = showId
        self.reservationId = reservationId
        self.seats = seats
        self.by = by
        self.at = at
    }
}

/// Seats were taken off sale by an operator (house seats, broken seats).
public struct SeatsBlocked: DomainEventPayload {
    public static let typeName = "SeatsBlocked"

    public var showId: ShowID
    public var reservationId: ReservationID?
    public var seats: [SeatID]
    public var by: String
    public var at: Date

    public init(showId: ShowID, reservationId: ReservationID?, seats: [SeatID], by: String, at: Date) {
        self.showId = showId
        self.reservationId = reservationId
        self.seats = seats
        self.by = by
        self.at = at
    }
}

/// Blocked seats were put back on sale.
public struct SeatsUnblocked: DomainEventPayload {
    public static let typeName = "SeatsUnblocked"

    public var showId: ShowID
    public var reservationId: ReservationID?
    public var seats: [SeatID]
    public var by: String
    public var at: Date

    public init(showId: ShowID, reservationId: ReservationID?, seats: [SeatID], by: String, at: Date) {
        self.showId = showId
        self.reservationId = reservationId
        self.seats = seats
        self.by = by
        self.at = at
    }
}

// Seat events always carry `reservationId`, null when blocking; synthesized coding would drop it.
extension SeatsHeld { public func encode(to encoder: any Encoder) throws { try encodeSeatEvent(self, to: encoder) } }
extension SeatsReleased { public func encode(to encoder: any Encoder) throws { try encodeSeatEvent(self, to: encoder) } }
extension SeatsSold { public func encode(to encoder: any Encoder) throws { try encodeSeatEvent(self, to: encoder) } }
extension SeatsBlocked { public func encode(to encoder: any Encoder) throws { try encodeSeatEvent(self, to: encoder) } }
extension SeatsUnblocked { public func encode(to encoder: any Encoder) throws { try encodeSeatEvent(self, to: encoder) } }

/// The fields every seat event shares, so one encoder writes them all with explicit nulls.
protocol SeatEvent {
    var showId: ShowID { get }
    var reservationIdIfAny: ReservationID? { get }
    var seats: [SeatID] { get }
    var by: String { get }
    var at: Date { get }
    var expiresAtIfAny: Date? { get }
    var reasonIfAny: ReleaseReason? { get }
}

extension SeatsHeld: SeatEvent {
    var reservationIdIfAny: ReservationID? { reservationId }
    var expiresAtIfAny: Date? { expiresAt }
    var reasonIfAny: ReleaseReason? { nil }
}
extension SeatsReleased: SeatEvent {
    var reservationIdIfAny: ReservationID? { reservationId }
    var expiresAtIfAny: Date? { nil }
    var reasonIfAny: ReleaseReason? { reason }
}
extension SeatsSold: SeatEvent {
    var reservationIdIfAny: ReservationID? { reservationId }
    var expiresAtIfAny: Date? { nil }
    var reasonIfAny: ReleaseReason? { nil }
}
extension SeatsBlocked: SeatEvent {
    var reservationIdIfAny: ReservationID? { reservationId }
    var expiresAtIfAny: Date? { nil }
    var reasonIfAny: ReleaseReason? { nil }
}
extension SeatsUnblocked: SeatEvent {
    var reservationIdIfAny: ReservationID? { reservationId }
    var expiresAtIfAny: Date? { nil }
    var reasonIfAny: ReleaseReason? { nil }
}

private enum SeatEventKeys: String, CodingKey { case showId, reservationId, seats, expiresAt, reason, by, at }

private func encodeSeatEvent(_ event: some SeatEvent, to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: SeatEventKeys.self)
    try container.encode(event.showId, forKey: .showId)
    try container.encode(event.reservationIdIfAny, forKey: .reservationId)
    try container.encode(event.seats, forKey: .seats)
    if let expiresAt = event.expiresAtIfAny { try container.encode(expiresAt, forKey: .expiresAt) }
    if let reason = event.reasonIfAny { try container.encode(reason, forKey: .reason) }
    try container.encode(event.by, forKey: .by)
    try container.encode(event.at, forKey: .at)
}
