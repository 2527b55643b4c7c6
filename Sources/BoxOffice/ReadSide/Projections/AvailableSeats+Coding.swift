import EventStore
import Foundation
import Ticketing

// A section's stored JSON keeps the shape it had before seats were dense (a contract of the
// `rm_availableSeats` table): counts, the venue rows, and `taken`, seat id → state, for every
// seat that is not available.
extension AvailableSeats.Section: Codable {
    private enum CodingKeys: String, CodingKey { case blocked, countsOnly, held, index, name, rows, showId, sold, taken }

    /// A seat that is not available, as stored.
    struct StoredSeat: Codable, Equatable {
        var reservationId: String?
        var state: SeatState.Kind
        var until: Date?
    }

    /// A section read from its stored fields.
    ///
    /// - Important: a stored seat the section's rows do not have, or a state without what it
    ///   needs (a hold without its reservation and deadline), or counts that disagree with the
    ///   seats make the row unreadable rather than silently corrected.
    init(
        showId: ShowID, name: String, index: Int, rows: [Venue.Row], taken: [(id: String, seat: StoredSeat)],
        counts: (held: Int, sold: Int, blocked: Int), countsOnly: Bool?
    ) throws(StoredRowError) {
        let capacity = Self.capacity(of: rows)
        guard capacity <= Venue.maximumCapacity else { throw StoredRowError(reason: "section \(name) claims \(capacity) seats") }
        if countsOnly == true {
            guard taken.isEmpty else { throw StoredRowError(reason: "a counts-only section lists seats") }
            self.init(showId: showId, name: name, index: index, rows: rows,
                      seats: SeatMap(count: capacity, held: counts.held, sold: counts.sold, blocked: counts.blocked))
            return
        }
        var seats = SeatMap(count: capacity)
        for (id, stored) in taken {
            guard let place = Self.place(of: SeatID(id), section: name, rows: rows) else {
                throw StoredRowError(reason: "section \(name) has no seat \(id)")
            }
            let state: SeatState
            switch (stored.state, stored.reservationId, stored.until) {
            case (.held, let reservation?, let until?): state = .held(ReservationID(reservation), until: until)
            case (.sold, let reservation?, nil): state = .sold(ReservationID(reservation))
            case (.blocked, nil, nil): state = .blocked
            default: throw StoredRowError(reason: "seat \(id) is stored as \(stored)")
            }
            seats.set(place, to: state)
        }
        // The stored counts are not kept (they follow from the seats), so they must agree.
        guard (seats.held, seats.sold, seats.blocked) == counts else {
            throw StoredRowError(reason: "section \(name)'s counts \(counts) disagree with its seats")
        }
        self.init(showId: showId, name: name, index: index, rows: rows, seats: seats)
    }

    /// Every seat that is not available, ordered by id as `Codable` orders keys: the same
    /// section is the same bytes in every process (a rebuild's swap compares stored bytes).
    func storedSeats() -> [(id: String, seat: StoredSeat)] {
        var taken: [(id: String, seat: StoredSeat)] = []
        guard seats.isDetailed else { return taken }
        var index = 0
        for row in rows {
            for number in 0..<VenueLayout.seatCount(of: row) {
                defer { index += 1 }
                let stored: StoredSeat
                switch seats[index] {
                case .available: continue
                case .held(let reservation, let until): stored = StoredSeat(reservationId: reservation.rawValue, state: .held, until: until)
                case .sold(let reservation): stored = StoredSeat(reservationId: reservation.rawValue, state: .sold)
                case .blocked: stored = StoredSeat(state: .blocked)
                }
                taken.append((SeatID(section: name, row: row.label, number: number + 1).rawValue, stored))
            }
        }
        return taken.sorted { $0.id < $1.id }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let (showId, name) = (try container.decode(ShowID.self, forKey: .showId), try container.decode(String.self, forKey: .name))
        let (index, rows) = (try container.decode(Int.self, forKey: .index), try container.decode([Venue.Row].self, forKey: .rows))
        let taken = try container.decode([String: StoredSeat].self, forKey: .taken)
        let counts = (try container.decode(Int.self, forKey: .held), try container.decode(Int.self, forKey: .sold), try container.decode(Int.self, forKey: .blocked))
        let countsOnly = try container.decodeIfPresent(Bool.self, forKey: .countsOnly)
        do {
            try self.init(showId: showId, name: name, index: index, rows: rows, taken: taken.map { ($0.key, $0.value) }, counts: counts, countsOnly: countsOnly)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .taken, in: container, debugDescription: error.reason)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(blocked, forKey: .blocked)
        try container.encodeIfPresent(countsOnly, forKey: .countsOnly)
        try container.encode(held, forKey: .held)
        try container.encode(index, forKey: .index)
        try container.encode(name, forKey: .name)
        try container.encode(rows, forKey: .rows)
        try container.encode(showId, forKey: .showId)
        try container.encode(sold, forKey: .sold)
        try container.encode(Dictionary(storedSeats().map { ($0.id, $0.seat) }, uniquingKeysWith: { first, _ in first }), forKey: .taken)
    }
}

/// Why a stored read-model row cannot be read as its type.
struct StoredRowError: Error {
    let reason: String
}

// The largest rows of any read model (a section lists every taken seat), written at each
// commit and read when a store opens: coded by hand, in the same JSON shape `Codable` gives.
extension AvailableSeats.Section: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var showId: String?, name: String?, index: Int64?, rows: [Venue.Row]?, taken: [(id: String, seat: StoredSeat)]?
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
                case "rows": rows = try Self.scanRows(&scanner)
                case "taken": taken = try Self.scanTaken(&scanner)
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let showId, let name, let index, let rows, let taken, let held, let sold, let blocked else { return nil }
            return try Self(
                showId: ShowID(showId), name: name, index: Int(index), rows: rows, taken: taken,
                counts: (Int(held), Int(sold), Int(blocked)), countsOnly: countsOnly
            )
        }
        return decoded ?? nil
    }

    private static func scanRows(_ scanner: inout JSONScanner) throws -> [Venue.Row] {
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
        return list
    }

    private static func scanTaken(_ scanner: inout JSONScanner) throws -> [(id: String, seat: StoredSeat)] {
        var seats: [(id: String, seat: StoredSeat)] = []
        var seen: Set<String> = []
        try scanner.object { seat, scanner in
            var state: SeatState.Kind?, reservation: String?, until: Date?
            try scanner.object { key, scanner in
                switch key {
                case "state": state = SeatState.Kind(rawValue: try scanner.string())
                case "reservationId": reservation = try scanner.optionalString()
                case "until": until = scanner.null() ? nil : try scanner.date()
                default: throw JSONScanner.Unexpected()
                }
            }
            // A repeated key, or a state Codable would refuse: left to Codable to judge.
            guard let state, state != .available, seen.insert(seat).inserted else { throw JSONScanner.Unexpected() }
            seats.append((seat, StoredSeat(reservationId: reservation, state: state, until: until)))
        }
        return seats
    }

    func fastEncode() -> Data {
        let taken = storedSeats()
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
        for (position, (seat, state)) in taken.enumerated() {
            if position > 0 { out.raw(",") }
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
