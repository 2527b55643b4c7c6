import Foundation

/// The state of one seat. `available` is never stored in a snapshot or read-model row: it is the
/// absence of any other state.
public enum SeatState: Hashable, Sendable, Codable {
    case available
    case held(ReservationID, until: Date)
    case sold(ReservationID)
    case blocked

    /// The state without who holds the seat.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case available, held, sold, blocked
    }

    public var kind: Kind {
        switch self {
        case .available: .available
        case .held: .held
        case .sold: .sold
        case .blocked: .blocked
        }
    }

    /// The reservation holding or owning the seat.
    public var reservation: ReservationID? {
        switch self {
        case .held(let reservation, _), .sold(let reservation): reservation
        case .available, .blocked: nil
        }
    }
}

/// A run of a venue's seats kept densely: one state per seat, in the venue layout's order, with
/// live counts. The inventory aggregate keeps one for a whole venue and the available-seats read
/// model one per section; both fold seat events through `apply(_:place:)`, the one place that
/// says what an event does to a seat.
///
/// - Important: the counts always equal what `states` holds while the map is detailed; once
///   `dropDetail()` keeps only the counts, `apply` moves them by what each event implies the
///   seats were before it.
public struct SeatMap: Hashable, Sendable {
    /// Seats in the run; `states` has this many entries while the map is detailed.
    public let count: Int
    public private(set) var states: [SeatState]
    public private(set) var held = 0
    public private(set) var sold = 0
    public private(set) var blocked = 0
    /// False once only the counts are kept.
    public private(set) var isDetailed = true

    public init(count: Int) {
        self.count = max(count, 0)
        states = Array(repeating: .available, count: self.count)
    }

    /// A map of `count` seats where only the counts are known.
    public init(count: Int, held: Int, sold: Int, blocked: Int) {
        self.count = max(count, 0)
        states = []
        isDetailed = false
        (self.held, self.sold, self.blocked) = (held, sold, blocked)
    }

    /// A map holding `states` as they are (a slice of a larger map).
    public init<States: Collection<SeatState>>(states: States) {
        self.states = Array(states)
        count = self.states.count
        for state in self.states { tally(state, 1) }
    }

    public var available: Int { count - held - sold - blocked }

    /// The state of the seat at `index` (available when unknown: out of range, or counts only).
    public subscript(index: Int) -> SeatState {
        isDetailed && states.indices.contains(index) ? states[index] : .available
    }

    /// Sets one seat, keeping the counts; an index outside the run is ignored.
    public mutating func set(_ index: Int, to state: SeatState) {
        guard isDetailed, states.indices.contains(index) else { return }
        tally(states[index], -1)
        states[index] = state
        tally(state, 1)
    }

    /// Keeps only the counts (a show whose sales closed no longer needs each seat).
    public mutating func dropDetail() {
        states = []
        isDetailed = false
    }

    /// Folds one event: the seats it names (those `place` finds in this run) take the state it
    /// gives them, and a hold's extension moves the deadline of the seats it holds. Events that
    /// do not concern seats change nothing.
    public mutating func apply(_ event: DomainEvent, place: (SeatID) -> Int?) {
        switch event {
        case .seatsHeld(let e): set(e.seats, to: .held(e.reservationId, until: e.expiresAt), from: .available, place)
        case .seatsSold(let e): set(e.seats, to: .sold(e.reservationId), from: .held, place)
        case .seatsReleased(let e): set(e.seats, to: .available, from: e.reason == .refunded ? .sold : .held, place)
        case .seatsBlocked(let e): set(e.seats, to: .blocked, from: .available, place)
        case .seatsUnblocked(let e): set(e.seats, to: .available, from: .blocked, place)
        case .holdExtended(let e):
            guard isDetailed else { return }
            for index in states.indices {
                if case .held(e.reservationId, _) = states[index] { states[index] = .held(e.reservationId, until: e.expiresAt) }
            }
        default:
            break
        }
    }

    /// Whether the reservation holds seats of this run (a hold's extension changes only those).
    public func holds(_ reservation: ReservationID) -> Bool {
        isDetailed && states.contains { $0.reservation == reservation && $0.kind == .held }
    }

    /// `before` is what the event implies the seats were: it moves the counts once only they are kept.
    private mutating func set(_ seats: [SeatID], to state: SeatState, from before: SeatState.Kind, _ place: (SeatID) -> Int?) {
        for seat in seats {
            guard let index = place(seat) else { continue }
            if isDetailed {
                set(index, to: state)
            } else if index < count {
                tally(before, -1)
                tally(state.kind, 1)
            }
        }
    }

    private mutating func tally(_ state: SeatState, _ delta: Int) { tally(state.kind, delta) }

    private mutating func tally(_ kind: SeatState.Kind, _ delta: Int) {
        switch kind {
        case .available: break
        case .held: held += delta
        case .sold: sold += delta
        case .blocked: blocked += delta
        }
    }
}
