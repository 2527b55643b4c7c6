import Foundation

/// Where a show is in its lifecycle.
public enum ShowStatus: Hashable, Sendable, Codable {
    case draft, submitted, approved, rejected(reason: String), salesClosed, cancelled

    /// The status without a rejection's reason: what read models keep. Its raw value is the
    /// name `shows --json` prints and read-model rows store (contract).
    public enum Stage: String, Hashable, Sendable, Codable, CaseIterable {
        case draft, submitted, approved, rejected, salesClosed, cancelled
    }

    public var stage: Stage {
        switch self {
        case .draft: .draft
        case .submitted: .submitted
        case .approved: .approved
        case .rejected: .rejected
        case .salesClosed: .salesClosed
        case .cancelled: .cancelled
        }
    }

    /// The status as `shows --json` and the console name it.
    public var name: String { stage.rawValue }
}

/// What decisions about a show need to know: its identity and lifecycle status.
public struct ShowState: Hashable, Sendable, Codable {
    public var id: ShowID
    public var name: String
    public var venueId: String
    public var startsAt: Date
    public var status: ShowStatus
    /// Who submitted it for approval, while it is submitted (nil before, and in snapshots
    /// written before this was recorded).
    public var submittedBy: String?

    public var isOnSale: Bool { status == .approved }

    /// Folds one event of the show's stream; events of other streams leave the state as it is.
    public static func evolve(_ state: ShowState?, _ event: DomainEvent) -> ShowState? {
        if case .showCreated(let e) = event {
            return ShowState(id: e.showId, name: e.name, venueId: e.venueId, startsAt: e.startsAt, status: .draft)
        }
        guard var state else { return nil }
        switch event {
        case .showSubmitted(let e):
            state.status = .submitted
            state.submittedBy = e.by
        case .showApproved: state.status = .approved
        case .showRejected(let e): state.status = .rejected(reason: e.reason)
        case .showEdited(let e):
            if let name = e.name { state.name = name }
            if let startsAt = e.startsAt { state.startsAt = startsAt }
        case .showReopened:
            state.status = .draft
            state.submittedBy = nil
        case .salesClosed: state.status = .salesClosed
        case .showCancelled: state.status = .cancelled
        default: break
        }
        return state
    }
}
