/// What a cell shows on a terminal that cannot display UTF-8 (`LANG=C`): seat glyphs become
/// letters an operator can still tell apart, frames and bars become ASCII lines and blocks,
/// anything else outside ASCII becomes `?`.
public enum AsciiFallback {
    /// The seat glyphs' ASCII stand-ins: `.` free, `o` held, `#` sold, `x` blocked, `@` selected.
    public static let seats: [Character: Character] = ["●": ".", "◐": "o", "■": "#", "×": "x", "◉": "@"]

    /// `symbol` as one ASCII character (the cell keeps its width of one).
    public static func symbol(_ symbol: String) -> String {
        guard let first = symbol.first, !symbol.allSatisfy(\.isASCII) else { return symbol }
        if let seat = seats[first] { return String(seat) }
        // A letter with an accent keeps its letter: "Zoë" reads "Zoe".
        if let base = String(first).decomposedStringWithCanonicalMapping.unicodeScalars.first, base.isASCII, base.value >= 0x20 {
            return String(base)
        }
        guard let scalar = first.unicodeScalars.first?.value else { return "?" }
        switch scalar {
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550: return "-"
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551: return "|"
        case 0x250C...0x254B, 0x2552...0x257F: return "+"
        case 0x2588, 0x2589...0x258F, 0x2580...0x2587: return "#"
        case 0x2591, 0x2592, 0x2593: return "."
        case 0x20AC: return "E"
        case 0x00A3: return "L"
        case 0x2026: return "~"
        case 0x00B7, 0x2022: return "*"
        case 0x2190: return "<"
        case 0x2192, 0x25B6: return ">"
        case 0x2191: return "^"
        case 0x2193: return "v"
        case 0x2424, 0x2420: return "_"
        default: return "?"
        }
    }
}
