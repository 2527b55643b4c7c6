import Foundation
import Ticketing

/// Sales per show: revenue and tickets (net of refunds), by section and price tier, tickets per
/// minute over the last hour, and how holds ended. Keyed by show id.
public struct SalesAnalytics: Sendable {
    /// Tickets and revenue of a section or tier.
    public struct Tally: Codable, Sendable, Equatable {
        public var tickets = 0
        public var revenueMinor: Int64 = 0

        public init(tickets: Int = 0, revenueMinor: Int64 = 0) { (self.tickets, self.revenueMinor) = (tickets, revenueMinor) }
    }

    public struct ShowSales: Codable, Sendable, Equatable {
        public var showId: ShowID
        public var currency: String
        public var capacity: Int
        public var revenueMinor: Int64 = 0
        public var sold = 0
        public var requested = 0
        public var confirmed = 0
        public var expired = 0
        public var cancelled = 0
        public var compensated = 0
        public var refunded = 0
        public var bySection: [String: Tally] = [:]
        public var byTier: [String: Tally] = [:]
        /// Minute since 1970 → tickets confirmed in it; only the last 60 minutes are kept.
        public var perMinute: [Int64: Int] = [:]
        /// `Section-Row` → tier id, and tier id → price, from the venue.
        public var rowTiers: [String: String] = [:]
        public var tierPrices: [String: Int64] = [:]

        public init(showId: ShowID, currency: String, capacity: Int) { (self.showId, self.currency, self.capacity) = (showId, currency, capacity) }

        public var revenue: Money { Money(minor: revenueMinor, currency: currency) }
        public var averagePriceMinor: Int64 { sold == 0 ? 0 : revenueMinor / Int64(sold) }
        /// Confirmed reservations per reservation requested (0…1).
        public var conversion: Double { requested == 0 ? 0 : Double(confirmed) / Double(requested) }
        public var sellThrough: Double { capacity == 0 ? 0 : Double(sold) / Double(capacity) }
        public var mostPopularSection: String? {
            bySection.filter { $0.value.tickets > 0 }.max { ($0.value.tickets, $1.key) < ($1.value.tickets, $0.key) }?.key
        }

        /// Tickets per minute for the 60 minutes ending at `now`, oldest first.
        public func lastHour(endingAt now: Date) -> [Int] {
            let current = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
            return (0..<60).map { perMinute[current - 59 + Int64($0)] ?? 0 }
        }
    }

    public init() {}
}

extension RowSet where Row == SalesAnalytics.ShowSales {
    /// Revenue and tickets over every show, per currency.
    public func totals() -> [String: (revenueMinor: Int64, sold: Int)] {
        rows.values.reduce(into: [:]) { totals, sales in
            let current = totals[sales.currency] ?? (0, 0)
            totals[sales.currency] = (current.0.saturatingAdd(sales.revenueMinor), current.1 + sales.sold)
        }
    }

    /// The section name with the most tickets sold across all shows.
    public func mostPopularSection() -> String? {
        var tickets: [String: Int] = [:]
        for sales in rows.values { for (section, tally) in sales.bySection { tickets[section, default: 0] += tally.tickets } }
        return tickets.filter { $0.value > 0 }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}
