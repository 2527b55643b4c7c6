import EventStore
import Foundation
import Ticketing

/// Every seat's state per show and section, with live counts. Keyed `showId/Section`.
public struct AvailableSeats: Projection {
    /// One section of one show: its rows and every seat that is not available.
    public struct Section: Codable, Sendable, Equatable {
        public var showId: String
        public var name: String
        /// Position of the section in the venue (front sections first).
        public var index: Int
        public var rows: [Venue.Row]
        /// Seat id → state, for held, sold and blocked seats only.
        public var taken: [String: Seat]
        public var held = 0
        public var sold = 0
        public var blocked = 0

        public var capacity: Int { rows.reduce(0) { $0 + $1.seats } }
        public var available: Int { capacity - held - sold - blocked }

        public func state(of seat: String) -> Seat? { taken[seat] }
    }

    /// A seat that is not available.
    public struct Seat: Codable, Sendable, Equatable {
        public enum State: String, Codable, Sendable { case held, sold, blocked }
        public var state: State
        public var reservationId: String?
        public var until: Date?
    }

    public var name: String { "availableSeats" }
    public init() {}

    public static func key(_ show: String, _ section: String) -> String { show + "/" + section }

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Section>) {
        switch event {
        case .inventoryInitialized(let e):
            for (index, section) in e.venue.sections.enumerated() {
                rows[Self.key(e.showId.rawValue, section.name)] = Section(
                    showId: e.showId.rawValue, name: section.name, index: index, rows: section.rows, taken: [:]
                )
            }
        case .seatsHeld(let e):
            set(e.seats, of: e.showId, to: Seat(state: .held, reservationId: e.reservationId.rawValue, until: e.expiresAt), in: &rows)
        case .seatsSold(let e):
            set(e.seats, of: e.showId, to: Seat(state: .sold, reservationId: e.reservationId.rawValue, until: nil), in: &rows)
        case .seatsBlocked(let e):
            set(e.seats, of: e.showId, to: Seat(state: .blocked, reservationId: nil, until: nil), in: &rows)
        case .seatsReleased(let e):
            set(e.seats, of: e.showId, to: nil, in: &rows)
        case .seatsUnblocked(let e):
            set(e.seats, of: e.showId, to: nil, in: &rows)
        case .holdExtended(let e):
            // The hold's seats show the new deadline.
            for key in rows.rows.keys where rows[key]?.showId == e.showId.rawValue {
                let seats = rows[key]?.taken.filter { $0.value.reservationId == e.reservationId.rawValue && $0.value.state == .held }.keys ?? [:].keys
                guard !seats.isEmpty else { continue }
                rows.modify(key) { section in
                    for seat in seats { section.taken[seat]?.until = e.expiresAt }
                }
            }
        default:
            break
        }
    }

    private func set(_ seats: [SeatID], of show: ShowID, to state: Seat?, in rows: inout RowSet<Section>) {
        var bySection: [String: [String]] = [:]
        for seat in seats {
            guard let section = seat.parts?.section else { continue }
            bySection[section, default: []].append(seat.rawValue)
        }
        for (sectionName, ids) in bySection {
            rows.modify(Self.key(show.rawValue, sectionName)) { section in
                for id in ids {
                    section.count(section.taken[id], -1)
                    section.taken[id] = state
                    section.count(state, +1)
                }
            }
        }
    }
}

extension AvailableSeats.Section {
    mutating func count(_ seat: AvailableSeats.Seat?, _ delta: Int) {
        switch seat?.state {
        case .held: held += delta
        case .sold: sold += delta
        case .blocked: blocked += delta
        case nil: break
        }
    }
}

extension RowSet where Row == AvailableSeats.Section {
    /// The sections of a show, front first.
    public func sections(of show: ShowID) -> [AvailableSeats.Section] {
        rows.values.filter { $0.showId == show.rawValue }.sorted { $0.index < $1.index }
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
