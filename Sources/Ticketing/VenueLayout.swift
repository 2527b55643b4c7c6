/// The seats of a venue flattened for fast look-up: every seat with its row, position and price.
public struct VenueLayout: Sendable, Hashable {
    /// One seat and where it sits.
    public struct Seat: Sendable, Hashable {
        public let id: SeatID
        public let section: Int
        public let row: Int
        public let number: Int
        public let tier: String
        public let price: Money
    }

    /// One row: its seats are `seats[range]`, numbered 1…count from the left.
    public struct Row: Sendable, Hashable {
        public let section: Int
        public let indexInSection: Int
        public let label: String
        public let range: Range<Int>
    }

    public let venue: Venue
    public let seats: [Seat]
    public let rows: [Row]
    private let index: [SeatID: Int]

    public init(_ venue: Venue) {
        self.venue = venue
        let prices = Dictionary(venue.tiers.map { ($0.id, $0.priceMinor) }, uniquingKeysWith: { first, _ in first })
        var seats: [Seat] = []
        var rows: [Row] = []
        // A venue that never passed `validate` (a damaged snapshot) is laid out only as far
        // as a valid one could go (`seatCount(of:)`).
        seats.reserveCapacity(min(venue.capacity, Venue.maximumCapacity))
        for (sectionIndex, section) in venue.sections.enumerated() {
            for (rowIndex, row) in section.rows.enumerated() {
                let start = seats.count
                let price = Money(minor: prices[row.tier] ?? 0, currency: venue.currency)
                for number in 0..<Self.seatCount(of: row) {
                    seats.append(Seat(
                        id: SeatID(section: section.name, row: row.label, number: number + 1),
                        section: sectionIndex, row: rows.count, number: number + 1, tier: row.tier, price: price
                    ))
                }
                rows.append(Row(section: sectionIndex, indexInSection: rowIndex, label: row.label, range: start..<seats.count))
            }
        }
        self.seats = seats
        self.rows = rows
        self.index = Dictionary(seats.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var capacity: Int { seats.count }

    /// How many seats a row has in the layout: none for a row that claims fewer than one, at most
    /// 500 (what `Venue.validate` allows) for a damaged venue that claims more.
    public static func seatCount(of row: Venue.Row) -> Int { min(max(row.seats, 0), Venue.maximumRowSeats) }

    public func seat(_ id: SeatID) -> Seat? { index[id].map { seats[$0] } }

    /// Where the seat is in `seats`.
    public func index(of id: SeatID) -> Int? { index[id] }

    public func sectionIndex(named name: String) -> Int? {
        venue.sections.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    /// A hint naming what exists near an unknown seat id, for error messages.
    public func hint(for id: SeatID) -> String {
        guard let parts = id.parts else {
            return "seat ids look like \(seats.first?.id.rawValue ?? "Section-Row-Number")"
        }
        guard let section = sectionIndex(named: parts.section) else {
            return "sections are \(venue.sections.map(\.name).joined(separator: ", "))"
        }
        let sectionRows = rows.filter { $0.section == section }
        guard let row = sectionRows.first(where: { $0.label == parts.row }) else {
            return "rows in \(venue.sections[section].name) are \(sectionRows.map(\.label).joined(separator: ", "))"
        }
        return "row \(venue.sections[section].name)-\(row.label) has seats 1–\(row.range.count)"
    }
}
