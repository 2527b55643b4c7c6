/// Something that draws itself into an area of a buffer. Widgets are values built per frame;
/// selection and scroll state live in separate values (`ListState`, `TextInputState`).
public protocol Widget {
    func render(in area: Rect, into buffer: inout Buffer)
}

/// A line of text, optionally in several styled spans, clipped to its area.
public struct Label: Widget {
    public var spans: [(text: String, role: StyleRole)]
    public enum Alignment: Sendable { case left, center, right }
    public var alignment: Alignment

    public init(_ text: String, role: StyleRole = .text, alignment: Alignment = .left) {
        spans = [(text, role)]
        self.alignment = alignment
    }

    public init(spans: [(String, StyleRole)], alignment: Alignment = .left) {
        self.spans = spans.map { (text: $0.0, role: $0.1) }
        self.alignment = alignment
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let width = spans.reduce(0) { $0 + CharacterWidth.of($1.text) }
        var x = area.x
        switch alignment {
        case .left: break
        case .center: x += max(0, (area.width - width) / 2)
        case .right: x += max(0, area.width - width)
        }
        for span in spans {
            x += buffer.put(span.text, x: x, y: area.y, role: span.role, clip: area)
        }
    }
}
