import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The fold behind `AvailableSeats`: seat events through `SeatMap.apply`, the function the
/// inventory aggregate folds with.
extension AvailableSeats: Projection {
    public var name: String { "availableSeats" }
    /// A closed show's sections keep only counts, and only the shows screen draws them.
    public var history: HistoryRows? { .countsOnly }

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Section>) {
        switch event {
        case .inventoryInitialized(let e):
            for (index, section) in e.venue.sections.enumerated() {
                rows[Self.key(e.showId.rawValue, section.name)] = Section(showId: e.showId, name: section.name, index: index, rows: section.rows)
            }
        case .seatsHeld(let e): fold(event, naming: e.seats, of: e.showId, into: &rows)
        case .seatsSold(let e): fold(event, naming: e.seats, of: e.showId, into: &rows)
        case .seatsBlocked(let e): fold(event, naming: e.seats, of: e.showId, into: &rows)
        case .seatsReleased(let e): fold(event, naming: e.seats, of: e.showId, into: &rows)
        case .seatsUnblocked(let e): fold(event, naming: e.seats, of: e.showId, into: &rows)
        case .salesClosed(let e): dropSeatDetail(of: e.showId, in: &rows)
        case .showCancelled(let e): dropSeatDetail(of: e.showId, in: &rows)
        case .holdExtended(let e):
            // Only sections holding some of the reservation's seats are changed (and rewritten).
            for key in rows.rows.keys where key.hasPrefix(e.showId.rawValue + "/") {
                guard let section = rows.rows[key], section.showId == e.showId, section.seats.holds(e.reservationId) else { continue }
                rows.modify(key) { $0.seats.apply(event) { _ in nil } }
            }
        default:
            break
        }
    }

    /// Folds a seat event into each section it names (almost always one).
    private func fold(_ event: DomainEvent, naming seats: [SeatID], of show: ShowID, into rows: inout RowSet<Section>) {
        var sections: [Substring] = []
        for seat in seats {
            guard let dash = seat.rawValue.utf8.firstIndex(of: UInt8(ascii: "-")) else { continue }
            let section = seat.rawValue[..<dash]
            if !sections.contains(section) { sections.append(section) }
        }
        for section in sections {
            rows.modify(Self.key(show.rawValue, String(section))) { row in
                let (name, layout) = (row.name, row.rows)
                row.seats.apply(event) { Section.place(of: $0, section: name, rows: layout) }
            }
        }
    }

    private func dropSeatDetail(of show: ShowID, in rows: inout RowSet<Section>) {
        for key in rows.rows.keys where key.hasPrefix(show.rawValue + "/") {
            rows.modify(key) { section in
                guard section.showId == show else { return }
                section.seats.dropDetail()
            }
        }
    }

    /// A show's sections with every seat, taken from its inventory (for a closed show, whose
    /// read-model sections keep only counts).
    public static func sections(from inventory: InventoryState) -> [Section] {
        let layout = inventory.layout
        var sections = layout.venue.sections.enumerated().map { index, section in
            Section(showId: inventory.showId, name: section.name, index: index, rows: section.rows)
        }
        // Where each layout row begins in its section's seats.
        var rowStarts: [Int] = []
        for row in layout.rows {
            let section = layout.venue.sections[row.section]
            rowStarts.append(section.rows.prefix(row.indexInSection).reduce(0) { $0 + VenueLayout.seatCount(of: $1) })
        }
        for (index, seat) in layout.seats.enumerated() {
            let state = inventory.seats[index]
            guard state != .available else { continue }
            sections[seat.section].seats.set(rowStarts[seat.row] + seat.number - 1, to: state)
        }
        return sections
    }
}
