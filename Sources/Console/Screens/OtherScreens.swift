import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// Every show with its status, the approval queue first; lifecycle keys act on the highlighted row.
struct ShowsScreen: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        let shows = state.orderedShows
        let queue = state.models.shows.approvalQueue.count
        Panel(title: "SHOWS \(shows.count)", focused: true, note: "\(queue) waiting for approval").render(in: area, into: &buffer)
        let rows: [[Table.Item]] = shows.map { show in
            let counts = state.totals(show.id).map { "\($0.available)/\($0.held)/\($0.sold)" } ?? "…"
            let role: StyleRole = switch show.status {
            case .submitted: "header.readonly"
            case .approved: .statusOK
            case .rejected: .statusError
            case .draft, .salesClosed, .cancelled: .text
            }
            let who = Format.provenance(show)
            return [
                .init(show.id.rawValue), .init(sanitize(show.name)), .init(Format.status(show.status), role: role), .init(sanitize(show.venueName)),
                .init(counts, role: .muted), .init(who, role: .muted),
            ]
        }
        Table(columns: [
            .init("ID", width: .fixed(20)), .init("NAME", width: .percentage(25)), .init("STATUS", width: .fixed(12)),
            .init("VENUE", width: .fixed(16)), .init("FREE/HELD/SOLD", width: .fixed(16)), .init("", width: .fill),
        ], rows: rows, state: state.shows.selected == nil ? ListState(selected: shows.isEmpty ? nil : 0) : state.shows, emptyMessage: "no shows yet")
            .render(in: Panel.inner(area), into: &buffer)
    }
}

/// The bus's failure records: which subscriber stopped where, and why; R retries, S skips.
struct FailuresScreen: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        Panel(title: "FAILURES \(state.failures.count)", focused: true, note: "R retry · S skip").render(in: area, into: &buffer)
        let rows: [[Table.Item]] = state.failures.map { failure in
            [.init(String(failure.id)), .init(failure.subscriber), .init("#\(failure.position)"), .init(failure.eventType),
             .init(String(failure.attempts)), .init(sanitize(failure.error), role: .statusError)]
        }
        // Subscribers backing off have no record yet (or cannot write one): shown under the table.
        let inner = Panel.inner(area)
        let notes = (state.health.storeProblem.map { ["store unreadable: \($0)"] } ?? []) + state.health.retryingLines
        let shown = min(notes.count, max(inner.height - 3, 0))
        let table = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - shown)
        Table(columns: [
            .init("ID", width: .fixed(5)), .init("SUBSCRIBER", width: .fixed(17)), .init("AT", width: .fixed(9)),
            .init("EVENT", width: .fixed(24)), .init("TRIES", width: .fixed(6)), .init("ERROR", width: .fill),
        ], rows: rows, state: state.failureList.selected == nil ? ListState(selected: rows.isEmpty ? nil : 0) : state.failureList,
              emptyMessage: notes.isEmpty ? "no failures: every subscriber is running" : "no failure recorded yet").render(in: table, into: &buffer)
        for (index, note) in notes.prefix(shown).enumerated() {
            let line = Rect(x: inner.x, y: table.bottom + index, width: inner.width, height: 1)
            Label(CharacterWidth.truncate(sanitize(note), to: inner.width), role: .statusError).render(in: line, into: &buffer)
        }
    }
}

/// Every key, generated from the keymap (write keys left out when read-only).
struct HelpScreen: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        Panel(title: "HELP", focused: true, note: state.readOnly ? "read-only: write keys hidden" : "Esc or ? to close").render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        var lines: [(String, String)] = []
        for screen in AppState.Screen.allCases where screen != .help {
            let bindings = Keymap.active(on: screen, readOnly: state.readOnly).filter { $0.screens.contains(screen) || (screen == .dashboard && $0.screens.isEmpty) }
            guard !bindings.isEmpty else { continue }
            lines.append(("", screen.rawValue.uppercased()))
            for binding in bindings { lines.append((binding.label, binding.help)) }
        }
        lines.append(("", "PALETTE (:)"))
        for verb in Palette.verbs { lines.append((":" + verb.usage, verb.help)) }
        lines.append(("", "DIALOGS"))
        lines.append(("Enter", "confirm (an empty reason or name is refused in place)"))
        lines.append(("Esc", "close the dialog"))
        for (offset, line) in lines.dropFirst(min(state.helpScroll, max(lines.count - inner.height, 0))).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            if line.0.isEmpty {
                Label(line.1, role: .title).render(in: Rect(x: inner.x, y: y, width: inner.width, height: 1), into: &buffer)
            } else {
                Label(spans: [(Format.padded(line.0, to: line.0.hasPrefix(":") ? 22 : 14), .hintKey), (line.1, .text)]).render(in: Rect(x: inner.x, y: y, width: inner.width, height: 1), into: &buffer)
            }
        }
    }
}
