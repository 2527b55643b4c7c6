import Foundation

/// A show was created as a draft.
public struct ShowCreated: DomainEventPayload {
    public static let typeName = "ShowCreated"

    public var showId: ShowID
    public var name: String
    public var venueId: String
    public var venueName: String
    public var startsAt: Date
    public var capacity: Int
    public var by: String
    public var at: Date

    public init(showId: ShowID, name: String, venueId: String, venueName: String, startsAt: Date, capacity: Int, by: String, at: Date) {
        self.showId = showId
        self.name = name
        self.venueId = venueId
        self.venueName = venueName
        self.startsAt = startsAt
        self.capacity = capacity
        self.by = by
        self.at = at
    }
}

/// A draft show was submitted for approval.
public struct ShowSubmitted: DomainEventPayload {
    public static let typeName = "ShowSubmitted"

    public var showId: ShowID
    public var by: String
    public var at: Date

    public init(showId: ShowID, by: String, at: Date) {
        self.showId = showId
        self.by = by
        self.at = at
    }
}

/// A submitted show was approved and went on sale.
public struct ShowApproved: DomainEventPayload {
    public static let typeName = "ShowApproved"

    public var showId: ShowID
    public var by: String
    public var at: Date

    public init(showId: ShowID, by: String, at: Date) {
        self.showId = showId
        self.by = by
        self.at = at
    }
}

/// A submitted show was rejected with a reason.
public struct ShowRejected: DomainEventPayload {
    public static let typeName = "ShowRejected"

    public var showId: ShowID
    public var reason: String
    public var by: String
    public var at: Date

    public init(showId: ShowID, reason: String, by: String, at: Date) {
        self.showId = showId
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// A rejected show went back to draft so it can be edited and resubmitted.
public struct ShowReopened: DomainEventPayload {
    public static let typeName = "ShowReopened"

    public var showId: ShowID
    public var by: String
    public var at: Date

    public init(showId: ShowID, by: String, at: Date) {
        self.showId = showId
        self.by = by
        self.at = at
    }
}

/// A draft show's name or start changed (only what changed is recorded).
public struct ShowEdited: DomainEventPayload {
    public static let typeName = "ShowEdited"

    public var showId: ShowID
    public var name: String?
    public var startsAt: Date?
    public var by: String
    public var at: Date

    public init(showId: ShowID, name: String?, startsAt: Date?, by: String, at: Date) {
        self.showId = showId
        self.name = name
        self.startsAt = startsAt
        self.by = by
        self.at = at
    }
}

/// An on-sale show stopped selling; existing reservations are unaffected.
public struct SalesClosed: DomainEventPayload {
    public static let typeName = "SalesClosed"

    public var showId: ShowID
    public var by: String
    public var at: Date

    public init(showId: ShowID, by: String, at: Date) {
        self.showId = showId
        self.by = by
        self.at = at
    }
}

/// A show was cancelled; the saga refunds its sales and releases its holds.
public struct ShowCancelled: DomainEventPayload {
    public static let typeName = "ShowCancelled"

    public var showId: ShowID
    public var reason: String?
    public var by: String
    public var at: Date

    public init(showId: ShowID, reason: String?, by: String, at: Date) {
        self.showId = showId
        self.reason = reason
        self.by = by
        self.at = at
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(showId, forKey: .showId)
        try container.encode(reason, forKey: .reason)
        try container.encode(by, forKey: .by)
        try container.encode(at, forKey: .at)
    }
}
