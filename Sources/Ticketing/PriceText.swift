import Foundation

/// A tier's price as an operator writes it: `TIER=AMOUNT`, the amount in major units with at
/// most two decimals (`stalls=45.50`). The command line's `--price` and the console's new-show
/// form read prices alike.
public struct PriceText: Sendable, Hashable {
    public let tier: String
    public let minor: Int64

    public init(tier: String, minor: Int64) {
        self.tier = tier
        self.minor = minor
    }

    /// Reads one `TIER=AMOUNT`; the error says how to write it.
    public static func parse(_ text: String) -> Result<PriceText, PriceTextError> {
        let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty else { return .failure(.shape(text)) }
        let amount = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(amount.count), amount[0].allSatisfy(\.isASCII), let whole = Int64(amount[0]), whole >= 0,
              amount.count == 1 || (1...2).contains(amount[1].count) && amount[1].allSatisfy(\.isNumber) && amount[1].allSatisfy(\.isASCII),
              whole <= Money.maximumPriceMinor / 100
        else { return .failure(.amount(text)) }
        let cents = amount.count == 2 ? Int64(amount[1].padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0 : 0
        return .success(PriceText(tier: parts[0], minor: whole * 100 + cents))
    }

    /// Reads several, separated by spaces or commas (`stalls=45 circle=30.50`).
    public static func parseList(_ text: String) -> Result<[PriceText], PriceTextError> {
        var prices: [PriceText] = []
        for part in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            switch parse(String(part)) {
            case .success(let price): prices.append(price)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(prices)
    }

    /// A venue with these prices in place of its own; fails naming the tiers it has when one is unknown.
    public static func apply(_ prices: [PriceText], to venue: Venue) -> Result<Venue, PriceTextError> {
        var venue = venue
        for price in prices {
            guard let index = venue.tiers.firstIndex(where: { $0.id == price.tier }) else {
                return .failure(.unknownTier(price.tier, venue: venue.name, tiers: venue.tiers.map(\.id)))
            }
            venue.tiers[index].priceMinor = price.minor
        }
        return .success(venue)
    }

    /// A venue's own prices, written as the form and `--price` read them.
    public static func written(_ venue: Venue) -> String {
        venue.tiers.map { written(tier: $0.id, minor: $0.priceMinor) }.joined(separator: " ")
    }

    /// `stalls=45.50` (`stalls=45` for a whole amount).
    public static func written(tier: String, minor: Int64) -> String {
        let whole = minor / 100, cents = minor % 100
        return "\(tier)=\(whole)" + (cents == 0 ? "" : "." + (cents < 10 ? "0\(cents)" : "\(cents)"))
    }
}

public enum PriceTextError: Error, Sendable, Hashable, CustomStringConvertible {
    case shape(String)
    case amount(String)
    case unknownTier(String, venue: String, tiers: [String])

    public var description: String {
        switch self {
        case .shape(let text): "\(text): write it as TIER=AMOUNT, e.g. stalls=45.50"
        case .amount(let text):
            "\(text): the amount must be 0 or more with at most two decimals (e.g. 45 or 45.50), and at most \(Money.maximumPriceMinor / 100)"
        case .unknownTier(let tier, let venue, let tiers): "\(venue) has no price tier \"\(tier)\"; its tiers are \(tiers.joined(separator: ", "))"
        }
    }
}
