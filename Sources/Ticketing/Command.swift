import Foundation

/// Everything an operator, a buyer or the saga can ask of the box office. Imperative names;
/// the facts they produce are `DomainEvent`s.
public enum Command: Sendable, Hashable {
    case createShow(ShowID, name: String, venue: Venue, startsAt: Date)
    case submitShow(ShowID)
    case approveShow(ShowID)
    case rejectShow(ShowID, reason: String)
    case reopenShow(ShowID)
    /// Changes a draft's name, start (nil: unchanged) or tier prices (by tier id, in minor
    /// units; the tiers not named keep theirs).
    case editShow(ShowID, name: String?, startsAt: Date?, prices: [String: Int64] = [:])
    case closeSales(ShowID)
    case cancelShow(ShowID, reason: String?)
    case blockSeats(ShowID, seats: [SeatID])
    case unblockSeats(ShowID, seats: [SeatID])
    case reserveSeats(ShowID, seats: [SeatID], customer: String, reservation: ReservationID, holdFor: TimeInterval)
    case reserveBestAvailable(
        ShowID, quantity: Int, section: String?, customer: String, reservation: ReservationID, holdFor: TimeInterval
    )
    case extendHold(ReservationID, by: TimeInterval)
    case cancelReservation(ReservationID)
    case confirmReservation(ReservationID)
    case expireHold(ReservationID)
    case compensateReservation(ReservationID, reason: String)
    case refundReservation(ReservationID)
    case requestPayment(ReservationID, method: PaymentMethod)
    case recordPaymentSucceeded(PaymentID)
    case recordPaymentFailed(PaymentID, reason: String)
    case refundPayment(PaymentID)

    /// The longest a hold may be extended by, and the furthest from its start it may end.
    public static let maximumExtension: TimeInterval = 120
    public static let maximumHoldSpan: TimeInterval = 15 * 60

    /// The streams whose state the decision needs, given what has been loaded so far. A handler
    /// loads until the list stops growing: a reservation's inventory is known only once the
    /// reservation is loaded.
    public func reads(given loaded: Aggregates) -> [StreamRef] {
        switch self {
        case .createShow(let show, _, _, _):
            return [.show(show), .inventory(show)]
        case .editShow(let show, _, _, let prices):
            return prices.isEmpty ? [.show(show)] : [.show(show), .inventory(show)]
        case .submitShow(let show), .approveShow(let show), .rejectShow(let show, _), .reopenShow(let show),
             .closeSales(let show), .cancelShow(let show, _):
            return [.show(show)]
        case .blockSeats(let show, _), .unblockSeats(let show, _):
            return [.show(show), .inventory(show)]
        case .reserveSeats(let show, _, _, let reservation, _),
             .reserveBestAvailable(let show, _, _, _, let reservation, _):
            return [.show(show), .inventory(show), .reservation(reservation)]
        case .extendHold(let reservation, _):
            return [.reservation(reservation)]
        case .cancelReservation(let reservation), .confirmReservation(let reservation), .expireHold(let reservation),
             .compensateReservation(let reservation, _), .refundReservation(let reservation):
            return [.reservation(reservation)] + (loaded.reservation.map { [.inventory($0.showId)] } ?? [])
        case .requestPayment(let reservation, _):
            return [.reservation(reservation), .payment(reservation.paymentID)]
        case .recordPaymentSucceeded(let payment), .recordPaymentFailed(let payment, _), .refundPayment(let payment):
            return [.payment(payment)]
        }
    }

    /// The show the command concerns, when it names one directly.
    public var showID: ShowID? {
        switch self {
        case .createShow(let show, _, _, _), .submitShow(let show), .approveShow(let show), .rejectShow(let show, _),
             .reopenShow(let show), .editShow(let show, _, _, _), .closeSales(let show), .cancelShow(let show, _), .blockSeats(let show, _),
             .unblockSeats(let show, _), .reserveSeats(let show, _, _, _, _),
             .reserveBestAvailable(let show, _, _, _, _, _):
            show
        default:
            nil
        }
    }
}

/// The current state of every stream a command reads; absent streams are nil.
public struct Aggregates: Sendable, Hashable {
    public var show: ShowState?
    public var inventory: InventoryState?
    public var reservation: ReservationState?
    public var payment: PaymentState?

    public init(
        show: ShowState? = nil, inventory: InventoryState? = nil,
        reservation: ReservationState? = nil, payment: PaymentState? = nil
    ) {
        self.show = show
        self.inventory = inventory
        self.reservation = reservation
        self.payment = payment
    }

    /// Copies the aggregate of `ref`'s kind from `other`.
    public mutating func take(_ ref: StreamRef, from other: Aggregates) {
        switch ref {
        case .show: show = other.show
        case .inventory: inventory = other.inventory
        case .reservation: reservation = other.reservation
        case .payment: payment = other.payment
        }
    }

    /// Folds an event into the aggregate of the stream it was recorded on.
    public mutating func apply(_ event: DomainEvent, on stream: StreamRef) {
        switch stream {
        case .show: show = ShowState.evolve(show, event)
        case .inventory: inventory = InventoryState.evolve(inventory, event)
        case .reservation: reservation = ReservationState.evolve(reservation, event)
        case .payment: payment = PaymentState.evolve(payment, event)
        }
    }
}

/// One event a decision produced, with the stream it belongs on.
public struct Decided: Sendable, Hashable {
    public var stream: StreamRef
    public var event: DomainEvent

    public init(_ stream: StreamRef, _ event: DomainEvent) {
        self.stream = stream
        self.event = event
    }
}
