import EventStore
import Foundation
import Ticketing

/// Hand-read payloads for the event types that make up nearly all of a busy log (holds,
/// payments, confirmations, releases). The payloads share one small vocabulary of fields, so
/// one pass collects them and each type takes the ones it needs. Anything unexpected — an
/// unknown key, a missing field, an odd number — returns nil and `JSONDecoder` decides, so the
/// fast path can only ever agree with it (`EveryEventTypeTests` checks that it does).
struct PayloadFields {
    var reservationId: String?
    var showId: String?
    var paymentId: String?
    var seats: [SeatID]?
    var expiresAt: Date?
    var previousExpiresAt: Date?
    var by: String?
    var at: Date?
    var customer: String?
    var amountMinor: Int64?
    var currency: String?
    var method: String?
    var reason: String?
    var refundDue: Bool?

    init?(_ data: Data) {
        let read: PayloadFields?? = try? JSONScanner.read(data) { scanner -> PayloadFields? in
            var fields = PayloadFields()
            try scanner.object { key, scanner in
                switch key {
                case "reservationId": fields.reservationId = try scanner.string()
                case "showId": fields.showId = try scanner.string()
                case "paymentId": fields.paymentId = try scanner.string()
                case "seats":
                    var seats: [SeatID] = []
                    try scanner.array { seats.append(SeatID(try $0.string())) }
                    fields.seats = seats
                case "expiresAt": fields.expiresAt = try scanner.date()
                case "previousExpiresAt": fields.previousExpiresAt = try scanner.date()
                case "by": fields.by = try scanner.string()
                case "at": fields.at = try scanner.date()
                case "customer": fields.customer = try scanner.string()
                case "amountMinor": fields.amountMinor = try scanner.int()
                case "currency": fields.currency = try scanner.string()
                case "method": fields.method = try scanner.string()
                case "reason": fields.reason = try scanner.string()
                case "refundDue": fields.refundDue = try scanner.bool()
                default: throw JSONScanner.Unexpected()
                }
            }
            return scanner.atEnd() ? fields : nil
        }
        guard let fields = read ?? nil else { return nil }
        self = fields
    }

    private init() {}

    var reservation: ReservationID? { reservationId.map(ReservationID.init) }
    var show: ShowID? { showId.map(ShowID.init) }
    var payment: PaymentID? { paymentId.map(PaymentID.init) }

    /// Fast readers by type name; types not listed always go through `JSONDecoder`.
    static let readers: [String: @Sendable (PayloadFields) -> DomainEvent?] = [
        "ReservationRequested": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let customer = f.customer, let amount = f.amountMinor,
                  let currency = f.currency, let by = f.by, let at = f.at else { return nil }
            return .reservationRequested(ReservationRequested(reservationId: r, showId: s, seats: seats, customer: customer, amountMinor: amount, currency: currency, by: by, at: at))
        },
        "ReservationHeld": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let expires = f.expiresAt, let by = f.by, let at = f.at else { return nil }
            return .reservationHeld(ReservationHeld(reservationId: r, showId: s, seats: seats, expiresAt: expires, by: by, at: at))
        },
        "SeatsHeld": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let expires = f.expiresAt, let by = f.by, let at = f.at else { return nil }
            return .seatsHeld(SeatsHeld(showId: s, reservationId: r, seats: seats, expiresAt: expires, by: by, at: at))
        },
        "HoldExtended": { f in
            guard let r = f.reservation, let s = f.show, let previous = f.previousExpiresAt, let expires = f.expiresAt, let by = f.by, let at = f.at else { return nil }
            return .holdExtended(HoldExtended(reservationId: r, showId: s, previousExpiresAt: previous, expiresAt: expires, by: by, at: at))
        },
        "PaymentRequested": { f in
            guard let p = f.payment, let r = f.reservation, let s = f.show, let amount = f.amountMinor, let currency = f.currency,
                  let method = f.method.flatMap(PaymentMethod.init(rawValue:)), let by = f.by, let at = f.at else { return nil }
            return .paymentRequested(PaymentRequested(paymentId: p, reservationId: r, showId: s, amountMinor: amount, currency: currency, method: method, by: by, at: at))
        },
        "PaymentSucceeded": { f in
            guard let p = f.payment, let r = f.reservation, let amount = f.amountMinor, let currency = f.currency, let by = f.by, let at = f.at else { return nil }
            return .paymentSucceeded(PaymentSucceeded(paymentId: p, reservationId: r, amountMinor: amount, currency: currency, by: by, at: at))
        },
        "PaymentFailed": { f in
            guard let p = f.payment, let r = f.reservation, let reason = f.reason, let by = f.by, let at = f.at else { return nil }
            return .paymentFailed(PaymentFailed(paymentId: p, reservationId: r, reason: reason, by: by, at: at))
        },
        "ReservationConfirmed": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let amount = f.amountMinor, let currency = f.currency, let by = f.by, let at = f.at else { return nil }
            return .reservationConfirmed(ReservationConfirmed(reservationId: r, showId: s, seats: seats, amountMinor: amount, currency: currency, by: by, at: at))
        },
        "SeatsSold": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let by = f.by, let at = f.at else { return nil }
            return .seatsSold(SeatsSold(showId: s, reservationId: r, seats: seats, by: by, at: at))
        },
        "SeatsReleased": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let reason = f.reason.flatMap(ReleaseReason.init(rawValue:)),
                  let by = f.by, let at = f.at else { return nil }
            return .seatsReleased(SeatsReleased(showId: s, reservationId: r, seats: seats, reason: reason, by: by, at: at))
        },
        "ReservationCancelled": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let refundDue = f.refundDue, let by = f.by, let at = f.at else { return nil }
            return .reservationCancelled(ReservationCancelled(reservationId: r, showId: s, seats: seats, refundDue: refundDue, by: by, at: at))
        },
        "ReservationExpired": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let expires = f.expiresAt, let by = f.by, let at = f.at else { return nil }
            return .reservationExpired(ReservationExpired(reservationId: r, showId: s, seats: seats, expiresAt: expires, by: by, at: at))
        },
        "ReservationCompensated": { f in
            guard let r = f.reservation, let s = f.show, let seats = f.seats, let reason = f.reason, let by = f.by, let at = f.at else { return nil }
            return .reservationCompensated(ReservationCompensated(reservationId: r, showId: s, seats: seats, reason: reason, by: by, at: at))
        },
    ]
}

/// Hand-written payloads for the same hot types, byte for byte what `JSONEncoder` (sorted keys,
/// unescaped slashes, `Timestamp` times) writes; nil for the other types.
enum PayloadWriter {
    static func encode(_ event: DomainEvent) -> Data? {
        var w = JSONObjectWriter()
        switch event {
        case .reservationRequested(let e):
            w.int("amountMinor", e.amountMinor); w.date("at", e.at); w.string("by", e.by); w.string("currency", e.currency)
            w.string("customer", e.customer); w.string("reservationId", e.reservationId.rawValue); w.strings("seats", e.seats.map(\.rawValue))
            w.string("showId", e.showId.rawValue)
        case .reservationHeld(let e):
            w.date("at", e.at); w.string("by", e.by); w.date("expiresAt", e.expiresAt); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .seatsHeld(let e):
            w.date("at", e.at); w.string("by", e.by); w.date("expiresAt", e.expiresAt); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .holdExtended(let e):
            w.date("at", e.at); w.string("by", e.by); w.date("expiresAt", e.expiresAt); w.date("previousExpiresAt", e.previousExpiresAt)
            w.string("reservationId", e.reservationId.rawValue); w.string("showId", e.showId.rawValue)
        case .paymentRequested(let e):
            w.int("amountMinor", e.amountMinor); w.date("at", e.at); w.string("by", e.by); w.string("currency", e.currency)
            w.string("method", e.method.rawValue); w.string("paymentId", e.paymentId.rawValue); w.string("reservationId", e.reservationId.rawValue)
            w.string("showId", e.showId.rawValue)
        case .paymentSucceeded(let e):
            w.int("amountMinor", e.amountMinor); w.date("at", e.at); w.string("by", e.by); w.string("currency", e.currency)
            w.string("paymentId", e.paymentId.rawValue); w.string("reservationId", e.reservationId.rawValue)
        case .paymentFailed(let e):
            w.date("at", e.at); w.string("by", e.by); w.string("paymentId", e.paymentId.rawValue); w.string("reason", e.reason)
            w.string("reservationId", e.reservationId.rawValue)
        case .reservationConfirmed(let e):
            w.int("amountMinor", e.amountMinor); w.date("at", e.at); w.string("by", e.by); w.string("currency", e.currency)
            w.string("reservationId", e.reservationId.rawValue); w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .seatsSold(let e):
            w.date("at", e.at); w.string("by", e.by); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .seatsReleased(let e):
            w.date("at", e.at); w.string("by", e.by); w.string("reason", e.reason.rawValue); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .reservationCancelled(let e):
            w.date("at", e.at); w.string("by", e.by); w.bool("refundDue", e.refundDue); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .reservationExpired(let e):
            w.date("at", e.at); w.string("by", e.by); w.date("expiresAt", e.expiresAt); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        case .reservationCompensated(let e):
            w.date("at", e.at); w.string("by", e.by); w.string("reason", e.reason); w.string("reservationId", e.reservationId.rawValue)
            w.strings("seats", e.seats.map(\.rawValue)); w.string("showId", e.showId.rawValue)
        default:
            return nil
        }
        return w.finish()
    }
}
