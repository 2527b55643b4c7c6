import Console
import Foundation
import Testing
import TerminalUI

@Suite("Theme files and the preview screen")
struct ThemeFilesTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes")

    @Test(arguments: ["default", "high-contrast", "light", "mono"])
    func everyShippedThemeLoadsOverTheConsoleDefaults(_ name: String) throws {
        let theme = try ConsoleTheme.load(name, folder: Self.folder)
        #expect(theme.name == name)
        for role in ConsoleTheme.defaults.styles.keys { _ = theme.style(for: role) }
        if name == "mono" {
            #expect(theme.styles.filter { $0.key.name.hasPrefix("seat.") }.allSatisfy { $0.value.foreground == .default })
        }
    }

    @Test func seatStatesLookDifferentInEveryThemeEvenWithoutColour() throws {
        for name in ThemeLoader.available(in: Self.folder) {
            let theme = try ConsoleTheme.load(name, folder: Self.folder).mapped(to: .none)
            // Glyphs carry the meaning; attributes still tell held from free on a mono screen.
            #expect(theme.style(for: "seat.held") != theme.style(for: "seat.free"), "\(name)")
        }
    }

    @Test func thePreviewShowsEverySeatGlyphAndSurvivesSmallTerminals() {
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ThemePreview(themeName: "default", description: "256 colours", capability: .full).render(in: buffer.area, into: &buffer)
        let text = buffer.lines.joined(separator: "\n")
        for glyph in ["●", "◐", "■", "×", "◉"] { #expect(text.contains(glyph)) }
        #expect(buffer.lines[0].hasPrefix("┏ THEME default"))
        let roles = Set(buffer.cells.map(\.role.name))
        for role in ["seat.free", "seat.held", "seat.sold", "seat.blocked", "seat.selected", "seat.cursor", "countdown.urgent", "feed.type.failure", "hint.key"] {
            #expect(roles.contains(role), "\(role)")
        }
        var small = Buffer(area: Rect(width: 30, height: 5))
        ThemePreview(themeName: "x", description: "", capability: .none).render(in: small.area, into: &small)
        #expect(small.lines[0].hasPrefix("terminal too small"))
    }
}
