/// A bordered box with a title; its border shows whether it has the focus.
public struct Panel: Widget {
    public var title: String
    public var focused: Bool
    /// Text on the right of the top border (a count, a mode).
    public var note: String

    public init(title: String, focused: Bool = false, note: String = "") {
        self.title = title
        self.focused = focused
        self.note = note
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard area.width >= 2, area.height >= 2 else {
            buffer.fill(area)
            return
        }
        let role: StyleRole = focused ? .borderFocus : .border
        let (left, right, top, bottom) = (area.x, area.right - 1, area.y, area.bottom - 1)
        for x in left...right {
            buffer.set(x, top, Cell("─", role: role))
            buffer.set(x, bottom, Cell("─", role: role))
        }
        for y in top...bottom {
            buffer.set(left, y, Cell("│", role: role))
            buffer.set(right, y, Cell("│", role: role))
        }
        buffer.set(left, top, Cell(focused ? "┏" : "┌", role: role))
        buffer.set(right, top, Cell(focused ? "┓" : "┐", role: role))
        buffer.set(left, bottom, Cell(focused ? "┗" : "└", role: role))
        buffer.set(right, bottom, Cell(focused ? "┛" : "┘", role: role))
        buffer.fill(Self.inner(area))
        let room = Rect(x: left + 1, y: top, width: area.width - 2, height: 1)
        guard room.width > 0 else { return }
        var used = 0
        if !title.isEmpty {
            used = buffer.put(" " + CharacterWidth.truncate(title, to: max(room.width - 2, 0)) + " ", x: room.x, y: top, role: .title, clip: room)
        }
        if !note.isEmpty, room.width - used > CharacterWidth.of(note) + 3 {
            let text = " " + note + " "
            buffer.put(text, x: room.right - CharacterWidth.of(text) - 1, y: top, role: .muted, clip: room)
        }
    }
}
