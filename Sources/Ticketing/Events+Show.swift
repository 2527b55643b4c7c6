import Foundation

/// A show was created as a draft.
public struct ShowCreated: DomainEventPayload {
    public var showId: ShowID
    public var name: String
    public var venueId: String
    public var venueName: String
    public var startsAt: Date
    public var capacity: Int
    public var by: String
    public var at: Date
}

/// A draft show was submitted for approval.
public struct ShowSubmitted: DomainEventPayload {
    public var showId: ShowID
    public var by: String
    public var at: Date
}

/// A submitted show was approved and went on sale.
public struct ShowApproved: DomainEventPayload {
    public var showId: ShowID
    public var by: String
    public var at: Date
}

/// A submitted show was rejected with a reason.
public struct ShowRejected: DomainEventPayload {
    public var showId: ShowID
    public var reason: String
    public var by: String
    public var at: Date
}

/// A rejected show went back to draft so it can be edited and resubmitted.
public struct ShowReopened: DomainEventPayload {
    public var showId: ShowID
    public var by: String
    public var at: Date
}

/// An on-sale show stopped selling; existing reservations are unaffected.
public struct SalesClosed: DomainEventPayload {
    public var showId: ShowID
    public var by: String
    public var at: Date
}

/// A show was cancelled; the saga refunds its sales and releases its holds.
public struct ShowCancelled: DomainEventPayload {
    public var showId: ShowID
    public var reason: String?
    public var by: String
    public var at: Date

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(showId, forKey: .showId)
        try container.encode(reason, forKey: .reason)
        try container.encode(by, forKey: .by)
        try container.encode(at, forKey: .at)
    }
}
