import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The fold behind `SalesAnalytics`.
extension SalesAnalytics: Projection {
    public var name: String { "salesAnalytics" }
    /// A closed show's sales are drawn only when the show is.
    public var history: HistoryRows? { .showsWithCountsOnlyRows(in: "availableSeats") }

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<ShowSales>) {
        switch event {
        case .inventoryInitialized(let e):
            var sales = ShowSales(showId: e.showId, currency: e.venue.currency, capacity: e.capacity)
            for section in e.venue.sections {
                for row in section.rows { sales.rowTiers[section.name + "-" + row.label] = row.tier }
            }
            for tier in e.venue.tiers { sales.tierPrices[tier.id] = tier.priceMinor }
            rows[e.showId.rawValue] = sales
        case .tierPricesChanged(let e):
            change(e.showId, &rows) { sales in for price in e.prices { sales.tierPrices[price.tier] = price.priceMinor } }
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
