import CNCurses
import TerminalUI

/// Turns roles into curses attributes and colour pairs (allocated as they are first needed)
/// and draws cells. Used only on the curses thread.
final class Painter {
    private let theme: Theme
    private let capability: ColorCapability
    private var looks: [StyleRole: (attrs: attr_t, pair: Int16)] = [:]
    private var pairs: [Int32: Int16] = [:]
    /// True when the operator's terminal cannot show UTF-8: every cell goes out as ASCII.
    let asciiOnly: Bool

    init(theme: Theme, capability: ColorCapability, asciiOnly: Bool) {
        self.theme = theme
        self.capability = capability
        self.asciiOnly = asciiOnly
    }

    func put(_ change: Buffer.Change) {
        let look = self.look(for: change.cell.role)
        // In ASCII a wide character's second column is a blank of its own.
        let symbol = !asciiOnly ? change.cell.symbol : change.cell.isContinuation ? " " : AsciiFallback.symbol(change.cell.symbol)
        var wide = symbol.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { mq_put(Int32(change.y), Int32(change.x), $0.baseAddress, look.attrs, look.pair) }
    }

    private func look(for role: StyleRole) -> (attrs: attr_t, pair: Int16) {
        if let known = looks[role] { return known }
        let style = theme.style(for: role)
        var attrs: attr_t = 0
        if style.bold { attrs |= mq_attr_bold() }
        if style.dim { attrs |= mq_attr_dim() }
        if style.underline { attrs |= mq_attr_underline() }
        if style.reverse { attrs |= mq_attr_reverse() }
        let pair = capability == .none ? 0 : pairNumber(style.foreground, style.background)
        looks[role] = (attrs, pair)
        return (attrs, pair)
    }

    private func index(_ color: Color) -> Int16 {
        switch color {
        case .default: -1
        case .indexed(let index): Int16(index)
        case .rgb: -1
        }
    }

    private func pairNumber(_ foreground: Color, _ background: Color) -> Int16 {
        let fg = index(foreground), bg = index(background)
        if fg == -1 && bg == -1 { return 0 }
        let key = Int32(fg) << 16 | Int32(bg) & 0xFFFF
        if let known = pairs[key] { return known }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < mq_color_pairs() else { return 0 }
        init_pair(number, fg, bg)
        pairs[key] = number
        return number
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
