import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Ticketing

extension ConsoleApp {
    /// Every inventory event that touched the seat, oldest first, with who and which story.
    static func history(of seat: SeatID, show: ShowID, store: any ReadModelStore, zone: TimeZone) -> Action {
        let codec = EventCodec()
        guard let events = try? store.read(stream: StreamRef.inventory(show).name) else {
            return .commandFailed("cannot read the history of \(seat)")
        }
        var lines: [String] = []
        for event in events {
            guard let domain = try? codec.decode(event) else { continue }
            let seats: [SeatID]
            switch domain {
            case .seatsHeld(let e): seats = e.seats
            case .seatsReleased(let e): seats = e.seats
            case .seatsSold(let e): seats = e.seats
            case .seatsBlocked(let e): seats = e.seats
            case .seatsUnblocked(let e): seats = e.seats
            default: continue
            }
            guard seats.contains(seat) else { continue }
            lines.append("\(Format.clock(event.recordedAt, zone)) #\(event.position) \(event.type) · \(EventFeed.summary(of: domain)) · by \(event.metadata.actor ?? "?") · \(event.metadata.correlationId ?? "-")")
        }
        return .detailsLoaded(title: "\(seat) history", lines: lines.isEmpty ? ["never held, sold or blocked"] : lines)
    }

    /// One event in full: where it is, who caused it, and its payload.
    static func details(of position: Int64, store: any ReadModelStore, zone: TimeZone) -> Action {
        guard let event = try? store.readAll(after: position - 1, limit: 1).first else { return .commandFailed("no event at #\(position)") }
        var lines = [
            "\(event.type) · \(event.streamId) v\(event.streamVersion) · \(Timestamp.string(event.recordedAt))",
            "actor \(event.metadata.actor ?? "-") · correlation \(event.metadata.correlationId ?? "-") · causation \(event.metadata.causationId ?? "-")",
        ]
        if let object = try? JSONSerialization.jsonObject(with: event.payload),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
            lines += String(decoding: pretty, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return .detailsLoaded(title: "#\(position)", lines: lines)
    }
}
