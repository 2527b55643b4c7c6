/// An amount of money in integer minor units (cents) of one currency.
///
/// - Important: amounts of different currencies never mix; `+` on them is a programming error
///   caught by the venue validation that gives every show a single currency.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public var minor: Int64
    public var currency: String

    public init(minor: Int64, currency: String) {
        self.minor = minor
        self.currency = currency
    }

    /// The highest price a tier may have: 10,000,000.00 in minor units. Twenty seats at this
    /// price, and the revenue of any realistic history, stay far inside `Int64`.
    public static let maximumPriceMinor: Int64 = 1_000_000_000

    public static func zero(_ currency: String) -> Money { Money(minor: 0, currency: currency) }

    /// The sum, or nil when it does not fit (a decision refuses rather than trap).
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = minor.addingReportingOverflow(other.minor)
        return overflow ? nil : Money(minor: sum, currency: currency)
    }

    /// `€90.00`, `$12.50`, or `90.00 CHF` for currencies without a symbol here.
    public var description: String {
        let sign = minor < 0 ? "-" : ""
        let absolute = minor.magnitude
        let cents = absolute % 100
        let units = String(absolute / 100)
        var grouped = ""
        for (index, character) in units.enumerated() {
            if index > 0, (units.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let amount = grouped + "." + (cents < 10 ? "0" : "") + String(cents)
        switch currency {
        case "EUR": return sign + "€" + amount
        case "USD": return sign + "$" + amount
        case "GBP": return sign + "£" + amount
        default: return sign + amount + " " + currency
        }
    }
}
