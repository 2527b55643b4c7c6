import EventStore
import Foundation
import Ticketing

/// Every show with its status and who moved it when; the approval queue is the submitted
/// ones, oldest first. Keyed by show id.
public struct ShowQueue: Projection {
    public struct Show: Codable, Sendable, Equatable {
        public var id: ShowID
        public var name: String
        public var venueId: String
        public var venueName: String
        public var startsAt: Date
        public var capacity: Int
        public var status: ShowStatus.Stage
        public var createdBy: String
        public var createdAt: Date
        public var submittedBy: String?
        public var submittedAt: Date?
        public var approvedBy: String?
        public var approvedAt: Date?
        public var rejectedBy: String?
        public var rejectedAt: Date?
        public var rejectionReason: String?
        public var updatedAt: Date
    }

    public var name: String { "showQueue" }
    public init() {}

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Show>) {
        if case .showCreated(let e) = event {
            rows[e.showId.rawValue] = Show(
                id: e.showId, name: e.name, venueId: e.venueId, venueName: e.venueName, startsAt: e.startsAt,
                capacity: e.capacity, status: .draft, createdBy: e.by, createdAt: e.at, updatedAt: e.at
            )
            return
        }
        let showID: ShowID
        switch event {
        case .showSubmitted(let e): showID = e.showId
        case .showApproved(let e): showID = e.showId
        case .showRejected(let e): showID = e.showId
        case .showReopened(let e): showID = e.showId
        case .salesClosed(let e): showID = e.showId
        case .showCancelled(let e): showID = e.showId
        default: return
        }
        guard var show = rows[showID.rawValue] else { return }
        show.updatedAt = event.at
        switch event {
        case .showSubmitted(let e):
            show.status = .submitted
            show.submittedBy = e.by
            show.submittedAt = e.at
        case .showApproved(let e):
            show.status = .approved
            show.approvedBy = e.by
            show.approvedAt = e.at
        case .showRejected(let e):
            show.status = .rejected
            show.rejectedBy = e.by
            show.rejectedAt = e.at
            show.rejectionReason = e.reason
        case .showReopened: show.status = .draft
        case .salesClosed: show.status = .salesClosed
        case .showCancelled: show.status = .cancelled
        default: break
        }
        rows[showID.rawValue] = show
    }
}

extension RowSet where Row == ShowQueue.Show {
    /// Shows waiting for approval, oldest submission first.
    public var approvalQueue: [ShowQueue.Show] {
        rows.values.filter { $0.status == .submitted }
            .sorted { ($0.submittedAt ?? $0.createdAt, $0.id) < ($1.submittedAt ?? $1.createdAt, $1.id) }
    }

    /// Every show: the approval queue first, then the rest by start time.
    public var all: [ShowQueue.Show] {
        approvalQueue + rows.values.filter { $0.status != .submitted }.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
    }
}
