/// Splits a rectangle into rows or columns by constraints, like ratatui's layout.
public enum Layout {
    public enum Direction: Sendable { case horizontal, vertical }

    /// How much of the split one part takes.
    public enum Constraint: Hashable, Sendable {
        /// Exactly n cells (less only when there is not room).
        case fixed(Int)
        /// At least n cells, sharing what is left over with the other flexible parts.
        case min(Int)
        /// This percentage of the whole.
        case percentage(Int)
        /// An equal share of whatever is left.
        case fill
    }

    /// The parts, in order, covering `area` along `direction` (the last flexible part takes
    /// the rounding remainder). Parts that do not fit get zero size.
    public static func split(_ area: Rect, _ direction: Direction, _ constraints: [Constraint]) -> [Rect] {
        let total = direction == .horizontal ? area.width : area.height
        var sizes = constraints.map { constraint -> Int in
            switch constraint {
            case .fixed(let n): max(n, 0)
            case .min(let n): max(n, 0)
            case .percentage(let p): total * Swift.min(Swift.max(p, 0), 100) / 100
            case .fill: 0
            }
        }
        var used = sizes.reduce(0, +)
        // Shrink from the end when the fixed demands exceed the space.
        var index = sizes.count - 1
        while used > total, index >= 0 {
            let cut = Swift.min(sizes[index], used - total)
            sizes[index] -= cut
            used -= cut
            index -= 1
        }
        let flexible = constraints.indices.filter { if case .fixed = constraints[$0] { false } else if case .percentage = constraints[$0] { false } else { true } }
        if !flexible.isEmpty, used < total {
            let spare = total - used
            for (position, i) in flexible.enumerated() {
                sizes[i] += spare / flexible.count + (position == flexible.count - 1 ? spare % flexible.count : 0)
            }
        }
        var offset = 0
        return sizes.map { size in
            defer { offset += size }
            return direction == .horizontal
                ? Rect(x: area.x + offset, y: area.y, width: size, height: area.height)
                : Rect(x: area.x, y: area.y + offset, width: area.width, height: size)
        }
    }
}
