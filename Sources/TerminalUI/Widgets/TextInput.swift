/// The text being typed and where the cursor is (in characters); the app keeps it.
public struct TextInputState: Hashable, Sendable {
    public private(set) var text: String
    public private(set) var cursor: Int
    public var limit: Int

    public init(_ text: String = "", limit: Int = 500) {
        self.text = String(text.prefix(limit))
        cursor = self.text.count
        self.limit = limit
    }

    /// Applies an editing key; returns false for keys it does not use (Enter, Esc, …).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        var characters = Array(text)
        switch key {
        case .character(let c):
            guard characters.count < limit, !c.isNewline else { return true }
            characters.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .paste(let pasted):
            // Line breaks become spaces; escapes and other control characters are dropped.
            let clean = pasted.map { $0.isNewline ? " " : $0 }.filter { character in
                !character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            }
            let room = max(0, limit - characters.count)
            characters.insert(contentsOf: clean.prefix(room), at: cursor)
            cursor += min(clean.count, room)
        case .left: cursor = max(cursor - 1, 0)
        case .right: cursor = min(cursor + 1, characters.count)
        case .home: cursor = 0
        case .end: cursor = characters.count
        default: return false
        }
        text = String(characters)
        // A combining mark typed or pasted after a letter joins it into one character: the
        // text can end up shorter than the array it was built from.
        cursor = min(cursor, text.count)
        return true
    }
}

/// A one-line input with a visible cursor; scrolls so the cursor stays in view.
public struct TextInput: Widget {
    public var state: TextInputState
    public var placeholder: String

    public init(state: TextInputState, placeholder: String = "") {
        self.state = state
        self.placeholder = placeholder
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(line, with: Cell(" ", role: .input))
        let characters = Array(sanitize(state.text))
        if characters.isEmpty, !placeholder.isEmpty {
            buffer.put(placeholder, x: area.x + 1, y: area.y, role: .muted, clip: line)
        }
        // Show the tail that keeps the cursor inside the line.
        let cursor = min(state.cursor, characters.count)
        var start = 0
        while start < cursor, CharacterWidth.of(String(characters[start..<cursor])) > area.width - 1 { start += 1 }
        var x = area.x
        for index in start...characters.count {
            guard x < line.right else { break }
            let isCursor = index == cursor
            let symbol = index < characters.count ? String(characters[index]) : " "
            let width = buffer.put(symbol, x: x, y: area.y, role: isCursor ? .cursor : .input, clip: line)
            x += max(width, 1)
        }
    }
}
