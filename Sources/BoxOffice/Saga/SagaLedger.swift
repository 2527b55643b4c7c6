import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// What the reservation saga knows about each live reservation: where its hold, payment and
/// show stand. A pure fold like any read model (table `rm_saga_ledger`). Keyed by reservation
/// id; finished reservations leave it — a paid, confirmed one too, so the ledger (and the
/// saga's start-up) stays the size of what is in flight, not of the history. A later refund
/// of such a reservation starts a new entry from its `ReservationCancelled`, and a cancelled
/// show leaves a marker (`show:<id>`) from which the saga cancels the show's sales.
public struct SagaLedger: Projection {
    public enum Payment: String, Codable, Sendable { case none, requested, succeeded, failed, refunded }

    public struct Entry: Codable, Sendable, Equatable {
        public var reservationId: String
        public var showId: String
        public var status: ReservationStatus
        public var expiresAt: Date
        public var payment: Payment = .none
        public var method: PaymentMethod?
        public var amountMinor: Int64
        public var currency: String
        public var paymentRequestedAt: Date?
        public var failureReason: String?
        public var showCancelled = false
        /// The story this reservation belongs to, and the last event that moved it.
        public var correlationId: String?
        public var causation: Int64

        var isFinished: Bool {
            if status == .confirmed && payment == .succeeded && !showCancelled { return true }
            return [.expired, .compensated, .cancelled, .refunded].contains(status) && [.none, .failed, .refunded].contains(payment)
        }

        /// Whether this is a cancelled show's marker rather than a reservation.
        public var isShowMarker: Bool { reservationId.hasPrefix(SagaLedger.showMarkerPrefix) }
    }

    static let showMarkerPrefix = "show:"

    static func showMarker(_ show: ShowID, correlationId: String?, at position: Int64) -> Entry {
        Entry(
            reservationId: showMarkerPrefix + show.rawValue, showId: show.rawValue, status: .cancelled, expiresAt: Date(timeIntervalSince1970: 0),
            amountMinor: 0, currency: "", showCancelled: true, correlationId: correlationId, causation: position
        )
    }

    public var name: String { "sagaLedger" }
    public init() {}

    public func apply(_ event: DomainEvent, _ recorded: RecordedEvent, to rows: inout RowSet<Entry>) {
        if case .showCancelled(let e) = event {
            for (key, entry) in rows.rows where entry.showId == e.showId.rawValue && !entry.showCancelled {
                var changed = entry
                changed.showCancelled = true
                changed.causation = recorded.position
                rows[key] = changed
            }
            // Its confirmed sales left the ledger when they were confirmed: the marker stands for them.
            rows[Self.showMarkerPrefix + e.showId.rawValue] = Self.showMarker(e.showId, correlationId: recorded.metadata.correlationId, at: recorded.position)
            return
        }
        if case .reservationRequested(let e) = event {
            rows[e.reservationId.rawValue] = Entry(
                reservationId: e.reservationId.rawValue, showId: e.showId.rawValue, status: .held, expiresAt: e.at,
                amountMinor: e.amountMinor, currency: e.currency, correlationId: recorded.metadata.correlationId,
                causation: recorded.position
            )
            return
        }
        guard let id = Self.reservation(of: event) else { return }
        var entry: Entry
        if let existing = rows[id] {
            entry = existing
        } else if case .reservationCancelled(let e) = event, e.refundDue {
            // A confirmed, paid reservation (it left the ledger when confirmed) now owes a refund.
            entry = Entry(
                reservationId: id, showId: e.showId.rawValue, status: .confirmed, expiresAt: e.at, payment: .succeeded,
                amountMinor: 0, currency: "", correlationId: recorded.metadata.correlationId, causation: recorded.position
            )
        } else {
            return
        }
        entry.causation = recorded.position
        switch event {
        case .reservationHeld(let e): entry.expiresAt = e.expiresAt
        case .holdExtended(let e): entry.expiresAt = e.expiresAt
        case .reservationConfirmed: entry.status = .confirmed
        case .reservationCancelled(let e): entry.status = e.refundDue ? .refundPending : .cancelled
        case .reservationExpired: entry.status = .expired
        case .reservationCompensated: entry.status = .compensated
        case .reservationRefunded: entry.status = .refunded
        case .paymentRequested(let e):
            entry.payment = .requested
            entry.method = e.method
            entry.paymentRequestedAt = e.at
        case .paymentSucceeded: entry.payment = .succeeded
        case .paymentFailed(let e):
            entry.payment = .failed
            entry.failureReason = e.reason
        case .paymentRefunded: entry.payment = .refunded
        default: break
        }
        rows[id] = entry.isFinished ? nil : entry
    }

    static func reservation(of event: DomainEvent) -> String? {
        switch event {
        case .reservationHeld(let e): e.reservationId.rawValue
        case .holdExtended(let e): e.reservationId.rawValue
        case .reservationConfirmed(let e): e.reservationId.rawValue
        case .reservationCancelled(let e): e.reservationId.rawValue
        case .reservationExpired(let e): e.reservationId.rawValue
        case .reservationCompensated(let e): e.reservationId.rawValue
        case .reservationRefunded(let e): e.reservationId.rawValue
        case .paymentRequested(let e): e.reservationId.rawValue
        case .paymentSucceeded(let e): e.reservationId.rawValue
        case .paymentFailed(let e): e.reservationId.rawValue
        case .paymentRefunded(let e): e.reservationId.rawValue
        default: nil
        }
    }
}

// One row per reservation in flight, loaded whenever a saga starts: coded by hand (same JSON
// as Codable, optional fields left out when absent).
extension SagaLedger.Entry: FastCodingRow {
    static func fastDecode(_ data: Data) -> Self? {
        let decoded = try? JSONScanner.read(data) { scanner -> Self? in
            var reservationId: String?, showId: String?, status: ReservationStatus?, expiresAt: Date?, amountMinor: Int64?, currency: String?
            // payment and showCancelled are always written, and Codable requires them.
            var payment: SagaLedger.Payment?, method: PaymentMethod?, requestedAt: Date?, failure: String?, cancelled: Bool?
            var correlation: String?, causation: Int64?
            try scanner.object { key, scanner in
                switch key {
                case "reservationId": reservationId = try scanner.string()
                case "showId": showId = try scanner.string()
                case "status": status = ReservationStatus(rawValue: try scanner.string())
                case "expiresAt": expiresAt = try scanner.date()
                case "amountMinor": amountMinor = try scanner.int()
                case "currency": currency = try scanner.string()
                case "payment":
                    guard let value = SagaLedger.Payment(rawValue: try scanner.string()) else { throw JSONScanner.Unexpected() }
                    payment = value
                case "method":
                    if !scanner.null() {
                        guard let value = PaymentMethod(rawValue: try scanner.string()) else { throw JSONScanner.Unexpected() }
                        method = value
                    }
                case "paymentRequestedAt": requestedAt = scanner.null() ? nil : try scanner.date()
                case "failureReason": failure = try scanner.optionalString()
                case "showCancelled": cancelled = try scanner.bool()
                case "correlationId": correlation = try scanner.optionalString()
                case "causation": causation = try scanner.int()
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), let reservationId, let showId, let status, let expiresAt, let amountMinor, let currency, let causation,
                  let payment, let cancelled else { return nil }
            return Self(
                reservationId: reservationId, showId: showId, status: status, expiresAt: expiresAt, payment: payment, method: method,
                amountMinor: amountMinor, currency: currency, paymentRequestedAt: requestedAt, failureReason: failure,
                showCancelled: cancelled, correlationId: correlation, causation: causation
            )
        }
        return decoded ?? nil
    }

    func fastEncode() -> Data {
        var w = JSONObjectWriter()
        w.int("amountMinor", amountMinor); w.int("causation", causation)
        if let correlationId { w.string("correlationId", correlationId) }
        w.string("currency", currency); w.date("expiresAt", expiresAt)
        if let failureReason { w.string("failureReason", failureReason) }
        if let method { w.string("method", method.rawValue) }
        w.string("payment", payment.rawValue)
        if let paymentRequestedAt { w.date("paymentRequestedAt", paymentRequestedAt) }
        w.string("reservationId", reservationId); w.bool("showCancelled", showCancelled); w.string("showId", showId); w.string("status", status.rawValue)
        return w.finish()
    }
}
