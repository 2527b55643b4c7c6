import Foundation
import Ticketing

/// Every show with its status and who moved it when; the approval queue is the submitted
/// ones, oldest first. Keyed by show id.
public struct ShowQueue: Sendable {
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

        public init(
            id: ShowID, name: String, venueId: String, venueName: String, startsAt: Date, capacity: Int, status: ShowStatus.Stage,
            createdBy: String, createdAt: Date, submittedBy: String? = nil, submittedAt: Date? = nil, approvedBy: String? = nil,
            approvedAt: Date? = nil, rejectedBy: String? = nil, rejectedAt: Date? = nil, rejectionReason: String? = nil, updatedAt: Date
        ) {
            (self.id, self.name, self.venueId, self.venueName, self.startsAt, self.capacity, self.status) = (id, name, venueId, venueName, startsAt, capacity, status)
            (self.createdBy, self.createdAt, self.submittedBy, self.submittedAt) = (createdBy, createdAt, submittedBy, submittedAt)
            (self.approvedBy, self.approvedAt, self.rejectedBy, self.rejectedAt) = (approvedBy, approvedAt, rejectedBy, rejectedAt)
            (self.rejectionReason, self.updatedAt) = (rejectionReason, updatedAt)
        }
    }

    public init() {}
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
