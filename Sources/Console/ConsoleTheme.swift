import ConsoleClient
import Foundation
import TerminalUI

/// The console's roles and their complete default looks; theme files are decoded over these,
/// so a partial theme works and an unknown slot is caught.
public enum ConsoleTheme {
    /// Role prefixes a theme may extend freely (`feed.type.<kind>`).
    public static let openPrefixes = ["feed.type."]

    /// Every role the console draws with, and how it looks when no theme says otherwise.
    public static let defaults = Theme(name: "built-in", styles: [
        .text: TextStyle(foreground: .indexed(252)),
        .muted: TextStyle(foreground: .indexed(245)),
        .border: TextStyle(foreground: .indexed(240)),
        .borderFocus: TextStyle(foreground: .indexed(39), bold: true),
        .title: TextStyle(foreground: .indexed(252), bold: true),
        .selection: TextStyle(reverse: true),
        .hintKey: TextStyle(foreground: .indexed(39), bold: true),
        .hintText: TextStyle(foreground: .indexed(245)),
        .gaugeFilled: TextStyle(foreground: .indexed(39)),
        .gaugeEmpty: TextStyle(foreground: .indexed(238)),
        .input: TextStyle(foreground: .indexed(252), background: .indexed(236)),
        .cursor: TextStyle(reverse: true),
        .dialog: TextStyle(foreground: .indexed(252)),
        .statusOK: TextStyle(foreground: .indexed(78)),
        .statusError: TextStyle(foreground: .indexed(203), bold: true),
        "seat.free": TextStyle(foreground: .indexed(71)),
        "seat.held": TextStyle(foreground: .indexed(214), bold: true),
        "seat.sold": TextStyle(foreground: .indexed(167)),
        "seat.blocked": TextStyle(foreground: .indexed(243), dim: true),
        "seat.selected": TextStyle(foreground: .indexed(45), bold: true),
        "seat.cursor": TextStyle(foreground: .indexed(231), reverse: true),
        "countdown.normal": TextStyle(foreground: .indexed(214)),
        "countdown.urgent": TextStyle(foreground: .indexed(203), bold: true),
        "header": TextStyle(foreground: .indexed(252), bold: true),
        "header.live": TextStyle(foreground: .indexed(78), bold: true),
        "header.readonly": TextStyle(foreground: .indexed(220), bold: true),
        "header.warning": TextStyle(foreground: .indexed(203), bold: true, reverse: true),
        "feed.type": TextStyle(foreground: .indexed(245)),
        "feed.type.show": TextStyle(foreground: .indexed(39)),
        "feed.type.hold": TextStyle(foreground: .indexed(214)),
        "feed.type.sale": TextStyle(foreground: .indexed(78)),
        "feed.type.release": TextStyle(foreground: .indexed(245)),
        "feed.type.block": TextStyle(foreground: .indexed(243)),
        "feed.type.payment": TextStyle(foreground: .indexed(45)),
        "feed.type.failure": TextStyle(foreground: .indexed(203), bold: true),
    ])

    /// Loads a theme by name or path over the defaults.
    public static func load(_ nameOrPath: String, folder: URL) throws(ThemeError) -> Theme {
        try ThemeLoader.load(nameOrPath, folder: folder, defaults: defaults, knownPrefixes: openPrefixes)
    }
}
