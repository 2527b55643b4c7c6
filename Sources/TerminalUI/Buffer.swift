import Faults

/// One terminal cell: a grapheme and the role that styles it. A wide grapheme occupies its
/// cell and the next, which holds an empty continuation.
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var role: StyleRole

    public init(_ symbol: String = " ", role: StyleRole = .text) {
        self.symbol = symbol
        self.role = role
    }

    public static let blank = Cell()
    static let continuation = Cell("", role: .text)

    public var isContinuation: Bool { symbol.isEmpty }
}

/// A rectangle of cells, row-major: widgets draw into it, and `diff` tells the backend which
/// cells changed since the last frame.
///
/// - Important: every write is clipped to `area`; writing outside it, or into an empty
///   buffer, does nothing.
public struct Buffer: Hashable, Sendable {
    public let area: Rect
    public private(set) var cells: [Cell]

    public init(area: Rect, filling cell: Cell = .blank) {
        self.area = area
        cells = Array(repeating: cell, count: area.area)
    }

    private func index(_ x: Int, _ y: Int) -> Int? {
        guard area.contains(x: x, y: y) else { return nil }
        return (y - area.y) * area.width + (x - area.x)
    }

    public subscript(x: Int, y: Int) -> Cell {
        guard let index = index(x, y) else { return .blank }
        return cells[index]
    }

    /// Sets one cell, repairing any wide grapheme it cuts in half.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard let index = index(x, y) else { return }
        if cells[index].isContinuation, let left = self.index(x - 1, y) { cells[left] = Cell(" ", role: cells[left].role) }
        if let right = self.index(x + 1, y), cells[right].isContinuation, !cell.isContinuation {
            cells[right] = Cell(" ", role: cells[right].role)
        }
        cells[index] = cell
    }

    /// Writes `text` from (x, y), clipped to `clip` (and the buffer); returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .text, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.bottom else { return 0 }
        var column = x
        let raw = Faults.active.contains(.rawText)
        for character in text {
            var width = CharacterWidth.of(character)
            if width == 0 {
                // Zero-width characters (controls among them) never take a cell of their own.
                guard raw else { continue }
                width = 1
            }
            if column + width > bounds.right { break }
            if column >= bounds.x {
                set(column, y, Cell(String(character), role: role))
                if width == 2 { set(column + 1, y, .continuation) }
            }
            column += width
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        for y in target.y..<target.bottom {
            for x in target.x..<target.right { set(x, y, cell) }
        }
    }

    /// Gives every cell of `rect` this role, keeping the symbols (a highlighted row).
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        for y in target.y..<target.bottom {
            for x in target.x..<target.right {
                if let index = index(x, y) { cells[index].role = role }
            }
        }
    }

    /// One change for the backend: draw `cell` at (x, y).
    public struct Change: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public var cell: Cell
    }

    /// The cells that differ from `previous`; everything when the areas differ.
    public func diff(_ previous: Buffer?) -> [Change] {
        var changes: [Change] = []
        let compare = previous?.area == area ? previous : nil
        for (offset, cell) in cells.enumerated() where compare.map({ $0.cells[offset] != cell }) ?? true {
            changes.append(Change(x: area.x + offset % max(area.width, 1), y: area.y + offset / max(area.width, 1), cell: cell))
        }
        return changes
    }

    /// The text of each row (continuations dropped), for tests and snapshots.
    public var lines: [String] {
        guard area.width > 0 else { return Array(repeating: "", count: area.height) }
        return (0..<area.height).map { row in
            cells[(row * area.width)..<((row + 1) * area.width)].map(\.symbol).joined()
        }
    }
}
