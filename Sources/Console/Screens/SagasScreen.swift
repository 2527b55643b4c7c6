import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// Screen 5: one lane per reservation in flight — its step, how long it has been there against
/// what the step should take — stuck ones first; Enter shows the chain of the saga's events.
struct SagasScreen: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        let lanes = state.sagaBoard?.lanes ?? []
        let stuck = lanes.filter { $0.stuck != nil }.count
        Panel(title: "SAGAS \(state.sagaBoard == nil ? "…" : String(lanes.count))", focused: true,
              note: stuck == 0 ? "none stuck · Enter its chain" : "\(stuck) STUCK · Enter its chain").render(in: area, into: &buffer)
        let rows: [[Table.Item]] = lanes.map { lane in
            let waited = max(0, state.now.timeIntervalSince(lane.since))
            return [
                .init(lane.stuck == nil ? " " : "!", role: .statusError), .init(lane.reservationId.rawValue), .init(lane.showId.rawValue),
                .init(lane.step, role: lane.stuck == nil ? .text : .statusError),
                .init("\(Format.countdown(waited)) / \(Format.countdown(lane.expected))", role: waited > lane.expected ? .statusError : .muted),
                .init(lane.stuck.map(sanitize) ?? "", role: .statusError),
            ]
        }
        Table(columns: [
            .init("", width: .fixed(1)), .init("ORDER", width: .fixed(11)), .init("SHOW", width: .percentage(16)),
            .init("STEP", width: .fixed(24)), .init("IN STEP/LIMIT", width: .fixed(16)), .init("WHY STUCK", width: .fill),
        ], rows: rows, state: state.sagaList.selected == nil ? ListState(selected: rows.isEmpty ? nil : 0) : state.sagaList,
              emptyMessage: state.sagaBoard == nil ? "reading the sagas…" : "no reservation in flight")
            .render(in: Panel.inner(area), into: &buffer)
    }
}
