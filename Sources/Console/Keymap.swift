import TerminalUI

/// What a key binding does; the reducer carries it out.
public enum KeyCommand: String, Sendable, CaseIterable {
    case dashboard, showsScreen, failuresScreen, ordersScreen, sagasScreen, help, quit, nextPanel, previousPanel
    case up, down, left, right, pageUp, pageDown, select, previousShow, nextShow
    case reserve, best, pay, cancel, extend, block, unblock
    case submit, approve, reject, reopen, closeSales, cancelShow, editShow
    case details, follow, filter, retryFailure, skipFailure
    case searchOrders, refund, palette, newShow
}

/// One row of the keymap: the keys, what they do, the help text, and whether they write (and
/// so are hidden and refused in read-only mode).
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: KeyCommand
    public var help: String
    public var writes: Bool
    /// Screens where the binding applies (empty: everywhere).
    public var screens: Set<AppState.Screen>
    /// The hint bar's word for it; bindings without one show only in help.
    public var hint: String?

    init(_ keys: [Key], _ command: KeyCommand, _ help: String, writes: Bool = false, screens: Set<AppState.Screen> = [], hint: String? = nil) {
        self.keys = keys
        self.command = command
        self.help = help
        self.writes = writes
        self.screens = screens
        self.hint = hint
    }

    public var label: String { keys.map(\.label).joined(separator: " ") }
}

/// The console's keys, as data: the hint bar and the help screen are generated from it.
public enum Keymap {
    static let everywhere: Set<AppState.Screen> = []
    static let dashboard: Set<AppState.Screen> = [.dashboard]
    static let showsAndDashboard: Set<AppState.Screen> = [.dashboard, .shows]

    public static let bindings: [KeyBinding] = [
        KeyBinding([.character("1")], .dashboard, "dashboard"),
        KeyBinding([.character("2")], .showsScreen, "shows and the approval queue"),
        KeyBinding([.character("3")], .failuresScreen, "subscriber failures"),
        KeyBinding([.character("4")], .ordersScreen, "orders and customers"),
        KeyBinding([.character("5")], .sagasScreen, "sagas: every reservation in flight at its step, stuck ones first"),
        KeyBinding([.character("?"), .function(1)], .help, "this help", hint: "help"),
        KeyBinding([.character(":")], .palette, "command palette: show, shows, orders, reserve, go, theme, help (Tab completes, ↑ recalls)", hint: "palette"),
        KeyBinding([.character("q")], .quit, "quit", hint: "quit"),
        KeyBinding([.tab], .nextPanel, "next panel (seats, holds, feed)", screens: dashboard),
        KeyBinding([.backTab], .previousPanel, "previous panel", screens: dashboard),
        KeyBinding([.up, .character("k")], .up, "move up"),
        KeyBinding([.down, .character("j")], .down, "move down"),
        KeyBinding([.left, .character("h")], .left, "move left", screens: dashboard),
        KeyBinding([.right, .character("l")], .right, "move right", screens: dashboard),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.pageDown], .pageDown, "page down"),
        KeyBinding([.character("<")], .previousShow, "previous show", screens: dashboard),
        KeyBinding([.character(">")], .nextShow, "next show", screens: dashboard),
        KeyBinding([.character(" ")], .select, "select or unselect the seat under the cursor", screens: dashboard, hint: "select"),
        KeyBinding([.character("r")], .reserve, "reserve the selected seats (asks for the customer)", writes: true, screens: dashboard, hint: "reserve"),
        KeyBinding([.character("b")], .best, "best available: N seats together (asks quantity, section, customer)", writes: true, screens: dashboard, hint: "best"),
        KeyBinding([.character("p")], .pay, "take payment at the box office for the highlighted hold", writes: true, screens: dashboard, hint: "pay"),
        KeyBinding([.character("c")], .cancel, "cancel the highlighted hold (asks y/n)", writes: true, screens: dashboard, hint: "cancel"),
        KeyBinding([.character("e")], .extend, "extend the highlighted hold by 2 minutes (once)", writes: true, screens: dashboard),
        KeyBinding([.character("B")], .block, "block the selected seats (house seats)", writes: true, screens: dashboard),
        KeyBinding([.character("U")], .unblock, "unblock the selected seats", writes: true, screens: dashboard),
        KeyBinding([.character("s")], .submit, "submit the show for approval", writes: true, screens: showsAndDashboard, hint: "submit"),
        KeyBinding([.character("a")], .approve, "approve the show: it goes on sale", writes: true, screens: showsAndDashboard, hint: "approve"),
        KeyBinding([.character("x")], .reject, "reject the show (asks for a reason)", writes: true, screens: showsAndDashboard, hint: "reject"),
        KeyBinding([.character("n")], .newShow, "new show: id, name, venue, start and prices, each checked in place", writes: true, screens: [.shows], hint: "new"),
        KeyBinding([.character("E")], .editShow, "edit a draft's name and start", writes: true, screens: showsAndDashboard),
        KeyBinding([.character("o")], .reopen, "reopen a rejected show as a draft", writes: true, screens: showsAndDashboard),
        KeyBinding([.character("z")], .closeSales, "close sales for the show", writes: true, screens: showsAndDashboard),
        KeyBinding([.character("X")], .cancelShow, "cancel the show (type its id to confirm)", writes: true, screens: showsAndDashboard),
        KeyBinding([.enter], .details, "details: the seat's history, the event's payload, the show, the customer, the saga's chain", screens: [.dashboard, .shows, .orders, .sagas]),
        KeyBinding([.character("f")], .follow, "feed: pause or follow the newest events", screens: dashboard),
        KeyBinding([.character("/")], .filter, "feed: filter by type or stream", screens: dashboard),
        KeyBinding([.character("/")], .searchOrders, "orders: search by customer, reservation id, show or seat", screens: [.orders], hint: "search"),
        KeyBinding([.character("c")], .refund, "refund the highlighted confirmed order (type refund to confirm)", writes: true, screens: [.orders], hint: "refund"),
        KeyBinding([.character("R")], .retryFailure, "retry the highlighted failure", writes: true, screens: [.failures], hint: "retry"),
        KeyBinding([.character("S")], .skipFailure, "skip the highlighted failure's event", writes: true, screens: [.failures], hint: "skip"),
    ]

    /// The bindings in force on a screen (write bindings dropped when read-only).
    public static func active(on screen: AppState.Screen, readOnly: Bool) -> [KeyBinding] {
        bindings.filter { ($0.screens.isEmpty || $0.screens.contains(screen)) && !(readOnly && $0.writes) }
    }

    public static func command(for key: Key, on screen: AppState.Screen, readOnly: Bool) -> (KeyCommand, writes: Bool)? {
        // A write key in read-only mode is found (to refuse it clearly), not ignored.
        guard let binding = bindings.first(where: { $0.keys.contains(key) && ($0.screens.isEmpty || $0.screens.contains(screen)) }) else { return nil }
        return (binding.command, binding.writes)
    }

    /// The hint bar's hints for a screen.
    public static func hints(on screen: AppState.Screen, readOnly: Bool) -> [(key: String, text: String)] {
        active(on: screen, readOnly: readOnly).compactMap { binding in binding.hint.map { (binding.keys[0].label, $0) } }
    }
}
