import Foundation
import Ticketing

/// Every seat's state per show and section, with live counts. Keyed `showId/Section`.
///
/// Each section keeps its seats densely (`SeatMap`, row by row) and folds seat events with the
/// same function as the inventory aggregate. Once a show's sales close (or it is cancelled) its
/// sections keep only their counts: the per-seat detail of every past show would make opening a
/// store grow with its history. The console draws such a show's map from its inventory stream
/// when asked (`sections(from:)`).
public struct AvailableSeats: Sendable {
    /// One section of one show: its rows and the state of each of its seats.
    public struct Section: Sendable, Equatable {
        public var showId: ShowID
        public var name: String
        /// Position of the section in the venue (front sections first).
        public var index: Int
        public let rows: [Venue.Row]
        /// The section's seats, row by row (`rowStart(_:)` says where a row begins).
        public package(set) var seats: SeatMap

        public init(showId: ShowID, name: String, index: Int, rows: [Venue.Row]) {
            self.init(showId: showId, name: name, index: index, rows: rows, seats: SeatMap(count: Self.capacity(of: rows)))
        }

        package init(showId: ShowID, name: String, index: Int, rows: [Venue.Row], seats: SeatMap) {
            (self.showId, self.name, self.index, self.rows, self.seats) = (showId, name, index, rows, seats)
        }

        public var capacity: Int { seats.count }
        public var available: Int { seats.available }
        public var held: Int { seats.held }
        public var sold: Int { seats.sold }
        public var blocked: Int { seats.blocked }
        /// True once the show's sales closed: only the counts are kept.
        public var countsOnly: Bool? { seats.isDetailed ? nil : true }

        public func state(of seat: SeatID) -> SeatState { place(of: seat).map { seats[$0] } ?? .available }

        /// The state of seat `number` (1-based) of row `row` (its index in `rows`).
        public func state(row: Int, number: Int) -> SeatState { seats[rowStart(row) + number - 1] }

        /// Where row `row` begins in `seats`.
        public func rowStart(_ row: Int) -> Int { rows.prefix(row).reduce(0) { $0 + VenueLayout.seatCount(of: $1) } }

        /// Where a seat of this section is in `seats`, reading the id's bytes in place (the fold
        /// places every seat of every event; building strings for it would dominate a rebuild).
        public func place(of seat: SeatID) -> Int? { Self.place(of: seat, section: name, rows: rows) }

        package static func place(of seat: SeatID, section: String, rows: [Venue.Row]) -> Int? {
            let dash = UInt8(ascii: "-")
            let utf8 = seat.rawValue.utf8
            guard let first = utf8.firstIndex(of: dash), utf8[..<first].elementsEqual(section.utf8) else { return nil }
            let rest = utf8.index(after: first)
            guard let second = utf8[rest...].firstIndex(of: dash) else { return nil }
            // A seat number as ids spell it: digits without a leading zero.
            var number = 0
            for (offset, byte) in utf8[utf8.index(after: second)...].enumerated() {
                guard (48...57).contains(byte), offset < 6, offset > 0 || byte != 48 else { return nil }
                number = number * 10 + Int(byte - 48)
            }
            let label = utf8[rest..<second]
            var start = 0
            for row in rows {
                let seats = VenueLayout.seatCount(of: row)
                if label.elementsEqual(row.label.utf8) { return number >= 1 && number <= seats ? start + number - 1 : nil }
                start += seats
            }
            return nil
        }

        /// The id of the seat at `index` of `seats`.
        public func seatID(at index: Int) -> SeatID? {
            var start = 0
            for row in rows {
                let seats = VenueLayout.seatCount(of: row)
                if index < start + seats { return index >= start ? SeatID(section: name, row: row.label, number: index - start + 1) : nil }
                start += seats
            }
            return nil
        }

        package static func capacity(of rows: [Venue.Row]) -> Int { rows.reduce(0) { $0 + VenueLayout.seatCount(of: $1) } }
    }

    public init() {}

    public static func key(_ show: String, _ section: String) -> String { show + "/" + section }
}

extension RowSet where Row == AvailableSeats.Section {
    /// The sections of a show, front first.
    public func sections(of show: ShowID) -> [AvailableSeats.Section] {
        rows.values.filter { $0.showId == show }.sorted { $0.index < $1.index }
    }

    /// Seats of one section: counts and states; nil when the show or section does not exist.
    public func availability(_ show: ShowID, section: String) -> AvailableSeats.Section? {
        rows[AvailableSeats.key(show.rawValue, section)]
    }

    /// Whether the section still has at least `count` free seats.
    public func hasAvailability(_ show: ShowID, section: String, _ count: Int) -> Bool {
        (availability(show, section: section)?.available ?? 0) >= count
    }

    public func totalAvailable(_ show: ShowID) -> Int { sections(of: show).reduce(0) { $0 + $1.available } }

    public func totals(_ show: ShowID) -> (capacity: Int, available: Int, held: Int, sold: Int, blocked: Int) {
        sections(of: show).reduce((0, 0, 0, 0, 0)) {
            ($0.0 + $1.capacity, $0.1 + $1.available, $0.2 + $1.held, $0.3 + $1.sold, $0.4 + $1.blocked)
        }
    }
}
