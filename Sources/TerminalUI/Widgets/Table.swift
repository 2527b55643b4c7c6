/// Which row is selected and which is first on screen; kept by the app between frames.
public struct ListState: Hashable, Sendable {
    public var selected: Int?
    public var offset: Int

    public init(selected: Int? = nil, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta` within `count` rows.
    public mutating func move(_ delta: Int, count: Int) {
        guard count > 0 else {
            selected = nil
            return
        }
        selected = min(max((selected ?? (delta > 0 ? -1 : count)) + delta, 0), count - 1)
    }

    /// Scrolls so the selection is visible in `visible` rows.
    public mutating func reveal(visible: Int) {
        guard let selected, visible > 0 else { return }
        if selected < offset { offset = selected }
        if selected >= offset + visible { offset = selected - visible + 1 }
        offset = max(offset, 0)
    }
}

/// Rows of columns with an optional header; the selected row is highlighted and kept in view.
public struct Table: Widget {
    public struct Column: Sendable {
        public var title: String
        public var width: Layout.Constraint
        public var alignRight: Bool
        public init(_ title: String, width: Layout.Constraint, alignRight: Bool = false) {
            self.title = title
            self.width = width
            self.alignRight = alignRight
        }
    }

    /// One cell of a row: its text and role.
    public struct Item: Sendable {
        public var text: String
        public var role: StyleRole
        public init(_ text: String, role: StyleRole = .text) {
            self.text = text
            self.role = role
        }
    }

    public var columns: [Column]
    public var rowCount: Int
    /// The items of row `index`; asked only for the rows on screen, so a long list (hundreds of
    /// holds) costs a frame only what it shows.
    public var row: (Int) -> [Item]
    public var state: ListState
    public var showHeader: Bool
    public var emptyMessage: String

    public init(columns: [Column], rows: [[Item]], state: ListState = ListState(), showHeader: Bool = true, emptyMessage: String = "") {
        self.init(columns: columns, count: rows.count, row: { rows[$0] }, state: state, showHeader: showHeader, emptyMessage: emptyMessage)
    }

    public init(
        columns: [Column], count: Int, row: @escaping (Int) -> [Item], state: ListState = ListState(), showHeader: Bool = true, emptyMessage: String = ""
    ) {
        self.columns = columns
        rowCount = count
        self.row = row
        self.state = state
        self.showHeader = showHeader
        self.emptyMessage = emptyMessage
    }

    /// The state after keeping the selection visible in `area`.
    public func adjustedState(for area: Rect) -> ListState {
        var adjusted = state
        adjusted.reveal(visible: max(area.height - (showHeader ? 1 : 0), 0))
        return adjusted
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let cells = Layout.split(Rect(x: area.x, y: area.y, width: area.width, height: 1), .horizontal, columns.map(\.width))
        var y = area.y
        if showHeader {
            for (column, cell) in zip(columns, cells) { write(column.title, column, cell, y, .muted, &buffer) }
            y += 1
        }
        if rowCount == 0, !emptyMessage.isEmpty, y < area.bottom {
            buffer.put(CharacterWidth.truncate(emptyMessage, to: area.width), x: area.x, y: y, role: .muted, clip: area)
            return
        }
        let state = adjustedState(for: area)
        for index in state.offset..<max(rowCount, state.offset) {
            guard y < area.bottom else { break }
            for (column, (item, cell)) in zip(columns, zip(row(index), cells)) { write(item.text, column, cell, y, item.role, &buffer) }
            if index == state.selected { buffer.restyle(Rect(x: area.x, y: y, width: area.width, height: 1), role: .selection) }
            y += 1
        }
    }

    private func write(_ text: String, _ column: Column, _ cell: Rect, _ y: Int, _ role: StyleRole, _ buffer: inout Buffer) {
        guard cell.width > 0 else { return }
        let room = max(cell.width - 1, 1)
        let shown = CharacterWidth.truncate(text, to: room)
        let x = column.alignRight ? cell.x + room - CharacterWidth.of(shown) : cell.x
        buffer.put(shown, x: x, y: y, role: role, clip: Rect(x: cell.x, y: y, width: room, height: 1))
    }
}
