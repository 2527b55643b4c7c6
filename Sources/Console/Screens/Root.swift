import ConsoleClient
import TerminalUI

/// Draws the whole console for a state: the screen, the status line, the hint bar, and any
/// dialog on top. Pure: the same state gives the same buffer.
public struct ConsoleView: Widget {
    public let state: AppState

    public init(state: AppState) { self.state = state }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard area.width >= AppState.minimumWidth, area.height >= AppState.minimumHeight else {
            let message = "terminal too small: need \(AppState.minimumWidth)×\(AppState.minimumHeight), have \(area.width)×\(area.height)"
            Label(CharacterWidth.truncate(message, to: area.width), role: .statusError).render(in: Rect(x: area.x, y: area.y + area.height / 2, width: area.width, height: min(area.height, 1)), into: &buffer)
            return
        }
        let layout = DashboardLayout(width: area.width, height: area.height)
        HeaderView(state: state).render(in: layout.header, into: &buffer)
        let body = Rect(x: 0, y: layout.header.bottom, width: area.width, height: layout.status.y - layout.header.bottom)
        switch state.screen {
        case .dashboard:
            SeatMapView(state: state).render(in: layout.seats, into: &buffer)
            HoldsView(state: state).render(in: layout.holds, into: &buffer)
            SalesView(state: state).render(in: layout.sales, into: &buffer)
            FeedView(state: state).render(in: layout.feed, into: &buffer)
        case .shows: ShowsScreen(state: state).render(in: body, into: &buffer)
        case .failures: FailuresScreen(state: state).render(in: body, into: &buffer)
        case .orders: OrdersScreen(state: state).render(in: body, into: &buffer)
        case .sagas: SagasScreen(state: state).render(in: body, into: &buffer)
        case .help: HelpScreen(state: state).render(in: body, into: &buffer)
        }
        if case .palette(let palette) = state.dialog {
            // The palette takes the status line for its prompt and the hint bar for its note.
            PaletteView(palette: palette).render(in: Rect(x: 0, y: layout.status.y, width: area.width, height: 2), into: &buffer)
            return
        }
        if let status = state.status {
            Label(" " + (status.isError ? "✘ " : "✔ ") + sanitize(status.text), role: status.isError ? .statusError : .statusOK).render(in: layout.status, into: &buffer)
        }
        let screens: [(key: String, text: String)] = [("1", "dash"), ("2", "shows"), ("3", "failures"), ("4", "orders"), ("5", "sagas")]
        HintBar(Keymap.hints(on: state.screen, readOnly: state.readOnly) + screens).render(in: Rect(x: 1, y: layout.hints.y, width: area.width - 1, height: 1), into: &buffer)
        if let dialog = state.dialog { DialogView(dialog: dialog, venueNames: state.venueNames, scroll: state.detailsScroll).render(in: area, into: &buffer) }
    }
}

/// The open dialog, drawn with the toolkit's modal.
struct DialogView: Widget {
    let dialog: AppState.Dialog
    var venueNames: [String] = []
    var scroll = 0

    func render(in area: Rect, into buffer: inout Buffer) {
        let confirm = [(key: "Enter", text: "confirm"), (key: "Esc", text: "cancel")]
        let modal: Dialog
        switch dialog {
        case .reject(let show, let reason, let error):
            modal = Dialog(title: "Reject \(show)", message: ["Why is it rejected? (1–500 characters)"], input: reason, error: error, choices: confirm)
        case .reserve(let show, let seats, let customer, let error):
            modal = Dialog(title: "Reserve on \(show)", message: ["Seats: \(Format.seats(seats, limit: 8))", "Customer name:"], input: customer, error: error, choices: confirm)
        case .best(let show, let quantity, let section, let customer, let field, let error):
            let labels = ["Quantity (1–20)", "Section (empty: any)", "Customer name"]
            let values = [quantity, section, customer]
            modal = Dialog(title: "Best available on \(show)", message: [
                "\(labels[0]): \(quantity.text)", "\(labels[1]): \(sanitize(section.text))", "\(labels[2]): \(sanitize(customer.text))", "Editing: \(labels[field]) (Tab: next field)",
            ], input: values[field], error: error, choices: confirm)
        case .cancelHold(_, let summary):
            modal = Dialog(title: "Cancel hold", message: ["Cancel \(summary)?", "Its seats go back on sale."], choices: [("y", "yes, cancel it"), ("n", "no")])
        case .closeSales(let show, let name):
            modal = Dialog(title: "Close sales", message: ["Close sales for \(sanitize(name))?", "\(show) will sell no more seats.", "This cannot be undone."], choices: [("y", "yes, close sales"), ("n", "no")])
        case .cancelShow(let show, let typed, let error):
            modal = Dialog(title: "Cancel show \(show)", message: ["Every sale is refunded and every hold released.", "Type the show's id to confirm:"], input: typed, error: error, choices: confirm)
        case .filter(let text):
            modal = Dialog(title: "Filter the feed", message: ["Show only events whose type or stream contains:"], input: text, choices: [("Enter", "apply (empty: all)"), ("Esc", "cancel")])
        case .editShow(let show, let name, let starts, let prices, let field, let error):
            let labels = ["Name", "Starts (2026-12-24 20:00)", "Prices (TIER=AMOUNT …)"]
            modal = Dialog(title: "Edit draft \(show)", message: [
                "\(labels[0]): \(sanitize(name.text))", "\(labels[1]): \(sanitize(starts.text))", "\(labels[2]): \(sanitize(prices.text))",
                "Editing: \(labels[field]) (Tab: next field)",
            ], input: [name, starts, prices][field], error: error, choices: confirm, width: min(area.width - 4, 90))
        case .searchOrders(let text):
            modal = Dialog(title: "Search orders", message: ["Customer name, reservation id, show or seat (any part):"], input: text, choices: [("Enter", "search (empty: all)"), ("Esc", "cancel")])
        case .refund(_, let summary, let typed, let error):
            modal = Dialog(
                title: "Refund order", message: [summary, "The payment is refunded and the seats go back on sale.", "This cannot be undone. Type refund to confirm:"],
                input: typed, error: error, choices: confirm, width: min(area.width - 4, 90)
            )
        case .newShow(let form):
            var lines = NewShowForm.Field.allCases.map { field in
                var line = "\(field.label): \(sanitize(form[field].text))"
                if field == .venue, let venue = form.venue, form.venueIsCurrent {
                    line += "  (\(sanitize(venue.name)) · \(venue.capacity) seats · \(venue.currency))"
                } else if field == .venue, form.venueFor == form.text(.venue), !form.text(.venue).isEmpty {
                    line += "  (reading…)"
                }
                return line
            }
            lines.append(form.field == .venue ? "Venues: \(venueNames.isEmpty ? "a path to a venue file" : venueNames.joined(separator: ", ") + ", or a path")"
                : form.field == .prices ? "Prices: TIER=AMOUNT, separated by spaces (empty: the venue's own)" : " ")
            lines.append("Editing: \(form.field.label) (Tab: next field, S-Tab: previous)")
            modal = Dialog(
                title: "New show", message: lines, input: form[form.field], error: form.errors[form.field] ?? NewShowForm.Field.allCases.compactMap { field in form.errors[field].map { "\(field.label): \($0)" } }.first,
                choices: confirm, width: min(area.width - 4, 110)
            )
        case .palette:
            // Drawn in the status line (`PaletteView`), not as a modal.
            return
        case .details(let title, let lines):
            let room = max(area.height - 8, 1)
            let first = min(scroll, max(lines.count - room, 0))
            let shown = Array(lines.dropFirst(first).prefix(room)).map(sanitize)
            let more = lines.count > room ? [("↑↓", "scroll \(first + 1)–\(first + shown.count) of \(lines.count)")] : []
            modal = Dialog(title: title, message: shown.isEmpty ? ["(nothing recorded)"] : shown, choices: more + [("Esc", "close")], width: min(area.width - 4, 110))
        }
        modal.render(in: area, into: &buffer)
    }
}

/// The `:` prompt and, below it, what Tab found or why the line was refused.
struct PaletteView: Widget {
    let palette: PaletteState

    func render(in area: Rect, into buffer: inout Buffer) {
        Label(":", role: .hintKey).render(in: Rect(x: area.x, y: area.y, width: 1, height: 1), into: &buffer)
        TextInput(state: palette.input, placeholder: "show ID · shows · orders NAME · reserve N [SECTION] · go #P · theme NAME · help")
            .render(in: Rect(x: area.x + 1, y: area.y, width: max(area.width - 1, 0), height: 1), into: &buffer)
        let note = palette.note.map(sanitize) ?? "Tab completes · ↑ ↓ earlier lines · Enter runs · Esc closes"
        Label(" " + CharacterWidth.truncate(note, to: max(area.width - 1, 0)), role: palette.isError ? .statusError : .hintText)
            .render(in: Rect(x: area.x, y: area.y + 1, width: area.width, height: 1), into: &buffer)
    }
}
