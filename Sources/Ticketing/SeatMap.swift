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

    func isHeld(by reservation: ReservationID) -> Bool {
        if case .held(reservation, _) = self { true } else { false }
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
/// Seats are stored in chunks of 64: the command writer stages every decision on a copy of a
/// cached inventory and the bus changes sections a console snapshot still shares, so a change
/// must copy the chunk it touches, not a whole venue (a flat array of a 2,000-seat arena copied
/// 64 kB per command and tripled a console's peak memory under load).
///
/// - Important: the counts always equal what the seats hold while the map is detailed; once
///   `dropDetail()` keeps only the counts, `apply` moves them by what each event implies the
///   seats were before it.
public struct SeatMap: Hashable, Sendable {
    /// Seats in the run.
    public let count: Int
    private var chunks: [[SeatState]]
    public private(set) var held = 0
    public private(set) var sold = 0
    public private(set) var blocked = 0
    /// False once only the counts are kept.
    public private(set) var isDetailed = true

    private static let chunkShift = 6
    private static let chunkSize = 1 << chunkShift

    public init(count: Int) {
        let count = max(count, 0)
        self.count = count
        chunks = stride(from: 0, to: count, by: Self.chunkSize).map {
            Array(repeating: .available, count: min(Self.chunkSize, count - $0))
        }
    }

    /// A map of `count` seats where only the counts are known.
    public init(count: Int, held: Int, sold: Int, blocked: Int) {
        self.count = max(count, 0)
        chunks = []
        isDetailed = false
        (self.held, self.sold, self.blocked) = (held, sold, blocked)
    }

    /// A map holding `states` as they are (a slice of a larger map).
    public init<States: Collection<SeatState>>(states: States) {
        self.init(count: states.count)
        for (index, state) in states.enumerated() where state != .available { set(index, to: state) }
    }

    public var available: Int { count - held - sold - blocked }

    /// Every seat's state in order (empty once only the counts are kept).
    public var states: [SeatState] { Array(chunks.joined()) }

    /// The state of the seat at `index` (available when unknown: out of range, or counts only).
    public subscript(index: Int) -> SeatState {
        guard isDetailed, index >= 0, index < count else { return .available }
        return chunks[index >> Self.chunkShift][index & (Self.chunkSize - 1)]
    }

    /// Sets one seat, keeping the counts; an index outside the run is ignored.
    public mutating func set(_ index: Int, to state: SeatState) {
        guard isDetailed, index >= 0, index < count else { return }
        let (chunk, offset) = (index >> Self.chunkShift, index & (Self.chunkSize - 1))
        tally(chunks[chunk][offset], -1)
        chunks[chunk][offset] = state
        tally(state, 1)
    }

    /// Keeps only the counts (a show whose sales closed no longer needs each seat).
    public mutating func dropDetail() {
        chunks = []
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
            for chunk in chunks.indices where chunks[chunk].contains(where: { $0.isHeld(by: e.reservationId) }) {
                for offset in chunks[chunk].indices where chunks[chunk][offset].isHeld(by: e.reservationId) {
                    chunks[chunk][offset] = .held(e.reservationId, until: e.expiresAt)
                }
            }
        default:
            break
        }
    }

    /// Whether the reservation holds seats of this run (a hold's extension changes only those).
    public func holds(_ reservation: ReservationID) -> Bool {
        chunks.contains { $0.contains { $0.isHeld(by: reservation) } }
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
