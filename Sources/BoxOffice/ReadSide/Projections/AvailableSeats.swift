import EventStore
import Foundation
import Ticketing

/// Every seat's state per show and section, with live counts. Keyed `showId/Section`.
///
/// Once a show's sales close (or it is cancelled) its sections keep only their counts: the
/// per-seat detail of every past show would make opening a store grow with its history. The
/// console draws such a show's map from its inventory stream when asked (`sections(from:)`).
public struct AvailableSeats: Projection {
    /// One section of one show: its rows and every seat that is not available.
    public struct Section: Codable, Sendable, Equatable {
        public var showId: ShowID
        public var name: String
        /// Position of the section in the venue (front sections first).
        public var index: Int
        public var rows: [Venue.Row]
        /// Seat id → state, for held, sold and blocked seats only.
        public var taken: [String: Seat]
        public var held = 0
        public var sold = 0
        public var blocked = 0
        /// True once the show's sales closed: `taken` is empty and only the counts are kept.
        public var countsOnly: Bool?

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
                    showId: e.showId, name: section.name, index: index, rows: section.rows, taken: [:]
                )
            }
        case .seatsHeld(let e):
            set(e.seats, of: e.showId, to: Seat(state: .held, reservationId: e.reservationId.rawValue, until: e.expiresAt), in: &rows)
        case .seatsSold(let e):
            set(e.seats, of: e.showId, to: Seat(state: .sold, reservationId: e.reservationId.rawValue, until: nil), in: &rows)
        case .seatsBlocked(let e):
            set(e.seats, of: e.showId, to: Seat(state: .blocked, reservationId: nil, until: nil), in: &rows)
        case .seatsReleased(let e):
            set(e.seats, of: e.showId, to: nil, released: e.reason == .refunded ? .sold : .held, in: &rows)
        case .seatsUnblocked(let e):
            set(e.seats, of: e.showId, to: nil, released: .blocked, in: &rows)
        case .salesClosed(let e):
            dropSeatDetail(of: e.showId, in: &rows)
        case .showCancelled(let e):
            dropSeatDetail(of: e.showId, in: &rows)
        case .holdExtended(let e):
            // The hold's seats show the new deadline (only sections holding some are changed).
            let (prefix, reservation) = (e.showId.rawValue + "/", e.reservationId.rawValue)
            for key in rows.rows.keys where key.hasPrefix(prefix) {
                var seats: [String] = []
                if let section = rows.rows[key], section.showId == e.showId {
                    for (seat, state) in section.taken where state.state == .held && state.reservationId == reservation { seats.append(seat) }
                }
                guard !seats.isEmpty else { continue }
                rows.modify(key) { section in
                    for seat in seats { section.taken[seat]?.until = e.expiresAt }
                }
            }
        default:
            break
        }
    }

    /// `released` says, for seats becoming available, what they were (needed once a closed
    /// show's sections keep only counts): sold for a refund, held otherwise.
    private func set(_ seats: [SeatID], of show: ShowID, to state: Seat?, released: Seat.State? = nil, in rows: inout RowSet<Section>) {
        var bySection: [String: [String]] = [:]
        for seat in seats {
            guard let section = seat.parts?.section else { continue }
            bySection[section, default: []].append(seat.rawValue)
        }
        for (sectionName, ids) in bySection {
            rows.modify(Self.key(show.rawValue, sectionName)) { section in
                if section.countsOnly == true {
                    // No seat detail: move the counts as the event says.
                    let before: Seat.State? = state?.state == .sold ? .held : state == nil ? released : nil
                    for _ in ids {
                        section.count(before.map { Seat(state: $0, reservationId: nil, until: nil) }, -1)
                        section.count(state, +1)
                    }
                    return
                }
                for id in ids {
                    section.count(section.taken[id], -1)
                    section.taken[id] = state
                    section.count(state, +1)
                }
            }
        }
    }

    private func dropSeatDetail(of show: ShowID, in rows: inout RowSet<Section>) {
        for key in rows.rows.keys where key.hasPrefix(show.rawValue + "/") {
            rows.modify(key) { section in
                guard section.showId == show else { return }
                section.taken = [:]
                section.countsOnly = true
            }
        }
    }

    /// A show's sections with every seat, folded from its inventory (for a closed show, whose
    /// read-model sections keep only counts).
    public static func sections(from inventory: InventoryState) -> [Section] {
        let venue = inventory.layout.venue
        var sections = venue.sections.enumerated().map { index, section in
            Section(showId: inventory.showId, name: section.name, index: index, rows: section.rows, taken: [:])
        }
        for (seat, state) in inventory.taken {
            guard let name = seat.parts?.section, let index = sections.firstIndex(where: { $0.name == name }) else { continue }
            let entry: Seat
            switch state {
            case .available: continue
            case .held(let reservation, let until): entry = Seat(state: .held, reservationId: reservation.rawValue, until: until)
            case .sold(let reservation): entry = Seat(state: .sold, reservationId: reservation.rawValue, until: nil)
            case .blocked: entry = Seat(state: .blocked, reservationId: nil, until: nil)
            }
            sections[index].taken[seat.rawValue] = entry
            sections[index].count(entry, +1)
        }
        return sections
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

// The largest rows of any read model (a section lists every taken seat), written at each
// commit and read when a store opens: coded by hand, in the same JSON shape `Codable` gives.
extension AvailableSeats.Section: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var showId: String?, name: String?, index: Int64?, rows: [Venue.Row]?, taken: [String: AvailableSeats.Seat]?
            // Every key but countsOnly is required, as Codable requires it.
            var held: Int64?, sold: Int64?, blocked: Int64?, countsOnly: Bool?
            try scanner.object { key, scanner in
                switch key {
                case "showId": showId = try scanner.string()
                case "name": name = try scanner.string()
                case "index": index = try scanner.int()
                case "held": held = try scanner.int()
                case "sold": sold = try scanner.int()
                case "blocked": blocked = try scanner.int()
                case "countsOnly": countsOnly = scanner.null() ? nil : try scanner.bool()
                case "rows":
                    var list: [Venue.Row] = []
                    try scanner.array { scanner in
                        var label: String?, seats: Int64?, tier: String?
                        try scanner.object { key, scanner in
                            switch key {
                            case "label": label = try scanner.string()
                            case "seats": seats = try scanner.int()
                            case "tier": tier = try scanner.string()
                            default: throw JSONScanner.Unexpected()
                            }
                        }
                        guard let label, let seats, let tier else { throw JSONScanner.Unexpected() }
                        list.append(Venue.Row(label: label, seats: Int(seats), tier: tier))
                    }
                    rows = list
                case "taken":
                    var seats: [String: AvailableSeats.Seat] = [:]
                    try scanner.object { seat, scanner in
                        var state: AvailableSeats.Seat.State?, reservation: String?, until: Date?
                        try scanner.object { key, scanner in
                            switch key {
                            case "state": state = AvailableSeats.Seat.State(rawValue: try scanner.string())
                            case "reservationId": reservation = try scanner.optionalString()
                            case "until": until = scanner.null() ? nil : try scanner.date()
                            default: throw JSONScanner.Unexpected()
                            }
                        }
                        guard let state else { throw JSONScanner.Unexpected() }
                        seats[seat] = AvailableSeats.Seat(state: state, reservationId: reservation, until: until)
                    }
                    taken = seats
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let showId, let name, let index, let rows, let taken, let held, let sold, let blocked else { return nil }
            return Self(showId: ShowID(showId), name: name, index: Int(index), rows: rows, taken: taken, held: Int(held), sold: Int(sold), blocked: Int(blocked), countsOnly: countsOnly)
        }
        return decoded ?? nil
    }

    func fastEncode() -> Data {
        var out = JSONBytes(capacity: 96 + taken.count * 64)
        out.raw("{\"blocked\":")
        out.int(blocked)
        out.raw(",")
        if let countsOnly {
            out.raw("\"countsOnly\":")
            out.raw(countsOnly ? "true," : "false,")
        }
        out.raw("\"held\":")
        out.int(held)
        out.raw(",\"index\":")
        out.int(index)
        out.raw(",\"name\":")
        out.quoted(name)
        out.raw(",\"rows\":[")
        for (position, row) in rows.enumerated() {
            if position > 0 { out.raw(",") }
            out.raw("{\"label\":")
            out.quoted(row.label)
            out.raw(",\"seats\":")
            out.int(row.seats)
            out.raw(",\"tier\":")
            out.quoted(row.tier)
            out.raw("}")
        }
        out.raw("],\"showId\":")
        out.quoted(showId.rawValue)
        out.raw(",\"sold\":")
        out.int(sold)
        out.raw(",\"taken\":{")
        var first = true
        // Sorted, as `Codable` writes them: the same rows are the same bytes in every process
        // (a rebuild's swap compares stored bytes).
        for seat in taken.keys.sorted() {
            guard let state = taken[seat] else { continue }
            if !first { out.raw(",") }
            first = false
            out.quoted(seat)
            out.raw(":{")
            if let reservation = state.reservationId {
                out.raw("\"reservationId\":")
                out.quoted(reservation)
                out.raw(",")
            }
            out.raw("\"state\":\"")
            out.raw(state.state.rawValue)
            out.raw("\"")
            if let until = state.until {
                out.raw(",\"until\":\"")
                out.raw(Timestamp.string(until))
                out.raw("\"")
            }
            out.raw("}")
        }
        out.raw("}}")
        return out.data
    }
}
