/// Styles for every role: what a theme file (over complete defaults) resolved to. Roles fall
/// back along their dotted name (`feed.type.hold` → `feed.type` → `feed` → `text`).
public struct Theme: Sendable {
    public var name: String
    public var styles: [StyleRole: TextStyle]

    public init(name: String, styles: [StyleRole: TextStyle]) {
        self.name = name
        self.styles = styles
    }

    public func style(for role: StyleRole) -> TextStyle {
        var name = role.name
        while true {
            if let style = styles[StyleRole(name)] { return style }
            guard let dot = name.lastIndex(of: ".") else { break }
            name = String(name[..<dot])
        }
        return styles[.text] ?? TextStyle()
    }

    /// The same theme for a terminal with fewer colours: colours map to the nearest available,
    /// or disappear (attributes stay) when there are none.
    public func mapped(to capability: ColorCapability) -> Theme {
        Theme(name: name, styles: styles.mapValues { style in
            var mapped = style
            mapped.foreground = capability.map(style.foreground)
            mapped.background = capability.map(style.background)
            return mapped
        })
    }
}

/// How many colours the terminal can show.
public enum ColorCapability: Int, Sendable, Comparable {
    case none = 0, eight = 8, sixteen = 16, full = 256

    public static func < (lhs: ColorCapability, rhs: ColorCapability) -> Bool { lhs.rawValue < rhs.rawValue }

    /// From the terminal's colour count and the environment: `NO_COLOR` (any value) forces none.
    public static func detect(colors: Int, environment: [String: String]) -> ColorCapability {
        if environment["NO_COLOR"] != nil { return .none }
        switch colors {
        case 256...: return .full
        case 16...: return .sixteen
        case 8...: return .eight
        default: return .none
        }
    }

    public func map(_ color: Color) -> Color {
        switch (self, color) {
        case (_, .default): return .default
        case (.none, _): return .default
        case (.full, .indexed): return color
        case (.full, .rgb(let r, let g, let b)): return .indexed(Palette256.nearest(r, g, b, among: 0..<256))
        case (_, .indexed(let index)):
            if Int(index) < rawValue { return color }
            let (r, g, b) = Palette256.rgb(index)
            return .indexed(Palette256.nearest(r, g, b, among: 0..<rawValue))
        case (_, .rgb(let r, let g, let b)): return .indexed(Palette256.nearest(r, g, b, among: 0..<rawValue))
        }
    }
}

/// The xterm 256-colour palette, for mapping colours down.
enum Palette256 {
    static let basic: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgb(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 { return basic[i] }
        if i >= 232 {
            let level = UInt8(8 + (i - 232) * 10)
            return (level, level, level)
        }
        let cube = i - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }

    static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, among range: Range<Int>) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for index in range {
            let (pr, pg, pb) = rgb(UInt8(index))
            let dr = Int(r) - Int(pr), dg = Int(g) - Int(pg), db = Int(b) - Int(pb)
            // Weighted for the eye's sensitivity to green.
            let distance = 3 * dr * dr + 4 * dg * dg + 2 * db * db
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return UInt8(best)
    }
}
