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

    static func seatHistory(_ seat: SeatID, _ result: Result<SeatProvenance, ClientError>, _ state: inout AppState) {
        switch result {
        case .success(let provenance):
            var lines: [String] = []
            let count = provenance.reservations.count
            if count > 0 { lines.append("\(count) reservation\(count == 1 ? "" : "s") held it, oldest first, each with every step of its life:") }
            for story in provenance.reservations {
                let correlation = story.steps.first?.correlationId ?? "-"
                lines.append("")
                lines.append("\(story.reservationId) for \(story.customer.map(sanitize) ?? "?") · correlation \(correlation)")
                lines += story.steps.map { "  " + line($0, state.timeZone, correlation: correlation) }
            }
            let house = provenance.events.filter { $0.type == "SeatsBlocked" || $0.type == "SeatsUnblocked" }
            if !house.isEmpty {
                lines += ["", "blocked and unblocked as a house seat:"] + house.map { "  " + line($0, state.timeZone) }
            }
            openDetails(&state, title: "\(seat): its whole history", lines: lines.isEmpty ? ["never held, sold or blocked"] : lines)
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
            lines += ["", "caused by:"]
            lines += details.causedBy.map { "  ← " + line($0, state.timeZone) }
            lines.append("  ← " + (details.rootCommand.map { "command \($0)" } ?? "a command") + " sent by \(details.rootActor ?? "?")")
            if !details.led.isEmpty {
                lines += ["", "led to:"] + details.led.map { "  → " + line($0, state.timeZone) }
            }
            let shown = Set(details.causedBy.map(\.position) + details.led.map(\.position))
            let story = details.story.filter { !shown.contains($0.position) }
            if !story.isEmpty {
                lines += ["", "the rest of its story (same correlation id):"] + story.map { line($0, state.timeZone) }
            }
            openDetails(&state, title: "#\(position)", lines: lines)
        case .failure(let error):
            state.status = .init(text: error.message, isError: true)
        }
    }

    /// Opens the details dialog at its top.
    static func openDetails(_ state: inout AppState, title: String, lines: [String]) {
        state.dialog = .details(title: title, lines: lines)
        state.detailsScroll = 0
    }

    /// `20:14:03 #1234 SeatsHeld · Stalls-A-1 held for R-… · by buyer-3 · C-…`
    /// The correlation id is left out when it is the one given (the block's own).
    static func line(_ event: EventSummary, _ zone: TimeZone, correlation: String? = nil) -> String {
        let tail = event.correlationId == correlation ? "" : " · \(event.correlationId ?? "-")"
        return "\(Format.clock(event.recordedAt, zone)) #\(event.position) \(event.type) · \(event.summary) · by \(event.actor ?? "?")" + tail
    }
}
