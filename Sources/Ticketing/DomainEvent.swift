import Foundation

/// What every event payload is: a value that says who did it and when.
public protocol DomainEventPayload: Sendable, Hashable, Codable {
    /// The type name the store records (`events.type`): part of the stored contract, declared
    /// by each type so renaming the Swift type cannot change it.
    static var typeName: String { get }
    var by: String { get }
    var at: Date { get }
}

/// Every fact Marquee records, one case per event type; `typeName` is what the store records.
///
/// - Important: type names are read by programs outside Marquee; never rename a case's type.
public enum DomainEvent: Sendable, Hashable {
    case showCreated(ShowCreated)
    case showSubmitted(ShowSubmitted)
    case showApproved(ShowApproved)
    case showRejected(ShowRejected)
    case showReopened(ShowReopened)
    case showEdited(ShowEdited)
    case salesClosed(SalesClosed)
    case showCancelled(ShowCancelled)
    case inventoryInitialized(InventoryInitialized)
    case tierPricesChanged(TierPricesChanged)
    case seatsHeld(SeatsHeld)
    case seatsReleased(SeatsReleased)
    case seatsSold(SeatsSold)
    case seatsBlocked(SeatsBlocked)
    case seatsUnblocked(SeatsUnblocked)
    case reservationRequested(ReservationRequested)
    case reservationHeld(ReservationHeld)
    case holdExtended(HoldExtended)
    case reservationConfirmed(ReservationConfirmed)
    case reservationCancelled(ReservationCancelled)
    case reservationExpired(ReservationExpired)
    case reservationCompensated(ReservationCompensated)
    case reservationRefunded(ReservationRefunded)
    case paymentRequested(PaymentRequested)
    case paymentSucceeded(PaymentSucceeded)
    case paymentFailed(PaymentFailed)
    case paymentRefunded(PaymentRefunded)

    /// The payload, for code that needs only what all payloads share or wants to encode it.
    public var payload: any DomainEventPayload {
        switch self {
        case .showCreated(let e): e
        case .showSubmitted(let e): e
        case .showApproved(let e): e
        case .showRejected(let e): e
        case .showReopened(let e): e
        case .showEdited(let e): e
        case .salesClosed(let e): e
        case .showCancelled(let e): e
        case .inventoryInitialized(let e): e
        case .tierPricesChanged(let e): e
        case .seatsHeld(let e): e
        case .seatsReleased(let e): e
        case .seatsSold(let e): e
        case .seatsBlocked(let e): e
        case .seatsUnblocked(let e): e
        case .reservationRequested(let e): e
        case .reservationHeld(let e): e
        case .holdExtended(let e): e
        case .reservationConfirmed(let e): e
        case .reservationCancelled(let e): e
        case .reservationExpired(let e): e
        case .reservationCompensated(let e): e
        case .reservationRefunded(let e): e
        case .paymentRequested(let e): e
        case .paymentSucceeded(let e): e
        case .paymentFailed(let e): e
        case .paymentRefunded(let e): e
        }
    }

    public var typeName: String { Self.typeName(of: type(of: payload)) }

    public var by: String { payload.by }
    public var at: Date { payload.at }

    /// The recorded type name of a payload type (its declared `typeName`).
    public static func typeName(of payloadType: any DomainEventPayload.Type) -> String {
        payloadType.typeName
    }

    /// Every payload type, for codecs and for tests that check each type round-trips.
    public static let payloadTypes: [any DomainEventPayload.Type] = [
        ShowCreated.self, ShowSubmitted.self, ShowApproved.self, ShowRejected.self, ShowReopened.self, ShowEdited.self,
        SalesClosed.self, ShowCancelled.self, InventoryInitialized.self, TierPricesChanged.self, SeatsHeld.self, SeatsReleased.self,
        SeatsSold.self, SeatsBlocked.self, SeatsUnblocked.self, ReservationRequested.self,
        ReservationHeld.self, HoldExtended.self, ReservationConfirmed.self, ReservationCancelled.self,
        ReservationExpired.self, ReservationCompensated.self, ReservationRefunded.self,
        PaymentRequested.self, PaymentSucceeded.self, PaymentFailed.self, PaymentRefunded.self,
    ]

    /// Wraps a payload of a known type back into its case.
    public init?(payload: any DomainEventPayload) {
        switch payload {
        case let e as ShowCreated: self = .showCreated(e)
        case let e as ShowSubmitted: self = .showSubmitted(e)
        case let e as ShowApproved: self = .showApproved(e)
        case let e as ShowRejected: self = .showRejected(e)
        case let e as ShowReopened: self = .showReopened(e)
        case let e as ShowEdited: self = .showEdited(e)
        case let e as SalesClosed: self = .salesClosed(e)
        case let e as ShowCancelled: self = .showCancelled(e)
        case let e as InventoryInitialized: self = .inventoryInitialized(e)
        case let e as TierPricesChanged: self = .tierPricesChanged(e)
        case let e as SeatsHeld: self = .seatsHeld(e)
        case let e as SeatsReleased: self = .seatsReleased(e)
        case let e as SeatsSold: self = .seatsSold(e)
        case let e as SeatsBlocked: self = .seatsBlocked(e)
        case let e as SeatsUnblocked: self = .seatsUnblocked(e)
        case let e as ReservationRequested: self = .reservationRequested(e)
        case let e as ReservationHeld: self = .reservationHeld(e)
        case let e as HoldExtended: self = .holdExtended(e)
        case let e as ReservationConfirmed: self = .reservationConfirmed(e)
        case let e as ReservationCancelled: self = .reservationCancelled(e)
        case let e as ReservationExpired: self = .reservationExpired(e)
        case let e as ReservationCompensated: self = .reservationCompensated(e)
        case let e as ReservationRefunded: self = .reservationRefunded(e)
        case let e as PaymentRequested: self = .paymentRequested(e)
        case let e as PaymentSucceeded: self = .paymentSucceeded(e)
        case let e as PaymentFailed: self = .paymentFailed(e)
        case let e as PaymentRefunded: self = .paymentRefunded(e)
        default: return nil
        }
    }
}
