import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// Active holds of the show, soonest expiry first: who, which seats, how much, and a live
/// countdown with a bar, urgent under a minute.
struct HoldsView: Widget {
    let state: AppState
    static let urgent: StyleRole = "countdown.urgent", normal: StyleRole = "countdown.normal"

    func render(in area: Rect, into buffer: inout Buffer) {
        var list = state.holds
        if state.focus != .holds { list.selected = nil }
        let inner = Panel.inner(area)
        let holds = state.visibleHolds, count = holds.count
        Panel(title: "HOLDS \(count)", focused: state.focus == .holds, note: "expiring first").render(in: area, into: &buffer)
        func items(_ hold: Holds.Hold) -> [Table.Item] {
            let left = hold.expiresAt.timeIntervalSince(state.now)
            let span = max(hold.expiresAt.timeIntervalSince(hold.heldAt), 1)
            let role = left < 60 ? Self.urgent : Self.normal
            let filled = Int((max(left, 0) / span * 6).rounded())
            let bar = String(repeating: "█", count: min(filled, 6)) + String(repeating: "░", count: 6 - min(filled, 6))
            return [
                .init(hold.reservationId.rawValue), .init(sanitize(hold.customer)), .init(Format.seats(hold.seats, limit: 2)),
                .init(hold.amount.description), .init(bar, role: role), .init(Format.countdown(left), role: role),
            ]
        }
        // Narrow panels keep the countdown and drop the bar and the seats first.
        let wide = inner.width >= 56
        let columns: [Table.Column] = wide
            ? [.init("HOLD", width: .fixed(11)), .init("WHO", width: .fill), .init("SEATS", width: .fixed(9)),
               .init("AMOUNT", width: .fixed(10), alignRight: true), .init("", width: .fixed(7)), .init("LEFT", width: .fixed(6), alignRight: true)]
            : [.init("HOLD", width: .fixed(11)), .init("WHO", width: .fill), .init("AMOUNT", width: .fixed(10), alignRight: true), .init("LEFT", width: .fixed(6), alignRight: true)]
        Table(columns: columns, count: count, row: { index in
            let all = items(holds[index])
            return wide ? all : [all[0], all[1], all[3], all[5]]
        }, state: list, emptyMessage: "no holds on this show").render(in: inner, into: &buffer)
    }
}

/// Sales of the show: revenue, tickets, average, sell-through, conversion, per-section bars
/// and tickets per minute over the last hour.
struct SalesView: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        guard let show = state.show, let sales = state.sales(show) else {
            Panel(title: "SALES").render(in: area, into: &buffer)
            return
        }
        Panel(title: "SALES", note: "\(Format.wholeMoney(sales.revenueMinor, sales.currency)) · \(sales.sold) sold").render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        guard !inner.isEmpty else { return }
        let expiring = state.holdsExpiring(within: 60)
        let line1 = "avg \(Format.money(sales.averagePriceMinor, sales.currency)) · \(Format.percent(sales.sellThrough)) sold · conversion \(Format.percent(sales.conversion))"
        Label(line1).render(in: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1), into: &buffer)
        Label("expired \(sales.expired) · cancelled \(sales.cancelled) · failed \(sales.compensated) · expiring <1 min \(expiring)", role: .muted)
            .render(in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1), into: &buffer)
        var y = inner.y + 2
        for section in state.sections where y < inner.bottom - 1 {
            let sold = sales.bySection[section.name]?.tickets ?? 0
            let ratio = section.capacity == 0 ? 0 : Double(sold) / Double(section.capacity)
            let name = Format.padded(CharacterWidth.truncate(section.name, to: 9), to: 10)
            Label(name, role: .muted).render(in: Rect(x: inner.x, y: y, width: 10, height: 1), into: &buffer)
            Gauge(ratio: ratio, label: Format.percent(ratio)).render(in: Rect(x: inner.x + 10, y: y, width: max(inner.width - 10, 0), height: 1), into: &buffer)
            y += 1
        }
        if y < inner.bottom {
            Label("per min", role: .muted).render(in: Rect(x: inner.x, y: inner.bottom - 1, width: 10, height: 1), into: &buffer)
            Sparkline(sales.lastHour(endingAt: state.now)).render(in: Rect(x: inner.x + 10, y: inner.bottom - 1, width: max(inner.width - 10, 0), height: 1), into: &buffer)
        }
    }
}

/// The newest events, coloured by kind; follows the head unless paused, filterable.
struct FeedView: Widget {
    let state: AppState
    /// Each kind's style (`feed.type.sale`), named once rather than for every line of every frame.
    static let roles = Dictionary(uniqueKeysWithValues: EventFeed.Kind.allCases.map { ($0, StyleRole("feed.type.\($0.rawValue)")) })

    func render(in area: Rect, into buffer: inout Buffer) {
        let note = (state.following ? "following" : "paused") + " · filter: " + (state.feedFilter.isEmpty ? "all" : sanitize(state.feedFilter))
        Panel(title: "FEED", focused: state.focus == .feed, note: note).render(in: area, into: &buffer)
        let inner = Panel.inner(area)
        guard !inner.isEmpty else { return }
        // Only the entries on screen (the feed keeps hundreds).
        let entries = state.models.feed.newest(max(state.feed.offset, state.feed.selected ?? 0, 0) + inner.height + 1, matching: state.feedFilter, head: state.head)
        // Bus notices (a subscriber retrying, stopped, skipped) from the last ten minutes lead the feed.
        let notices = state.notices.filter { state.now.timeIntervalSince($0.at) < 600 }.suffix(3).reversed()
        var top = inner.y
        for notice in notices where top < inner.bottom - 1 {
            Label("\(Format.clock(notice.at, state.timeZone)) ⚠ \(notice.subscriber): \(sanitize(notice.message))", role: "feed.type.failure")
                .render(in: Rect(x: inner.x, y: top, width: inner.width, height: 1), into: &buffer)
            top += 1
        }
        let rest = Rect(x: inner.x, y: top, width: inner.width, height: inner.bottom - top)
        var list = state.following ? ListState(selected: state.focus == .feed ? 0 : nil) : state.feed
        list.reveal(visible: rest.height)
        if entries.isEmpty {
            Label(state.feedFilter.isEmpty ? "no events yet" : "no events match \"\(sanitize(state.feedFilter))\"", role: .muted).render(in: rest, into: &buffer)
            return
        }
        for (offset, entry) in entries.dropFirst(list.offset).prefix(rest.height).enumerated() {
            let y = rest.y + offset
            let role = Self.roles[entry.kind] ?? .text
            let stream = Format.padded(CharacterWidth.truncate(entry.stream, to: 22), to: 23)
            let type = Format.padded(entry.type, to: 23)
            let text = "\(Format.clock(entry.at, state.timeZone)) #\(entry.position) \(stream)\(type)\(sanitize(entry.summary)) · \(sanitize(entry.actor))"
            Label(text, role: role).render(in: Rect(x: inner.x, y: y, width: inner.width, height: 1), into: &buffer)
            if state.focus == .feed, list.offset + offset == list.selected {
                buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection)
            }
        }
    }
}

/// The top line: show, venue, status, live/speed, head, lag, the store's clock, read-only.
struct HeaderView: Widget {
    let state: AppState

    func render(in area: Rect, into buffer: inout Buffer) {
        buffer.fill(area, with: Cell(" ", role: "header"))
        var left = " Marquee"
        if let show = state.currentShow {
            left += " ─ \(sanitize(show.name)) · \(sanitize(show.venueName)) · \(Format.status(show.status).uppercased())"
        }
        let speed = state.speed == 1 ? "LIVE" : "LIVE ▶ ×\(state.speed == state.speed.rounded() ? String(Int(state.speed)) : String(state.speed))"
        let warning = state.health.headerText.map { "\($0) ─ " } ?? ""
        let before = "\(speed) ─ #\(state.head) ─ lag \(state.lag) ─ "
        let after = "\(Format.clock(state.now, state.timeZone))\(state.readOnly ? " ─ READ-ONLY" : "") "
        let right = before + warning + after
        let rightWidth = CharacterWidth.of(right)
        Label(CharacterWidth.truncate(left, to: max(area.width - rightWidth - 1, 0)), role: "header").render(in: area, into: &buffer)
        let rightArea = Rect(x: max(area.right - rightWidth, area.x), y: area.y, width: min(rightWidth, area.width), height: 1)
        let role: StyleRole = state.readOnly ? "header.readonly" : "header.live"
        Label(spans: [(before, role), (warning, "header.warning"), (after, role)]).render(in: rightArea, into: &buffer)
    }
}
