import TerminalUI

/// A screen that shows every role a theme styles — seats in each state, panels with and without
/// focus, countdowns, gauges, the feed's kinds, status lines, hints — so a person can judge a
/// theme in a real terminal.
public struct ThemePreview: Widget {
    public var themeName: String
    public var description: String
    public var capability: ColorCapability

    public init(themeName: String, description: String, capability: ColorCapability) {
        self.themeName = themeName
        self.description = description
        self.capability = capability
    }

    static let seatRows = [
        "●●●◐◐■■■●●●●×●●●●", "●●■■■■●●◐◐◐●●●●■■", "●●●●●●●●●●●●●●×××",
    ]

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard area.width >= 40, area.height >= 16 else {
            Label("terminal too small for the preview: need 40×16, have \(area.width)×\(area.height)", role: .statusError)
                .render(in: area, into: &buffer)
            return
        }
        let colours = capability == .none ? "no colour" : "\(capability.rawValue) colours"
        Panel(title: "THEME \(themeName)", focused: true, note: colours).render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        let parts = Layout.split(inner, .vertical, [.fixed(1), .fixed(7), .fixed(5), .fill, .fixed(1)])
        Label(description, role: .muted).render(in: parts[0], into: &buffer)
        let columns = Layout.split(parts[1], .horizontal, [.percentage(50), .fill])
        renderSeats(columns[0], &buffer)
        renderHolds(columns[1], &buffer)
        renderSales(parts[2], &buffer)
        renderFeed(parts[3], &buffer)
        HintBar([("←→", "other theme"), ("q", "quit")]).render(in: parts[4], into: &buffer)
    }

    private func renderSeats(_ area: Rect, _ buffer: inout Buffer) {
        Panel(title: "SEAT MAP", note: "Stalls").render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        let roles: [Character: StyleRole] = ["●": "seat.free", "◐": "seat.held", "■": "seat.sold", "×": "seat.blocked", "◉": "seat.selected"]
        for (row, seats) in Self.seatRows.enumerated() where row < inner.height - 1 {
            buffer.put(String(UnicodeScalar(UInt8(65 + row))), x: inner.x, y: inner.y + row, role: .muted, clip: inner)
            for (column, seat) in seats.enumerated() {
                let x = inner.x + 2 + column * 2
                let isSelected = row == 2 && (4...5).contains(column)
                let isCursor = row == 1 && column == 0
                let symbol = isSelected ? "◉" : String(seat)
                let role: StyleRole = isCursor ? "seat.cursor" : roles[Character(symbol)] ?? .text
                buffer.put(symbol, x: x, y: inner.y + row, role: role, clip: inner)
            }
        }
        Label(spans: [("● free ", "seat.free"), ("◐ held ", "seat.held"), ("■ sold ", "seat.sold"), ("× blocked ", "seat.blocked"), ("◉ selected", "seat.selected")])
            .render(in: Rect(x: inner.x, y: inner.bottom - 1, width: inner.width, height: 1), into: &buffer)
    }

    private func renderHolds(_ area: Rect, _ buffer: inout Buffer) {
        Panel(title: "HOLDS", note: "2").render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        let rows: [[Table.Item]] = [
            [.init("R-7KQ2M9XA"), .init("Ana"), .init("€90.00"), .init("3:12", role: "countdown.normal")],
            [.init("R-4TD8W1PC"), .init("Ben"), .init("€135.00"), .init("0:48", role: "countdown.urgent")],
        ]
        Table(columns: [.init("HOLD", width: .fixed(11)), .init("WHO", width: .fill), .init("AMOUNT", width: .fixed(9), alignRight: true), .init("LEFT", width: .fixed(5))], rows: rows, state: ListState(selected: 0))
            .render(in: Rect(x: inner.x, y: inner.y, width: inner.width, height: 3), into: &buffer)
        Label(spans: [("✔ approved grand-hall-sat  ", .statusOK), ("✘ seat Stalls-A-4 is not available", .statusError)])
            .render(in: Rect(x: inner.x, y: inner.bottom - 1, width: inner.width, height: 1), into: &buffer)
    }

    private func renderSales(_ area: Rect, _ buffer: inout Buffer) {
        Panel(title: "SALES", note: "€21,690 · 241 sold").render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        let half = Layout.split(inner, .horizontal, [.percentage(50), .fill])
        Label("Stalls", role: .muted).render(in: Rect(x: half[0].x, y: inner.y, width: 8, height: 1), into: &buffer)
        Gauge(ratio: 0.72, label: "72 %").render(in: Rect(x: half[0].x + 8, y: inner.y, width: half[0].width - 9, height: 1), into: &buffer)
        Label("Balcony", role: .muted).render(in: Rect(x: half[0].x, y: inner.y + 1, width: 8, height: 1), into: &buffer)
        Gauge(ratio: 0.31, label: "31 %").render(in: Rect(x: half[0].x + 8, y: inner.y + 1, width: half[0].width - 9, height: 1), into: &buffer)
        Label("per min", role: .muted).render(in: Rect(x: half[1].x, y: inner.y, width: 8, height: 1), into: &buffer)
        Sparkline([1, 2, 3, 5, 8, 7, 6, 5, 4, 6, 9, 12, 10, 8, 6, 4, 3]).render(in: Rect(x: half[1].x + 8, y: inner.y, width: half[1].width - 8, height: 1), into: &buffer)
    }

    private func renderFeed(_ area: Rect, _ buffer: inout Buffer) {
        Panel(title: "FEED", note: "following").render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        let lines: [(String, String)] = [
            ("show", "#18204 ShowApproved       grand-hall-sat on sale"), ("hold", "#18205 SeatsHeld          Stalls-A-4 Stalls-A-5 held for R-7KQ2M9XA"),
            ("sale", "#18206 ReservationConfirmed confirmed Stalls-B-9 · €45.00"), ("release", "#18207 ReservationExpired hold expired; Stalls-C-1 released"),
            ("payment", "#18208 PaymentFailed      payment for R-4TD8W1PC failed: card declined"), ("failure", "salesAnalytics stopped at #18209 after 8 attempts"),
        ]
        for (index, (kind, text)) in lines.enumerated() where index < inner.height {
            Label(text, role: StyleRole("feed.type.\(kind)")).render(in: Rect(x: inner.x, y: inner.y + index, width: inner.width, height: 1), into: &buffer)
        }
    }
}
