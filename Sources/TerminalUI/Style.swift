import Synchronization

/// What a cell shows, by meaning rather than colour (`seat.free`, `panel.border.focus`); a theme
/// turns roles into colours and attributes.
///
/// A role is a number in a process-wide table of role names, so that a cell carrying one is
/// copied and compared without touching a string (a frame is 12,000 cells).
public struct StyleRole: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    let number: UInt16
    public init(_ name: String) { number = RoleNames.table.withLock { $0.number(for: name) } }
    public init(stringLiteral value: String) { self.init(value) }
    public var name: String { RoleNames.table.withLock { $0.names[Int(number)] } }
    public var description: String { name }

    public static let text: StyleRole = "text"
    public static let muted: StyleRole = "text.muted"
    public static let border: StyleRole = "panel.border"
    public static let borderFocus: StyleRole = "panel.border.focus"
    public static let title: StyleRole = "panel.title"
    public static let selection: StyleRole = "selection"
    public static let hintKey: StyleRole = "hint.key"
    public static let hintText: StyleRole = "hint.text"
    public static let gaugeFilled: StyleRole = "gauge.filled"
    public static let gaugeEmpty: StyleRole = "gauge.empty"
    public static let input: StyleRole = "input"
    public static let cursor: StyleRole = "input.cursor"
    public static let dialog: StyleRole = "dialog"
    public static let statusOK: StyleRole = "status.ok"
    public static let statusError: StyleRole = "status.error"
}

/// The names of every role the process has used, numbered as first seen. Role names come from
/// code and theme files, a few hundred at most; past the table's limit a name draws as `text`.
struct RoleNames {
    static let table = Mutex(RoleNames())

    private(set) var names: [String] = ["text"]
    private var numbers: [String: UInt16] = ["text": 0]

    mutating func number(for name: String) -> UInt16 {
        if let known = numbers[name] { return known }
        guard names.count <= Int(UInt16.max) else { return 0 }
        let number = UInt16(names.count)
        names.append(name)
        numbers[name] = number
        return number
    }
}

/// A terminal colour: the default, one of the 256 indexed colours, or an exact RGB to be
/// mapped to the nearest the terminal has.
public enum Color: Hashable, Sendable {
    case `default`
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// Concrete looks for a role: colours plus attributes.
public struct TextStyle: Hashable, Sendable {
    public var foreground: Color = .default
    public var background: Color = .default
    public var bold = false
    public var dim = false
    public var underline = false
    public var reverse = false

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }
}
