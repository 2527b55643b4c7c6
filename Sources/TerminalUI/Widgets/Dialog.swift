/// A modal box centred over everything: a title, message lines, an optional input line and a
/// line of choices. It clears what is under it.
public struct Dialog: Widget {
    public var title: String
    public var message: [String]
    public var input: TextInputState?
    public var error: String?
    public var choices: [(key: String, text: String)]
    public var width: Int

    public init(title: String, message: [String], input: TextInputState? = nil, error: String? = nil, choices: [(key: String, text: String)], width: Int = 60) {
        self.title = title
        self.message = message
        self.input = input
        self.error = error
        self.choices = choices
        self.width = width
    }

    /// Where the dialog goes inside `area`.
    public func frame(in area: Rect) -> Rect {
        let height = message.count + (input == nil ? 0 : 2) + (error == nil ? 0 : 1) + 4
        return area.centered(width: width, height: height)
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        let box = frame(in: area)
        guard !box.isEmpty else { return }
        buffer.fill(box, with: Cell(" ", role: .dialog))
        Panel(title: title, focused: true).render(in: box, into: &buffer)
        let inner = Panel.inner(box).inset(by: 0)
        var y = inner.y
        for line in message {
            Label(CharacterWidth.truncate(line, to: inner.width - 2)).render(in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), into: &buffer)
            y += 1
        }
        if let input {
            y += 1
            TextInput(state: input).render(in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), into: &buffer)
        }
        if let error {
            y += 1
            Label(CharacterWidth.truncate(error, to: inner.width - 2), role: .statusError).render(in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), into: &buffer)
        }
        HintBar(choices).render(in: Rect(x: inner.x + 1, y: inner.bottom - 1, width: inner.width - 2, height: 1), into: &buffer)
    }
}

/// A line of key hints: `q quit  ? help`, keys and texts in their own roles; hints that do not
/// fit are dropped whole, from the end.
public struct HintBar: Widget {
    public var hints: [(key: String, text: String)]

    public init(_ hints: [(key: String, text: String)]) { self.hints = hints }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        var x = area.x
        for hint in hints {
            let width = CharacterWidth.of(hint.key) + 1 + CharacterWidth.of(hint.text)
            guard x + width <= area.right else { break }
            x += buffer.put(hint.key, x: x, y: area.y, role: .hintKey, clip: area) + 1
            x += buffer.put(hint.text, x: x, y: area.y, role: .hintText, clip: area) + 2
        }
    }
}
