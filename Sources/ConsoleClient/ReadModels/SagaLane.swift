import Foundation
import Ticketing

/// One reservation in flight, as the sagas view shows it: the step it is at, since when, how
/// long that step should take, and whether it is stuck (and why).
public struct SagaLane: Sendable, Hashable {
    public var reservationId: ReservationID
    public var showId: ShowID
    public var amount: Money
    /// What the saga waits for now, in words (`payment requested`).
    public var step: String
    /// When the reservation reached that step (store time).
    public var since: Date
    /// How long the step should take at most.
    public var expected: TimeInterval
    /// Why it is stuck; nil while it is on time.
    public var stuck: String?
    public var expiresAt: Date
    public var correlationId: String?
    /// The last event that moved it (its details show the chain of the saga's steps).
    public var lastPosition: Int64

    public init(
        reservationId: ReservationID, showId: ShowID, amount: Money, step: String, since: Date, expected: TimeInterval, stuck: String?,
        expiresAt: Date, correlationId: String?, lastPosition: Int64
    ) {
        (self.reservationId, self.showId, self.amount, self.step, self.since) = (reservationId, showId, amount, step, since)
        (self.expected, self.stuck, self.expiresAt, self.correlationId, self.lastPosition) = (expected, stuck, expiresAt, correlationId, lastPosition)
    }

    /// Stuck lanes first (the longest overdue first), then the longest in their step.
    public static func ordered(_ lanes: [SagaLane], now: Date) -> [SagaLane] {
        lanes.sorted { a, b in
            if (a.stuck != nil) != (b.stuck != nil) { return a.stuck != nil }
            let overA = now.timeIntervalSince(a.since) - a.expected, overB = now.timeIntervalSince(b.since) - b.expected
            return (overA, b.reservationId) > (overB, a.reservationId)
        }
    }
}

/// The sagas as a screen asks for them: the lanes, as of which head, and how long reading took.
public struct SagaBoard: Sendable, Equatable {
    public var lanes: [SagaLane]
    public var position: Int64
    public var seconds: Double

    public init(lanes: [SagaLane] = [], position: Int64 = 0, seconds: Double = 0) {
        (self.lanes, self.position, self.seconds) = (lanes, position, seconds)
    }
}
