import BoxOffice
import EventStore
import Foundation
import Ticketing

/// Checks of a store against Marquee's promises, by replaying its log. Each returns the
/// violations found (empty when the promise held), worded for a person.
public enum LogAudit {
    /// R1: a seat is never held or sold by two reservations at once, and held + sold never
    /// exceeds a show's capacity, at any position of the log.
    public static func doubleBooking(in store: any EventStore) throws -> [String] {
        var owner: [String: String] = [:]
        var capacity: [ShowID: Int] = [:]
        var taken: [ShowID: Int] = [:]
        var found: [String] = []
        try forEachEvent(in: store) { recorded, event in
            switch event {
            case .inventoryInitialized(let e): capacity[e.showId] = e.capacity
            case .seatsHeld(let e):
                for seat in e.seats {
                    let key = "\(e.showId)/\(seat)"
                    if let holder = owner[key] { found.append("#\(recorded.position): \(seat) held by \(e.reservationId) while \(holder) has it") }
                    owner[key] = e.reservationId.rawValue
                }
                taken[e.showId, default: 0] += e.seats.count
                if taken[e.showId, default: 0] > capacity[e.showId] ?? .max {
                    found.append("#\(recorded.position): \(e.showId) has \(taken[e.showId] ?? 0) seats held or sold of \(capacity[e.showId] ?? 0)")
                }
            case .seatsSold(let e):
                for seat in e.seats where owner["\(e.showId)/\(seat)"] != e.reservationId.rawValue {
                    found.append("#\(recorded.position): \(seat) sold to \(e.reservationId) but held by \(owner["\(e.showId)/\(seat)"] ?? "nobody")")
                }
            case .seatsReleased(let e):
                for seat in e.seats { owner["\(e.showId)/\(seat)"] = nil }
                taken[e.showId, default: 0] -= e.seats.count
            default: break
            }
        }
        return found
    }

    /// R2: no step of a reservation's or payment's life is recorded twice (a repeated append
    /// after a crash would show as a second `ReservationExpired`, `PaymentSucceeded`, …), and
    /// no command id is recorded against two different appends.
    public static func duplicates(in store: any EventStore) throws -> [String] {
        var seen: [String: Int64] = [:]
        var found: [String] = []
        try forEachEvent(in: store) { recorded, event in
            let subject: String
            switch event {
            case .reservationRequested(let e): subject = e.reservationId.rawValue
            case .reservationConfirmed(let e): subject = e.reservationId.rawValue
            case .reservationExpired(let e): subject = e.reservationId.rawValue
            case .reservationCompensated(let e): subject = e.reservationId.rawValue
            case .reservationRefunded(let e): subject = e.reservationId.rawValue
            case .reservationCancelled(let e): subject = e.reservationId.rawValue
            case .paymentRequested(let e): subject = e.paymentId.rawValue
            case .paymentSucceeded(let e): subject = e.paymentId.rawValue
            case .paymentFailed(let e): subject = e.paymentId.rawValue
            case .paymentRefunded(let e): subject = e.paymentId.rawValue
            case .showCreated(let e): subject = e.showId.rawValue
            default: return
            }
            let key = "\(recorded.type) \(subject)"
            if let first = seen[key] { found.append("#\(recorded.position): \(key) again (first at #\(first))") } else { seen[key] = recorded.position }
        }
        return found
    }

    /// R2: every command a client was told had succeeded is in the log.
    public static func missing(acknowledged commandIds: [String], in store: any EventStore) throws -> [String] {
        try commandIds.filter { try store.recordedCommand($0) == nil }.map { "acknowledged command \($0) is not in the log" }
    }

    /// R2: every read model and the saga ledger equal a rebuild from the log up to their own
    /// checkpoints (rows and checkpoint were saved together).
    public static func readModels(in store: any ReadModelStore) throws -> [String] {
        try Rebuild.run(storage: store, names: Runtime.subscriberNames, mode: .verify).filter { !$0.matches }.map { report in
            "\(report.projection) differs from a rebuild at #\(report.checkpoint): \(report.inserted) missing, \(report.updated) different, "
                + "\(report.deleted) extra rows (\(report.differingKeys.prefix(3).joined(separator: ", ")))"
        }
    }

    /// R2: after a runtime has drained, every subscriber is at the head and none is stopped on
    /// a failure.
    public static func stuckSubscribers(in store: any ReadModelStore) throws -> [String] {
        let head = try store.headPosition()
        var found: [String] = []
        for name in Runtime.subscriberNames {
            let checkpoint = try store.checkpoint(of: name)
            if checkpoint < head { found.append("\(name) is at #\(checkpoint) of #\(head)") }
        }
        for failure in try store.failures(includeResolved: false) {
            found.append("\(failure.subscriber) stopped at #\(failure.position): \(failure.error)")
        }
        return found
    }

    /// R3: no hold expired before its deadline.
    public static func earlyExpiries(in store: any EventStore) throws -> [String] {
        var found: [String] = []
        try forEachEvent(in: store) { recorded, event in
            if case .reservationExpired(let e) = event, e.at < e.expiresAt {
                found.append("#\(recorded.position): \(e.reservationId) expired at \(Timestamp.string(e.at)), before its deadline \(Timestamp.string(e.expiresAt))")
            }
        }
        return found
    }

    /// R7: every event names who did it and the story it belongs to.
    public static func unaccountable(in store: any EventStore) throws -> [String] {
        var found: [String] = []
        try forEachEvent(in: store) { recorded, _ in
            if (recorded.metadata.actor ?? "").isEmpty || (recorded.metadata.correlationId ?? "").isEmpty {
                found.append("#\(recorded.position) \(recorded.type) has no actor or correlation id")
            }
        }
        return found
    }

    static func forEachEvent(in store: any EventStore, _ body: (RecordedEvent, DomainEvent) throws -> Void) throws {
        let codec = EventCodec()
        var after: Int64 = 0
        while true {
            let batch = try store.readAll(after: after, limit: 5_000)
            guard let last = batch.last else { return }
            after = last.position
            for recorded in batch { try body(recorded, try codec.decode(recorded)) }
        }
    }
}
