/// What the operator did: a key, a mouse click on a cell, or a resize.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case tab, backTab, enter, escape, backspace, delete
    case home, end, pageUp, pageDown
    case function(Int)
    case mouse(x: Int, y: Int)
    case resize(width: Int, height: Int)
    /// Ctrl-L: repaint the whole screen (handled by the terminal; apps may ignore it).
    case redraw
    /// Text the operator pasted, as it arrived between the terminal's bracketed-paste marks
    /// (control characters included): text, never keys, so an escape inside it cannot close a
    /// dialog or run a command.
    case paste(String)

    /// How the key reads in help text and the hint bar.
    public var label: String {
        switch self {
        case .character(" "): "␣"
        case .character(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let n): "F\(n)"
        case .mouse: "click"
        case .resize: "resize"
        case .redraw: "C-l"
        case .paste: "paste"
        }
    }
}
