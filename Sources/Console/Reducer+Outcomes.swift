import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// What the client answered, worded for the status line and the details dialog.
extension Reducer {
    /// A request's outcome: what was done, or why not (a refusal says the domain's reason;
    /// a failure says what stood in the way).
    static func finished(_ effect: Effect, _ outcome: CommandOutcome, _ state: inout AppState) {
        switch outcome {
        case .accepted(_, let events, let duplicate):
            let text: String
            switch effect {
            case .command(_, let done): text = duplicate ? "already done" : done
            case .reserve(_, _, let customer), .best(_, _, _, let customer): text = held(events, customer, state.timeZone) ?? "reserved"
            default: text = "done"
            }
            state.status = .init(text: text, isError: false)
        case .refused(let reason):
            state.status = .init(text: reason.description, isError: true)
        case .failed(let words):
            state.status = .init(text: words, isError: true)
        }
    }

    /// `R-… holds Stalls-A-1 Stalls-A-2 for Ava until 20:19:03`, from a reservation's events.
    static func held(_ events: [DomainEvent], _ customer: String, _ zone: TimeZone) -> String? {
        for case .reservationHeld(let held) in events {
            return "\(held.reservationId) holds \(Format.seats(held.seats, limit: 6)) for \(sanitize(customer)) until \(Format.clock(held.expiresAt, zone))"
        }
        return nil
    }

    static func resolved(_ action: FailureAction, _ result: Result<SubscriberFailure, ClientError>, _ state: inout AppState) {
        switch result {
        case .success(let failure):
            let text = action == .retry ? "retrying \(failure.subscriber)" : "\(failure.subscriber) skipped the failed event"
            state.status = .init(text: text, isError: false)
        case .failure(let error):
            state.status = .init(text: error.message, isError: true)
        }
    }

    static func seatHistory(_ seat: SeatID, _ result: Result<[EventSummary], ClientError>, _ state: inout AppState) {
        switch result {
        case .success(let events):
            let lines = events.map { line($0, state.timeZone) }
            state.dialog = .details(title: "\(seat) history", lines: lines.isEmpty ? ["never held, sold or blocked"] : lines)
        case .failure(let error):
            state.status = .init(text: error.message, isError: true)
        }
    }

    static func eventDetails(_ position: Int64, _ result: Result<EventDetails, ClientError>, _ state: inout AppState) {
        switch result {
        case .success(let details):
            let event = details.event
            var lines = [
                "\(event.type) · \(details.stream) v\(details.streamVersion) · \(Format.clock(event.recordedAt, state.timeZone))",
                "actor \(event.actor ?? "-") · correlation \(event.correlationId ?? "-") · causation \(details.causationId ?? "-")",
            ]
            lines += details.payloadLines
            if !details.story.isEmpty {
                lines += ["", "its story (same correlation id):"] + details.story.map { line($0, state.timeZone) }
            }
            state.dialog = .details(title: "#\(position)", lines: lines)
        case .failure(let error):
            state.status = .init(text: error.message, isError: true)
        }
    }

    /// `20:14:03 #1234 SeatsHeld · Stalls-A-1 held for R-… · by buyer-3 · C-…`
    static func line(_ event: EventSummary, _ zone: TimeZone) -> String {
        "\(Format.clock(event.recordedAt, zone)) #\(event.position) \(event.type) · \(event.summary) · by \(event.actor ?? "?") · \(event.correlationId ?? "-")"
    }
}
