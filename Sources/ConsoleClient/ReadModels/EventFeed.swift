import Foundation
import Ticketing

/// The latest events as display records (time, position, stream, type, one-line summary, actor,
/// correlation id). Keyed by the zero-padded position; keeps the last `limit`.
public struct EventFeed: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var position: Int64
        public var at: Date
        public var stream: String
        public var type: String
        /// What kind of thing happened, for colouring.
        public var kind: Kind
        public var summary: String
        public var actor: String
        public var correlationId: String?

        public init(
            position: Int64, at: Date, stream: String, type: String, kind: Kind, summary: String, actor: String, correlationId: String?
        ) {
            (self.position, self.at, self.stream, self.type, self.kind) = (position, at, stream, type, kind)
            (self.summary, self.actor, self.correlationId) = (summary, actor, correlationId)
        }
    }

    /// What kind of thing an event did; its raw value is stored and names the theme's style (`feed.type.sale`).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case show, hold, sale, release, block, payment
    }

    public let limit: Int

    public init(limit: Int = 500) { self.limit = max(limit, 1) }

    public static func key(_ position: Int64) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}

extension RowSet where Row == EventFeed.Entry {
    /// The newest entries first, optionally only those whose type or stream contains `filter`.
    /// The newest `limit` entries (matching `filter`), found by walking down from the newest
    /// position rather than sorting the whole feed: what a frame of the feed panel needs.
    /// `head`, the store's newest position when known, is where the newest entry usually is:
    /// found there, the feed is not scanned for it.
    public func newest(_ limit: Int, matching filter: String? = nil, head: Int64? = nil) -> [EventFeed.Entry] {
        guard limit > 0 else { return [] }
        var position: Int64
        if let head, rows[EventFeed.key(head)] != nil {
            position = head
        } else {
            // The newest key, from the keys alone (zero-padded positions sort as numbers).
            guard let newest = rows.keys.max(), let found = Int64(newest) else { return [] }
            position = found
        }
        let needle = filter.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        var found: [EventFeed.Entry] = []
        var seen = 0
        while found.count < limit, seen < rows.count, position > 0 {
            if let entry = rows[EventFeed.key(position)] {
                seen += 1
                if needle.map({ entry.type.lowercased().contains($0) || entry.stream.lowercased().contains($0) }) ?? true { found.append(entry) }
            }
            position -= 1
        }
        return found
    }

    public func newestFirst(matching filter: String? = nil) -> [EventFeed.Entry] {
        let all = rows.values.sorted { $0.position > $1.position }
        guard let filter, !filter.isEmpty else { return all }
        let needle = filter.lowercased()
        return all.filter { $0.type.lowercased().contains(needle) || $0.stream.lowercased().contains(needle) }
    }
}
