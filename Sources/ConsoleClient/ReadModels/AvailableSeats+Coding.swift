import Foundation
import Ticketing

// A section's stored JSON keeps the shape it had before seats were dense (a contract of the
// `rm_availableSeats` table): counts, the venue rows, and `taken`, seat id → state, for every
// seat that is not available.
extension AvailableSeats.Section: Codable {
    private enum CodingKeys: String, CodingKey { case blocked, countsOnly, held, index, name, rows, showId, sold, taken }

    /// A seat that is not available, as stored.
    package struct StoredSeat: Codable, Equatable {
        package var reservationId: String?
        package var state: SeatState.Kind
        package var until: Date?

        package init(reservationId: String? = nil, state: SeatState.Kind, until: Date? = nil) {
            (self.reservationId, self.state, self.until) = (reservationId, state, until)
        }
    }

    /// A section read from its stored fields.
    ///
    /// - Important: a stored seat the section's rows do not have, or a state without what it
    ///   needs (a hold without its reservation and deadline), or counts that disagree with the
    ///   seats make the row unreadable rather than silently corrected.
    package init(
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
    package func storedSeats() -> [(id: String, seat: StoredSeat)] {
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
package struct StoredRowError: Error {
    package let reason: String

    package init(reason: String) { self.reason = reason }
}
