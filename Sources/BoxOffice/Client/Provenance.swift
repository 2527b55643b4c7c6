import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// Where an event came from and what it led to, read from the log by stream (no scan of the
/// whole log): a reservation's life is its reservation and payment streams, with the seat
/// events its commands wrote beside them; causes are followed by the causation ids the saga
/// records (the position of the event each step answered). `marquee events --correlation`
/// prints a whole conversation by reading the log.
enum Provenance {
    /// How far a causation chain is followed (a saga's chain is a handful of steps long).
    static let chainLimit = 32

    /// The reservation an event belongs to.
    static func reservation(of event: DomainEvent) -> ReservationID? {
        switch event {
        case .reservationRequested(let e): e.reservationId
        case .seatsHeld(let e): e.reservationId
        case .seatsSold(let e): e.reservationId
        case .seatsReleased(let e): e.reservationId
        default: SagaLedger.reservation(of: event).map(ReservationID.init)
        }
    }

    /// A reservation's life, oldest first: its reservation and payment streams, and the other
    /// events each of their commands wrote (the seats it held, sold or released).
    static func conversation(of reservation: ReservationID, in store: any EventStore) throws -> [RecordedEvent] {
        let own = try store.read(stream: StreamRef.reservation(reservation).name) + store.read(stream: StreamRef.payment(reservation.paymentID).name)
        var byPosition: [Int64: RecordedEvent] = [:]
        for event in own { byPosition[event.position] = event }
        // A command's events sit next to each other in the log: read a few around each one.
        for event in own {
            for near in try store.readAll(after: max(event.position - 4, 0), limit: 8) where writtenTogether(near, event) {
                byPosition[near.position] = near
            }
        }
        return byPosition.values.sorted { $0.position < $1.position }
    }

    /// Whether one command wrote both: the same command id, or (a command sent without one)
    /// the same instant, actor and correlation id.
    static func writtenTogether(_ a: RecordedEvent, _ b: RecordedEvent) -> Bool {
        if let command = a.metadata.commandId { return command == b.metadata.commandId }
        return b.metadata.commandId == nil && a.recordedAt == b.recordedAt && a.metadata.actor == b.metadata.actor
            && a.metadata.correlationId == b.metadata.correlationId
    }

    /// Every event that touched the seat, and the life of each reservation that held it.
    static func seat(_ seat: SeatID, of show: ShowID, in store: any EventStore) -> Result<SeatProvenance, ClientError> {
        let codec = EventCodec()
        do {
            var events: [EventSummary] = []
            var reservations: [ReservationID] = []
            // The seat's own events of each reservation, in case a command id is missing.
            var seatEvents: [ReservationID: [RecordedEvent]] = [:]
            for event in try store.read(stream: StreamRef.inventory(show).name) {
                guard let domain = try? codec.decode(event), domain.seatsNamed?.contains(seat) == true else { continue }
                events.append(summary(event, domain))
                guard let reservation = reservation(of: domain) else { continue }
                if !reservations.contains(reservation) { reservations.append(reservation) }
                seatEvents[reservation, default: []].append(event)
            }
            let stories = try reservations.map { reservation in
                var customer: String?
                var byPosition: [Int64: RecordedEvent] = [:]
                for event in try conversation(of: reservation, in: store) + (seatEvents[reservation] ?? []) { byPosition[event.position] = event }
                let steps = byPosition.values.sorted { $0.position < $1.position }.compactMap { event -> EventSummary? in
                    guard let domain = try? codec.decode(event) else { return nil }
                    if case .reservationRequested(let requested) = domain { customer = requested.customer }
                    return summary(event, domain)
                }
                return ReservationStory(reservationId: reservation.rawValue, customer: customer, steps: steps)
            }
            return .success(SeatProvenance(events: events, reservations: stories))
        } catch {
            return .failure(ClientError("cannot read the history of \(seat): \(error)"))
        }
    }

    /// What caused `event`, nearest first, and the command at the root of the chain.
    static func causes(of event: RecordedEvent, in store: any EventStore) -> (chain: [RecordedEvent], root: RecordedEvent) {
        var chain: [RecordedEvent] = []
        var current = event
        while chain.count < chainLimit, let cause = current.metadata.causationId.flatMap(Int64.init),
              let found = try? store.readAll(after: cause - 1, limit: 1).first, found.position == cause {
            chain.append(found)
            current = found
        }
        return (chain, current)
    }

    /// What `event` led to within its conversation: the events whose causation is it or one of
    /// them, and the others their commands wrote, oldest first.
    static func effects(of event: RecordedEvent, among conversation: [RecordedEvent]) -> [RecordedEvent] {
        var causes: Set<String> = [String(event.position)]
        var led: [RecordedEvent] = []
        for other in conversation where other.position > event.position {
            let answered = other.metadata.causationId.map(causes.contains) ?? false
            guard answered || led.contains(where: { writtenTogether($0, other) }) else { continue }
            led.append(other)
            causes.insert(String(other.position))
        }
        return led
    }

    static func summary(_ event: RecordedEvent, _ domain: DomainEvent) -> EventSummary {
        EventSummary(
            position: event.position, recordedAt: event.recordedAt, type: event.type, summary: EventFeed.summary(of: domain),
            actor: event.metadata.actor, correlationId: event.metadata.correlationId
        )
    }
}
