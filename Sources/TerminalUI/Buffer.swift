import Faults
import Synchronization

/// One terminal cell: a grapheme and the role that styles it. A wide grapheme occupies its
/// cell and the next, which holds an empty continuation.
///
/// Eight bytes and no references: the grapheme is its one Unicode scalar (almost every cell)
/// or the number of an interned longer grapheme, and the role is its number; so a frame is
/// made, copied and compared without reference counting.
public struct Cell: Hashable, Sendable {
    /// 0: a continuation; below 0x110000: one scalar; with `interned` set: a `Graphemes` number.
    private let glyph: UInt32
    public var role: StyleRole

    private static let interned: UInt32 = 0x8000_0000

    public init(_ symbol: String = " ", role: StyleRole = .text) {
        glyph = Self.glyph(symbol)
        self.role = role
    }

    public init(_ character: Character, role: StyleRole = .text) {
        let scalars = character.unicodeScalars
        if let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex, first.value != 0 {
            glyph = first.value
        } else {
            glyph = Self.glyph(String(character))
        }
        self.role = role
    }

    /// A one-scalar cell (ASCII text, drawing symbols) made without looking at a string.
    init(scalar: Unicode.Scalar, role: StyleRole) {
        glyph = scalar.value == 0 ? Self.glyph("\u{0}") : scalar.value
        self.role = role
    }

    private static func glyph(_ symbol: String) -> UInt32 {
        let scalars = symbol.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.index(after: scalars.startIndex) == scalars.endIndex, first.value != 0 { return first.value }
        return Graphemes.table.withLock { $0.number(for: symbol) }.map { interned | $0 } ?? 0xFFFD
    }

    /// The grapheme this cell shows ("" for a continuation).
    public var symbol: String {
        if glyph == 0 { return "" }
        if glyph & Self.interned != 0 { return Graphemes.table.withLock { $0.graphemes[Int(glyph & ~Self.interned)] } }
        return Unicode.Scalar(glyph).map { String($0) } ?? "\u{FFFD}"
    }

    public static let blank = Cell()
    static let continuation = Cell("", role: .text)

    public var isContinuation: Bool { glyph == 0 }
}

/// Graphemes of more than one scalar (an accented letter with its combining mark, a flag, a
/// family emoji) that cells have shown, numbered as first seen. Bounded: past the limit a new
/// one draws as U+FFFD (hostile text cannot grow it without end).
struct Graphemes {
    static let table = Mutex(Graphemes())
    static let limit = 1 << 20

    private(set) var graphemes: [String] = []
    private var numbers: [String: UInt32] = [:]

    mutating func number(for grapheme: String) -> UInt32? {
        if let known = numbers[grapheme] { return known }
        guard graphemes.count < Self.limit else { return nil }
        let number = UInt32(graphemes.count)
        graphemes.append(grapheme)
        numbers[grapheme] = number
        return number
    }
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
        // Printable ASCII, most of what a screen holds: one byte, one cell, one column.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            for byte in text.utf8 {
                if column + 1 > bounds.right { break }
                if column >= bounds.x { set(column, y, Cell(scalar: Unicode.Scalar(byte), role: role)) }
                column += 1
            }
            return max(0, column - x)
        }
        // Text whose every scalar is a grapheme by itself (box drawing, bars, `·`, `€`): no
        // grapheme breaking.
        if text.unicodeScalars.allSatisfy(CharacterWidth.standsAlone) {
            for scalar in text.unicodeScalars {
                let width = CharacterWidth.of(scalar)
                if column + width > bounds.right { break }
                if column >= bounds.x {
                    set(column, y, Cell(scalar: scalar, role: role))
                    if width == 2 { set(column + 1, y, .continuation) }
                }
                column += width
            }
            return max(0, column - x)
        }
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
                set(column, y, Cell(character, role: role))
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
            // Only the edges can cut a wide grapheme outside the rectangle in half; the right
            // edge first, so that its repair of a neighbour inside is overwritten.
            set(target.right - 1, y, cell)
            set(target.x, y, cell)
            guard target.width > 2, let first = index(target.x + 1, y) else { continue }
            for offset in first..<(first + target.width - 2) { cells[offset] = cell }
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
