/// A venue's seating plan: sections of rows of numbered seats, each row priced by a tier.
///
/// The same shape is the file format of `demo/venues/*.json`. Rows are listed front first, and
/// seats are numbered 1…`seats` from the left as the audience sees the stage.
public struct Venue: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var currency: String
    public var tiers: [PriceTier]
    public var sections: [Section]

    public init(id: String, name: String, currency: String, tiers: [PriceTier], sections: [Section]) {
        self.id = id
        self.name = name
        self.currency = currency
        self.tiers = tiers
        self.sections = sections
    }

    /// A named price band (`premium`, `standard`) with its price per seat.
    public struct PriceTier: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        public var priceMinor: Int64
        public init(id: String, name: String, priceMinor: Int64) {
            self.id = id
            self.name = name
            self.priceMinor = priceMinor
        }
    }

    /// A block of rows sold together (`Stalls`, `Balcony`).
    public struct Section: Hashable, Sendable, Codable {
        public var name: String
        public var rows: [Row]
        public init(name: String, rows: [Row]) {
            self.name = name
            self.rows = rows
        }
    }

    /// One row of seats, all in the same price tier.
    public struct Row: Hashable, Sendable, Codable {
        public var label: String
        public var seats: Int
        public var tier: String
        public init(label: String, seats: Int, tier: String) {
            self.label = label
            self.seats = seats
            self.tier = tier
        }
    }

    /// Seats in all rows. Saturating: a venue read from a damaged file or store may claim any
    /// number (`validate` refuses it; the sum must not trap first).
    public var capacity: Int {
        sections.reduce(0) { total, section in
            section.rows.reduce(total) { sum, row in
                let (next, overflow) = sum.addingReportingOverflow(max(row.seats, 0))
                return overflow ? .max : next
            }
        }
    }

    /// Checks what seat ids and prices rely on; the message says what to fix in the file.
    public func validate() throws(TicketingError) {
        func refuse(_ problem: String) -> TicketingError { .invalidVenue(venue: id, problem: problem) }
        guard !name.isEmpty else { throw refuse("the venue has no name") }
        guard currency.count == 3, currency.allSatisfy({ $0.isUppercase && $0.isASCII }) else {
            throw refuse("currency \"\(currency)\" is not a three-letter code such as EUR")
        }
        guard !tiers.isEmpty else { throw refuse("no price tiers are defined") }
        var tierIDs = Set<String>()
        for tier in tiers {
            guard tierIDs.insert(tier.id).inserted else { throw refuse("tier \"\(tier.id)\" is defined twice") }
            guard tier.priceMinor >= 0 else { throw refuse("tier \"\(tier.id)\" has a negative price") }
            guard tier.priceMinor <= Money.maximumPriceMinor else {
                throw refuse("tier \"\(tier.id)\" costs \(tier.priceMinor) in minor units; a price is at most \(Money.maximumPriceMinor) (\(Money(minor: Money.maximumPriceMinor, currency: currency)))")
            }
        }
        guard !sections.isEmpty else { throw refuse("no sections are defined") }
        var sectionNames = Set<String>()
        for section in sections {
            guard Self.isValidPart(section.name) else {
                throw refuse("section name \"\(section.name)\" must be letters and digits only (it becomes part of seat ids)")
            }
            guard sectionNames.insert(section.name).inserted else { throw refuse("section \"\(section.name)\" is defined twice") }
            guard !section.rows.isEmpty else { throw refuse("section \(section.name) has no rows") }
            var labels = Set<String>()
            for row in section.rows {
                guard Self.isValidPart(row.label) else {
                    throw refuse("row label \"\(row.label)\" in \(section.name) must be letters and digits only")
                }
                guard labels.insert(row.label).inserted else { throw refuse("row \(section.name)-\(row.label) is defined twice") }
                guard (1...Self.maximumRowSeats).contains(row.seats) else {
                    throw refuse("row \(section.name)-\(row.label) has \(row.seats) seats; a row holds 1 to \(Self.maximumRowSeats)")
                }
                guard tierIDs.contains(row.tier) else {
                    throw refuse("row \(section.name)-\(row.label) uses tier \"\(row.tier)\", which is not among \(tiers.map(\.id).joined(separator: ", "))")
                }
            }
        }
        guard capacity <= Self.maximumCapacity else { throw refuse("the venue has \(capacity) seats; at most \(Self.maximumCapacity) are supported") }
    }

    public static let maximumRowSeats = 500
    public static let maximumCapacity = 100_000

    private static func isValidPart(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 32 && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
