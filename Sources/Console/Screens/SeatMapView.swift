import ConsoleClient
import TerminalUI
import Ticketing

/// How the seat map lays out in its panel: a line per section header and per row, seats
/// spaced when they fit, scrolled so the cursor stays in view. Shared by drawing and clicks.
struct SeatMapGeometry {
    enum Line {
        case header(Int)
        case row(section: Int, row: Int)
    }

    let area: Rect
    let lines: [Line]
    let labelWidth: Int
    let spacing: Int
    let firstLine: Int
    let firstSeat: Int

    /// `sections` are the show's sections when the caller has them already (the render path).
    init(state: AppState, panel: Rect, sections given: [AvailableSeats.Section]? = nil) {
        let inner = Panel.inner(panel)
        area = Rect(x: inner.x, y: inner.y, width: inner.width, height: max(inner.height - 1, 0))
        let sections = given ?? state.sections
        var lines: [Line] = []
        var cursorLine = 0
        var widest = 0
        var label = 1
        for (s, section) in sections.enumerated() {
            lines.append(.header(s))
            for (r, row) in section.rows.enumerated() {
                if s == state.cursor.section && r == state.cursor.row { cursorLine = lines.count }
                lines.append(.row(section: s, row: r))
                widest = max(widest, row.seats)
                label = max(label, CharacterWidth.of(row.label))
            }
        }
        self.lines = lines
        labelWidth = label + 1
        let room = max(area.width - labelWidth, 1)
        spacing = widest * 2 - 1 <= room ? 2 : 1
        let visibleSeats = max(room / spacing, 1)
        firstSeat = widest <= visibleSeats ? 0 : min(max(state.cursor.seat - visibleSeats / 2, 0), widest - visibleSeats)
        firstLine = lines.count <= area.height ? 0 : min(max(cursorLine - area.height / 2, 0), lines.count - area.height)
    }

    /// The screen column of seat index `seat`.
    func x(ofSeat seat: Int) -> Int { area.x + labelWidth + (seat - firstSeat) * spacing }

    /// The seat under a screen cell, if any.
    func seat(atX x: Int, y: Int) -> AppState.SeatCursor? {
        guard area.contains(x: x, y: y) else { return nil }
        let index = firstLine + (y - area.y)
        guard lines.indices.contains(index), case .row(let section, let row) = lines[index] else { return nil }
        let offset = x - area.x - labelWidth
        guard offset >= 0, offset % spacing == 0 else { return nil }
        return .init(section: section, row: row, seat: firstSeat + offset / spacing)
    }
}

/// The seat map: section headers with counts, one glyph per seat (● free ◐ held ■ sold
/// × blocked ◉ selected), the cursor, and a legend with live counts.
struct SeatMapView: Widget {
    let state: AppState

    // Named once: a frame draws thousands of seats.
    static let free: StyleRole = "seat.free", held: StyleRole = "seat.held", sold: StyleRole = "seat.sold"
    static let blocked: StyleRole = "seat.blocked", selected: StyleRole = "seat.selected", cursor: StyleRole = "seat.cursor"

    static func glyph(_ kind: SeatState.Kind) -> (Character, StyleRole)? {
        switch kind {
        case .available: nil
        case .held: ("◐", held)
        case .sold: ("■", sold)
        case .blocked: ("×", blocked)
        }
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        let sections = state.sections
        // Totals from the sections in hand, not a second pass over every section row.
        let totals = state.show == nil ? nil : sections.reduce((capacity: 0, available: 0, held: 0, sold: 0, blocked: 0)) {
            ($0.capacity + $1.capacity, $0.available + $1.available, $0.held + $1.held, $0.sold + $1.sold, $0.blocked + $1.blocked)
        }
        Panel(title: "SEAT MAP", focused: state.focus == .seats, note: totals.map { "\($0.capacity) seats" } ?? "").render(in: area, into: &buffer)
        let geometry = SeatMapGeometry(state: state, panel: area, sections: sections)
        guard !geometry.area.isEmpty else { return }
        if sections.isEmpty {
            Label(state.show == nil ? "no show selected: press 2 to choose one" : "this show has no seats", role: .muted).render(in: geometry.area, into: &buffer)
            return
        }
        // The selection as places in each section's seats: rows are drawn from the dense seat
        // states by index, never by building each seat's id.
        let selected = sections.map { section in Set(state.selection.compactMap { section.place(of: $0) }) }
        for (offset, line) in geometry.lines.dropFirst(geometry.firstLine).prefix(geometry.area.height).enumerated() {
            let y = geometry.area.y + offset
            switch line {
            case .header(let s):
                let section = sections[s]
                let loading = section.countsOnly == true ? " · loading map…" : ""
                Label(spans: [(section.name, .title), ("  \(section.available) free · \(section.held) held · \(section.sold) sold\(loading)", .muted)])
                    .render(in: Rect(x: geometry.area.x, y: y, width: geometry.area.width, height: 1), into: &buffer)
            case .row(let s, let r):
                drawRow(sections[s], s, r, geometry, y, selected[s], &buffer)
            }
        }
        if let totals {
            let legend: [(String, StyleRole)] = [
                ("● free \(totals.available)  ", "seat.free"), ("◐ held \(totals.held)  ", "seat.held"),
                ("■ sold \(totals.sold)  ", "seat.sold"), ("× blocked \(totals.blocked)", "seat.blocked"),
                (state.selection.isEmpty ? "" : "  ◉ \(state.selection.count) selected", "seat.selected"),
            ]
            Label(spans: legend).render(in: Rect(x: geometry.area.x, y: geometry.area.bottom, width: geometry.area.width, height: 1), into: &buffer)
        }
    }

    private func drawRow(
        _ section: AvailableSeats.Section, _ s: Int, _ r: Int, _ geometry: SeatMapGeometry, _ y: Int, _ selected: Set<Int>, _ buffer: inout Buffer
    ) {
        let row = section.rows[r]
        let start = section.rowStart(r)
        buffer.put(row.label, x: geometry.area.x, y: y, role: .muted, clip: geometry.area)
        let countsOnly = section.countsOnly == true
        let cursorHere = state.focus == .seats && state.cursor.section == s && state.cursor.row == r
        for seat in geometry.firstSeat..<row.seats {
            let x = geometry.x(ofSeat: seat)
            guard x < geometry.area.right else { break }
            var (glyph, role): (Character, StyleRole) = countsOnly ? ("·", .muted) : ("●", Self.free)
            if let look = Self.glyph(section.seats[start + seat].kind) { (glyph, role) = look }
            if !selected.isEmpty, selected.contains(start + seat) { (glyph, role) = ("◉", Self.selected) }
            if cursorHere, state.cursor.seat == seat { role = Self.cursor }
            // Every glyph is one column, and x is inside the area (checked above).
            buffer.set(x, y, Cell(glyph, role: role))
        }
    }
}
