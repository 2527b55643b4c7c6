import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The fold behind `ShowQueue`.
extension ShowQueue: Projection {
    public var name: String { "showQueue" }

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
        case .showEdited(let e): showID = e.showId
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
        case .showEdited(let e):
            if let name = e.name { show.name = name }
            if let startsAt = e.startsAt { show.startsAt = startsAt }
        case .salesClosed: show.status = .salesClosed
        case .showCancelled: show.status = .cancelled
        default: break
        }
        rows[showID.rawValue] = show
    }
}

// Every show is loaded whenever a store opens: coded by hand (same JSON as Codable).
extension ShowQueue.Show: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var id: String?, name: String?, venueId: String?, venueName: String?, startsAt: Date?, capacity: Int64?
            var status: ShowStatus.Stage?, createdBy: String?, createdAt: Date?, updatedAt: Date?
            var submittedBy: String?, submittedAt: Date?, approvedBy: String?, approvedAt: Date?
            var rejectedBy: String?, rejectedAt: Date?, rejectionReason: String?
            try scanner.object { key, scanner in
                switch key {
                case "id": id = try scanner.string()
                case "name": name = try scanner.string()
                case "venueId": venueId = try scanner.string()
                case "venueName": venueName = try scanner.string()
                case "startsAt": startsAt = try scanner.date()
                case "capacity": capacity = try scanner.int()
                case "status": status = ShowStatus.Stage(rawValue: try scanner.string())
                case "createdBy": createdBy = try scanner.string()
                case "createdAt": createdAt = try scanner.date()
                case "updatedAt": updatedAt = try scanner.date()
                case "submittedBy": submittedBy = try scanner.optionalString()
                case "submittedAt": submittedAt = scanner.null() ? nil : try scanner.date()
                case "approvedBy": approvedBy = try scanner.optionalString()
                case "approvedAt": approvedAt = scanner.null() ? nil : try scanner.date()
                case "rejectedBy": rejectedBy = try scanner.optionalString()
                case "rejectedAt": rejectedAt = scanner.null() ? nil : try scanner.date()
                case "rejectionReason": rejectionReason = try scanner.optionalString()
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let id, let name, let venueId, let venueName, let startsAt, let capacity, let status,
                  let createdBy, let createdAt, let updatedAt else { return nil }
            return Self(
                id: ShowID(id), name: name, venueId: venueId, venueName: venueName, startsAt: startsAt, capacity: Int(capacity),
                status: status, createdBy: createdBy, createdAt: createdAt, submittedBy: submittedBy, submittedAt: submittedAt,
                approvedBy: approvedBy, approvedAt: approvedAt, rejectedBy: rejectedBy, rejectedAt: rejectedAt,
                rejectionReason: rejectionReason, updatedAt: updatedAt
            )
        }
        return decoded ?? nil
    }

    /// Keys in sorted order and absent optionals left out, as `Codable` writes them.
    func fastEncode() -> Data {
        var w = JSONObjectWriter()
        if let approvedAt { w.date("approvedAt", approvedAt) }
        if let approvedBy { w.string("approvedBy", approvedBy) }
        w.int("capacity", Int64(capacity)); w.date("createdAt", createdAt); w.string("createdBy", createdBy)
        w.string("id", id.rawValue); w.string("name", name)
        if let rejectedAt { w.date("rejectedAt", rejectedAt) }
        if let rejectedBy { w.string("rejectedBy", rejectedBy) }
        if let rejectionReason { w.string("rejectionReason", rejectionReason) }
        w.date("startsAt", startsAt); w.string("status", status.rawValue)
        if let submittedAt { w.date("submittedAt", submittedAt) }
        if let submittedBy { w.string("submittedBy", submittedBy) }
        w.date("updatedAt", updatedAt); w.string("venueId", venueId); w.string("venueName", venueName)
        return w.finish()
    }
}
