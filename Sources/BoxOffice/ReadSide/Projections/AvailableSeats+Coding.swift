import ConsoleClient
import EventStore
import Foundation
import Ticketing

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
