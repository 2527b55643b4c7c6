/// A horizontal bar filled to a ratio, in eighths (`████▌░░░`), with an optional label after it.
public struct Gauge: Widget {
    public var ratio: Double
    public var label: String
    public var filledRole: StyleRole
    public var emptyRole: StyleRole

    public init(ratio: Double, label: String = "", filledRole: StyleRole = .gaugeFilled, emptyRole: StyleRole = .gaugeEmpty) {
        self.ratio = ratio.isFinite ? min(max(ratio, 0), 1) : 0
        self.label = label
        self.filledRole = filledRole
        self.emptyRole = emptyRole
    }

    static let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let labelWidth = label.isEmpty ? 0 : CharacterWidth.of(label) + 1
        let barWidth = max(area.width - labelWidth, 0)
        let eighths = Int((ratio * Double(barWidth * 8)).rounded())
        for column in 0..<barWidth {
            let filled = min(max(eighths - column * 8, 0), 8)
            let symbol = filled == 8 ? "█" : filled == 0 ? "░" : Self.partials[filled]
            buffer.set(area.x + column, area.y, Cell(symbol, role: filled == 0 ? emptyRole : filledRole))
        }
        if labelWidth > 0 { buffer.put(label, x: area.x + barWidth + 1, y: area.y, role: .text, clip: area) }
    }
}

/// Values as a row of bars ▁▂▃▄▅▆▇█, scaled to the largest; the newest values are kept when
/// there are more than columns.
public struct Sparkline: Widget {
    public var values: [Int]
    public var role: StyleRole

    public init(_ values: [Int], role: StyleRole = .gaugeFilled) {
        self.values = values
        self.role = role
    }

    static let bars = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let shown = values.suffix(area.width)
        let peak = max(shown.max() ?? 0, 1)
        for (column, value) in shown.enumerated() {
            let level = value <= 0 ? 0 : min(Int((Double(value) / Double(peak) * 7).rounded()), 7)
            buffer.set(area.x + column, area.y, Cell(value <= 0 ? " " : Self.bars[level], role: role))
        }
    }
}
