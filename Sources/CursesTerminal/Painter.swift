import CNCurses
import Foundation
import TerminalUI

/// The terminal's own escape sequences, read once from terminfo.
struct TerminalCapabilities {
    var moveTo: String
    var clearScreen: String
    var reset: String?
    var bold: String?
    var dim: String?
    var underline: String?
    var reverse: String?
    var foreground: String?
    var background: String?
    var defaultColors: String?
    /// Whether `reset` also restores the default colours (ANSI `SGR 0` does).
    var resetClearsColors: Bool
    /// Writing the bottom-right cell scrolls the screen (auto margins without the xterm glitch).
    var bottomRightScrolls: Bool

    /// The current terminal's (curses must have set it up); nil when it cannot address the cursor.
    static func current() -> TerminalCapabilities? {
        func string(_ name: String) -> String? { mq_string_capability(name).map { String(cString: $0) } }
        guard let moveTo = string("cup") else { return nil }
        let reset = string("sgr0")
        return TerminalCapabilities(
            moveTo: moveTo, clearScreen: string("clear") ?? "", reset: reset, bold: string("bold"), dim: string("dim"),
            underline: string("smul"), reverse: string("rev"), foreground: string("setaf"), background: string("setab"),
            defaultColors: string("op"),
            resetClearsColors: reset.map { $0.contains("\u{1B}[m") || $0.contains("\u{1B}[0m") || $0.contains("\u{1B}[0;") } ?? false,
            bottomRightScrolls: mq_flag_capability("am") != 0 && mq_flag_capability("xenl") == 0
        )
    }
}

/// Turns changed cells into the bytes a terminal needs, and writes them. Curses only reads
/// keys; Marquee writes the screen itself so that a change costs only what differs: the cursor
/// moves only where the next cell is not where it stands, and attributes and colours change by
/// the difference from the previous cell (curses sets them through the terminal's whole `sgr`
/// string and resets after every update). Used only on the curses thread.
final class Painter {
    /// What the terminal is set to draw with: attributes and colour numbers (-1 the default).
    struct Look: Equatable {
        var bold = false, dim = false, underline = false, reverse = false
        var foreground: Int16 = -1, background: Int16 = -1

        func hasAll(of other: Look) -> Bool {
            (bold || !other.bold) && (dim || !other.dim) && (underline || !other.underline) && (reverse || !other.reverse)
        }
    }

    /// A colour the terminal may be showing after a reset that does not restore colours.
    private static let unknownColor: Int16 = -2

    private var theme: Theme
    private let capability: ColorCapability
    private let capabilities: TerminalCapabilities
    private let output: Int32
    private var looks: [StyleRole: Look] = [:]
    /// What the terminal draws with now (nil: unknown, e.g. before the first cell).
    private var current: Look?
    /// Where the terminal's cursor is (nil: unknown).
    private var cursor: (x: Int, y: Int)?
    private var bytes: [UInt8] = []
    /// True when the operator's terminal cannot show UTF-8: every cell goes out as ASCII.
    let asciiOnly: Bool

    init(theme: Theme, capability: ColorCapability, capabilities: TerminalCapabilities, output: Int32, asciiOnly: Bool) {
        self.theme = theme
        self.capability = capability
        self.capabilities = capabilities
        self.output = output
        self.asciiOnly = asciiOnly
    }

    /// Draws with another theme from now on (the caller repaints the screen).
    func use(_ theme: Theme) {
        self.theme = theme
        looks = [:]
        current = nil
    }

    /// Queues one changed cell (a wide grapheme's continuation is skipped: its first half drew it).
    func put(_ change: Buffer.Change, screen: (width: Int, height: Int)) {
        if change.cell.isContinuation && !asciiOnly { return }
        if capabilities.bottomRightScrolls && change.x == screen.width - 1 && change.y == screen.height - 1 { return }
        if cursor?.x != change.x || cursor?.y != change.y {
            if let move = mq_parameterized2(capabilities.moveTo, Int32(change.y), Int32(change.x)) { append(String(cString: move)) }
        }
        switchTo(look(for: change.cell.role))
        // In ASCII a wide character's second column is a blank of its own.
        let symbol = !asciiOnly ? change.cell.symbol : change.cell.isContinuation ? " " : AsciiFallback.symbol(change.cell.symbol)
        bytes.append(contentsOf: symbol.utf8)
        let width = asciiOnly ? 1 : max(1, CharacterWidth.of(symbol))
        // At the right margin terminals differ (pending wrap or not): the next cell moves there.
        cursor = change.x + width < screen.width ? (change.x + width, change.y) : nil
    }

    /// Queues clearing the whole screen in the default colours.
    func clearScreen() {
        if let reset = capabilities.reset { append(reset) }
        current = capabilities.reset == nil ? nil : plainAfterReset
        append(capabilities.clearScreen)
        cursor = nil
    }

    /// Queues a control sequence as it is (terminal modes such as bracketed paste).
    func send(_ sequence: String) { append(sequence) }

    /// Queues the default attributes, so that whatever runs next starts plain.
    func resetAttributes() {
        if let reset = capabilities.reset { append(reset) }
        current = nil
    }

    /// Writes everything queued.
    func flush() {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(output, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break  // the terminal is gone; the hang-up path ends the console
            }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }

    private var plainAfterReset: Look {
        capabilities.resetClearsColors ? Look() : Look(foreground: Self.unknownColor, background: Self.unknownColor)
    }

    /// Changes attributes and colours from what the terminal has to `target`, by the difference.
    private func switchTo(_ target: Look) {
        if current == target { return }
        var from = current ?? Look(bold: true, dim: true, underline: true, reverse: true, foreground: Self.unknownColor, background: Self.unknownColor)
        if !target.hasAll(of: from), let reset = capabilities.reset {
            append(reset)
            from = plainAfterReset
        }
        if target.bold && !from.bold, let bold = capabilities.bold { append(bold) }
        if target.dim && !from.dim, let dim = capabilities.dim { append(dim) }
        if target.underline && !from.underline, let underline = capabilities.underline { append(underline) }
        if target.reverse && !from.reverse, let reverse = capabilities.reverse { append(reverse) }
        if capability != .none {
            if (target.foreground == -1 && from.foreground != -1) || (target.background == -1 && from.background != -1),
               let defaults = capabilities.defaultColors {
                append(defaults)
                from.foreground = -1
                from.background = -1
            }
            if target.foreground >= 0 && target.foreground != from.foreground, let set = capabilities.foreground,
               let sequence = mq_parameterized1(set, Int32(target.foreground)) {
                append(String(cString: sequence))
            }
            if target.background >= 0 && target.background != from.background, let set = capabilities.background,
               let sequence = mq_parameterized1(set, Int32(target.background)) {
                append(String(cString: sequence))
            }
        }
        current = target
    }

    private func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private func look(for role: StyleRole) -> Look {
        if let known = looks[role] { return known }
        let style = theme.style(for: role)
        let look = Look(bold: style.bold, dim: style.dim, underline: style.underline, reverse: style.reverse,
                        foreground: capability == .none ? -1 : index(style.foreground),
                        background: capability == .none ? -1 : index(style.background))
        looks[role] = look
        return look
    }

    private func index(_ color: Color) -> Int16 {
        switch color {
        case .default: -1
        case .indexed(let index): Int16(index)
        case .rgb: -1
        }
    }
}

/// Curses key codes to `Key`s.
enum KeyDecoder {
    static func decode(result: Int32, character: wint_t) -> Key? {
        let code = Int32(bitPattern: character)
        if result == KEY_CODE_YES {
            switch code {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_BTAB: return .backTab
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_ENTER: return .enter
            case KEY_RESIZE: return .resize(width: Int(mq_cols()), height: Int(mq_lines()))
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK, event.bstate & mq_button1_pressed() != 0 else { return nil }
                return .mouse(x: Int(event.x), y: Int(event.y))
            default:
                for n in 1...12 where code == mq_key_f(Int32(n)) { return .function(n) }
                return nil
            }
        }
        switch code {
        case 12: return .redraw
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: code)), code >= 32 else { return nil }
            return .character(Character(scalar))
        }
    }
}
