import Foundation
import HashTreeCollections

/// The state of one seat. `available` is never stored: it is the absence of any other state.
public enum SeatState: Hashable, Sendable, Codable {
    case available
    case held(ReservationID, until: Date)
    case sold(ReservationID)
    case blocked
}

/// A show's seats: the layout plus every seat that is not available.
///
/// - Important: `taken` holds only held, sold and blocked seats, so the available count is
///   always derived (`capacity − held − sold − blocked`) and can never drift.
public struct InventoryState: Hashable, Sendable {
    public let showId: ShowID
    public let layout: VenueLayout
    /// A persistent hash tree: the command writer stages a decision on a copy of a cached
    /// inventory, and a change copies only the path to the seat, not all of a venue's seats.
    public private(set) var taken: TreeDictionary<SeatID, SeatState>
    /// Whether each seat of the layout (by index) is taken: `taken` as an array, so that
    /// "best available" scans rows without hashing a seat id per seat.
    private var occupied: [Bool]

    public init(showId: ShowID, layout: VenueLayout, taken: [SeatID: SeatState] = [:]) {
        self.showId = showId
        self.layout = layout
        self.taken = TreeDictionary(uniqueKeysWithValues: taken)
        occupied = Array(repeating: false, count: layout.capacity)
        for seat in taken.keys { if let index = layout.index(of: seat) { occupied[index] = true } }
    }

    public func state(of seat: SeatID) -> SeatState { taken[seat] ?? .available }

    /// Whether the layout's seat at `index` is available.
    public func isFree(at index: Int) -> Bool { !occupied[index] }

    private mutating func set(_ seats: [SeatID], to state: SeatState?) {
        for seat in seats {
            taken[seat] = state
            if let index = layout.index(of: seat) { occupied[index] = state != nil }
        }
    }

    public var capacity: Int { layout.capacity }
    public var availableCount: Int { capacity - taken.count }

    /// Folds one event of the inventory stream.
    public static func evolve(_ state: InventoryState?, _ event: DomainEvent) -> InventoryState? {
        if case .inventoryInitialized(let e) = event {
            return InventoryState(showId: e.showId, layout: VenueLayout(e.venue))
        }
        guard var state else { return nil }
        switch event {
        case .seatsHeld(let e): state.set(e.seats, to: .held(e.reservationId, until: e.expiresAt))
        case .seatsSold(let e): state.set(e.seats, to: .sold(e.reservationId))
        case .seatsReleased(let e): state.set(e.seats, to: nil)
        case .seatsBlocked(let e): state.set(e.seats, to: .blocked)
        case .seatsUnblocked(let e): state.set(e.seats, to: nil)
        default: break
        }
        return state
    }
}

extension InventoryState: Codable {
    private enum CodingKeys: String, CodingKey { case showId, venue, taken }

    private struct TakenSeat: Codable {
        var seat: SeatID
        var state: SeatState
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let venue = try container.decode(Venue.self, forKey: .venue)
        let taken = try container.decode([TakenSeat].self, forKey: .taken)
        self.init(
            showId: try container.decode(ShowID.self, forKey: .showId),
            layout: VenueLayout(venue),
            taken: Dictionary(taken.map { ($0.seat, $0.state) }, uniquingKeysWith: { _, last in last })
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(showId, forKey: .showId)
        try container.encode(layout.venue, forKey: .venue)
        try container.encode(taken.sorted { $0.key < $1.key }.map { TakenSeat(seat: $0.key, state: $0.value) }, forKey: .taken)
    }
}
