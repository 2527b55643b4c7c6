import TerminalUI

/// Where the dashboard's parts go for a terminal size; shared by drawing and mouse hit-testing.
struct DashboardLayout {
    let header: Rect
    let seats: Rect
    let holds: Rect
    let sales: Rect
    let feed: Rect
    let status: Rect
    let hints: Rect

    init(width: Int, height: Int) {
        let full = Rect(width: width, height: height)
        let rows = Layout.split(full, .vertical, [.fixed(1), .fill, .fixed(1), .fixed(1)])
        header = rows[0]
        status = rows[2]
        hints = rows[3]
        let body = rows[1]
        let feedHeight = max(6, body.height * 3 / 10)
        let parts = Layout.split(body, .vertical, [.fill, .fixed(feedHeight)])
        feed = parts[1]
        let top = Layout.split(parts[0], .horizontal, [.percentage(52), .fill])
        seats = top[0]
        let right = Layout.split(top[1], .vertical, [.fill, .fixed(min(9, max(top[1].height / 2, 5)))])
        holds = right[0]
        sales = right[1]
    }
}
