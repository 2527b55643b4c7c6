import Foundation

/// A show's seats: the layout plus the state of every seat, densely by layout index.
///
/// - Important: the available count is always derived (`capacity − held − sold − blocked`)
///   from counts the seat map keeps with every change, so it can never drift.
public struct InventoryState: Hashable, Sendable {
    public let showId: ShowID
    public let layout: VenueLayout
    /// Every seat by layout index, folded by the same function as the available-seats read model.
    public private(set) var seats: SeatMap

    public init(showId: ShowID, layout: VenueLayout, taken: [SeatID: SeatState] = [:]) {
        self.showId = showId
        self.layout = layout
        seats = SeatMap(count: layout.capacity)
        for (seat, state) in taken {
            if let index = layout.index(of: seat) { seats.set(index, to: state) }
        }
    }

    public func state(of seat: SeatID) -> SeatState { layout.index(of: seat).map { seats[$0] } ?? .available }

    /// Whether the layout's seat at `index` is available.
    public func isFree(at index: Int) -> Bool {
        if case .available = seats[index] { true } else { false }
    }

    public var capacity: Int { layout.capacity }
    public var availableCount: Int { seats.available }

    /// Every seat that is not available, in layout order.
    public var taken: [(seat: SeatID, state: SeatState)] {
        seats.states.enumerated().compactMap { index, state in
            state == .available ? nil : (layout.seats[index].id, state)
        }
    }

    /// Folds one event of the inventory stream.
    public static func evolve(_ state: InventoryState?, _ event: DomainEvent) -> InventoryState? {
        if case .inventoryInitialized(let e) = event {
            return InventoryState(showId: e.showId, layout: VenueLayout(e.venue))
        }
        guard var state else { return nil }
        if case .tierPricesChanged(let e) = event {
            // Nothing is held or sold while a show is a draft; the seats keep their states anyway.
            var repriced = InventoryState(showId: state.showId, layout: VenueLayout(e.applied(to: state.layout.venue)))
            repriced.seats = state.seats
            return repriced
        }
        let layout = state.layout
        state.seats.apply(event) { layout.index(of: $0) }
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
        try container.encode(taken.sorted { $0.seat < $1.seat }.map { TakenSeat(seat: $0.seat, state: $0.state) }, forKey: .taken)
    }
}
