import EventStore
import Foundation
import Ticketing

/// Sales per show: revenue and tickets (net of refunds), by section and price tier, tickets per
/// minute over the last hour, and how holds ended. Keyed by show id.
public struct SalesAnalytics: Projection {
    /// Tickets and revenue of a section or tier.
    public struct Tally: Codable, Sendable, Equatable {
        public var tickets = 0
        public var revenueMinor: Int64 = 0
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

    public var name: String { "salesAnalytics" }
    /// A closed show's sales are drawn only when the show is.
    public var history: HistoryRows? { .showsWithCountsOnlyRows(in: "availableSeats") }
    public init() {}

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<ShowSales>) {
        switch event {
        case .inventoryInitialized(let e):
            var sales = ShowSales(showId: e.showId, currency: e.venue.currency, capacity: e.capacity)
            for section in e.venue.sections {
                for row in section.rows { sales.rowTiers[section.name + "-" + row.label] = row.tier }
            }
            for tier in e.venue.tiers { sales.tierPrices[tier.id] = tier.priceMinor }
            rows[e.showId.rawValue] = sales
        case .reservationRequested(let e):
            change(e.showId, &rows) { $0.requested += 1 }
        case .reservationConfirmed(let e):
            change(e.showId, &rows) { sales in
                sales.confirmed += 1
                sales.tally(e.seats, sign: 1)
                let minute = Int64((e.at.timeIntervalSince1970 / 60).rounded(.down))
                sales.perMinute[minute, default: 0] += e.seats.count
                sales.perMinute = sales.perMinute.filter { $0.key > minute - 60 }
            }
        case .reservationRefunded(let e):
            change(e.showId, &rows) { sales in
                sales.refunded += 1
                sales.tally(e.seats, sign: -1)
            }
        case .reservationExpired(let e): change(e.showId, &rows) { $0.expired += 1 }
        case .reservationCancelled(let e): change(e.showId, &rows) { $0.cancelled += 1 }
        case .reservationCompensated(let e): change(e.showId, &rows) { $0.compensated += 1 }
        default: break
        }
    }

    private func change(_ show: ShowID, _ rows: inout RowSet<ShowSales>, _ body: (inout ShowSales) -> Void) {
        rows.modify(show.rawValue, body)
    }
}

extension SalesAnalytics.ShowSales {
    /// Adds (or, with sign −1, removes) seats' tickets and revenue at their tier's price.
    mutating func tally(_ seats: [SeatID], sign: Int) {
        for seat in seats {
            guard let parts = seat.parts else { continue }
            let tier = rowTiers[parts.section + "-" + parts.row] ?? "unknown"
            let price = (tierPrices[tier] ?? 0).saturatingMultiply(Int64(sign))
            sold += sign
            revenueMinor = revenueMinor.saturatingAdd(price)
            bySection[parts.section, default: .init()].tickets += sign
            bySection[parts.section, default: .init()].revenueMinor = bySection[parts.section, default: .init()].revenueMinor.saturatingAdd(price)
            byTier[tier, default: .init()].tickets += sign
            byTier[tier, default: .init()].revenueMinor = byTier[tier, default: .init()].revenueMinor.saturatingAdd(price)
        }
    }
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

// A row per show, every one read when a store opens: coded by hand (same JSON as Codable,
// `perMinute` as Codable writes an integer-keyed map: [minute, tickets, minute, tickets, …]).
extension SalesAnalytics.ShowSales: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        func tallies(_ scanner: inout JSONScanner) throws -> [String: SalesAnalytics.Tally] {
            var map: [String: SalesAnalytics.Tally] = [:]
            try scanner.object { key, scanner in
                var tally = SalesAnalytics.Tally()
                var fields = 0
                try scanner.object { field, scanner in
                    fields += 1
                    switch field {
                    case "tickets": tally.tickets = Int(try scanner.int())
                    case "revenueMinor": tally.revenueMinor = try scanner.int()
                    default: throw JSONScanner.Unexpected()
                    }
                }
                // Both keys, as Codable requires them.
                guard fields == 2 else { throw JSONScanner.Unexpected() }
                map[key] = tally
            }
            return map
        }
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var showId: String?, currency: String?, capacity: Int64?
            var sales = Self(showId: ShowID(""), currency: "", capacity: 0)
            // Codable requires every key; so does this reader (duplicates are refused by the scanner).
            var keys = 0
            try scanner.object { key, scanner in
                keys += 1
                switch key {
                case "showId": showId = try scanner.string()
                case "currency": currency = try scanner.string()
                case "capacity": capacity = try scanner.int()
                case "revenueMinor": sales.revenueMinor = try scanner.int()
                case "sold": sales.sold = Int(try scanner.int())
                case "requested": sales.requested = Int(try scanner.int())
                case "confirmed": sales.confirmed = Int(try scanner.int())
                case "expired": sales.expired = Int(try scanner.int())
                case "cancelled": sales.cancelled = Int(try scanner.int())
                case "compensated": sales.compensated = Int(try scanner.int())
                case "refunded": sales.refunded = Int(try scanner.int())
                case "bySection": sales.bySection = try tallies(&scanner)
                case "byTier": sales.byTier = try tallies(&scanner)
                case "perMinute":
                    var flat: [Int64] = []
                    try scanner.array { flat.append(try $0.int()) }
                    guard flat.count.isMultiple(of: 2) else { throw JSONScanner.Unexpected() }
                    for index in stride(from: 0, to: flat.count, by: 2) { sales.perMinute[flat[index]] = Int(flat[index + 1]) }
                case "rowTiers":
                    try scanner.object { key, scanner in sales.rowTiers[key] = try scanner.string() }
                case "tierPrices":
                    try scanner.object { key, scanner in sales.tierPrices[key] = try scanner.int() }
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), keys == 16, let showId, let currency, let capacity else { return nil }
            sales.showId = ShowID(showId)
            sales.currency = currency
            sales.capacity = Int(capacity)
            return sales
        }
        return decoded ?? nil
    }

    func fastEncode() -> Data {
        func tallies(_ map: [String: SalesAnalytics.Tally]) -> String {
            "{" + map.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):{\"revenueMinor\":\($0.value.revenueMinor),\"tickets\":\($0.value.tickets)}" }.joined(separator: ",") + "}"
        }
        var out = "{\"bySection\":\(tallies(bySection)),\"byTier\":\(tallies(byTier)),\"cancelled\":\(cancelled),\"capacity\":\(capacity),"
        out += "\"compensated\":\(compensated),\"confirmed\":\(confirmed),\"currency\":\(JSONText.quoted(currency)),\"expired\":\(expired),"
        out += "\"perMinute\":[" + perMinute.sorted { $0.key < $1.key }.map { "\($0.key),\($0.value)" }.joined(separator: ",") + "],"
        out += "\"refunded\":\(refunded),\"requested\":\(requested),\"revenueMinor\":\(revenueMinor),"
        out += "\"rowTiers\":{" + rowTiers.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }.joined(separator: ",") + "},"
        out += "\"showId\":\(JSONText.quoted(showId.rawValue)),\"sold\":\(sold),"
        out += "\"tierPrices\":{" + tierPrices.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }.joined(separator: ",") + "}}"
        return Data(out.utf8)
    }
}
