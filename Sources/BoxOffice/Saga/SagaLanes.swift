import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The sagas in flight as lanes: where each stands, since when, and which are stuck — a hold
/// past its deadline and not expired, a payment asked for with no outcome past the time a
/// gateway takes, a settled payment the saga has not acted on.
public enum SagaLanes {
    /// A hold is late to expire this long after its deadline (the saga expires it within
    /// milliseconds; P7's p99 is tens of ms).
    public static let expiryGrace: TimeInterval = 10
    /// The longest a gateway takes to answer (the simulated one: at most 3 s).
    public static let paymentDeadline: TimeInterval = 30
    /// A step the saga takes at once (confirm, compensate, refund, release).
    public static let immediate: TimeInterval = 10

    /// The lanes of the ledger's entries as of `now`; `time` gives an event's store time by position.
    public static func lanes(_ entries: some Sequence<SagaLedger.Entry>, now: Date, time: (Int64) -> Date?) -> [SagaLane] {
        var lanes: [SagaLane] = []
        // A confirmed sale is out of the saga's hands unless its show was cancelled (one confirmed
        // without a payment, as tests and tools may do, waits for nothing either).
        for entry in entries where !entry.isShowMarker && (entry.status != .confirmed || entry.showCancelled) {
            let moved = time(entry.causation) ?? now
            let step: String, since: Date, expected: TimeInterval
            var stuck: String?
            switch (entry.status, entry.payment) {
            case (.held, .none), (.held, .refunded):
                (step, since) = ("held, awaiting payment", moved)
                expected = max(entry.expiresAt.timeIntervalSince(moved), 0) + expiryGrace
                let late = now.timeIntervalSince(entry.expiresAt)
                if late > expiryGrace { stuck = "hold past its deadline by \(Int(late)) s and not expired" }
            case (.held, .requested):
                (step, since, expected) = ("payment requested", entry.paymentRequestedAt ?? moved, paymentDeadline)
                let waited = now.timeIntervalSince(since)
                if waited > paymentDeadline { stuck = "payment requested \(Int(waited)) s ago and no outcome (a gateway answers within \(Int(paymentDeadline)) s)" }
            default:
                step = switch (entry.status, entry.payment) {
                case (.held, .succeeded): entry.showCancelled ? "paid, show cancelled: cancelling" : "paid, confirming"
                case (.confirmed, _): "show cancelled: cancelling the sale"
                case (.held, .failed): "payment failed, releasing the seats"
                case (_, .succeeded): "refunding the payment"
                case (.refundPending, _): "refunded, releasing the seats"
                default: "\(entry.status.rawValue), payment \(entry.payment.rawValue)"
                }
                (since, expected) = (moved, immediate)
                let waited = now.timeIntervalSince(moved)
                if waited > immediate { stuck = "\(step) for \(Int(waited)) s (the saga acts at once)" }
            }
            lanes.append(SagaLane(
                reservationId: ReservationID(entry.reservationId), showId: ShowID(entry.showId), amount: Money(minor: entry.amountMinor, currency: entry.currency),
                step: step, since: since, expected: expected, stuck: stuck, expiresAt: entry.expiresAt, correlationId: entry.correlationId,
                lastPosition: entry.causation
            ))
        }
        return SagaLane.ordered(lanes, now: now)
    }

    /// The lanes of a store as of the log's head and `now` (the ledger's table with the events
    /// past its checkpoint folded in memory; each entry's last event read for its time).
    public static func current(in storage: any ReadModelStore, now: Date) throws -> [SagaLane] {
        try board(in: storage, now: now).lanes
    }

    public static func board(in storage: any ReadModelStore, now: Date) throws -> SagaBoard {
        let started = DispatchTime.now().uptimeNanoseconds
        let (rows, position) = try ReadSide.current(SagaLedger(), in: storage)
        let lanes = lanes(rows.rows.values, now: now) { position in (try? storage.readAll(after: position - 1, limit: 1))?.first?.recordedAt }
        return SagaBoard(lanes: lanes, position: position, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }
}
