import Foundation
import Testing
@testable import TerminalUI

@Suite("Themes")
struct ThemeTests {
    static let defaults = Theme(name: "built-in", styles: [
        .text: TextStyle(foreground: .indexed(252)),
        "seat.free": TextStyle(foreground: .indexed(71)),
        "seat.held": TextStyle(foreground: .indexed(214), bold: true),
        .border: TextStyle(foreground: .indexed(240)),
        "feed.type": TextStyle(foreground: .indexed(245)),
    ])

    func parse(_ text: String) throws(ThemeError) -> Theme {
        try ThemeLoader.parse(text, file: "Themes/test.toml", defaults: Self.defaults, knownPrefixes: ["feed.type."])
    }

    @Test func aFullThemeResolvesPaletteNamesNamedColoursAndHex() throws {
        let theme = try parse("""
            name = "test"
            description = "a test"
            [palette]
            green = 34
            amber = "#ffaf00"
            [slots]
            "seat.free" = { fg = "green", bold = true }
            "seat.held" = { fg = "amber", bg = "bright-black", reverse = true }
            "panel.border" = { fg = "default", dim = true, underline = true }
            "feed.type.hold" = { fg = 214 }
            """)
        #expect(theme.name == "test")
        #expect(theme.style(for: "seat.free") == TextStyle(foreground: .indexed(34), bold: true))
        #expect(theme.style(for: "seat.held") == TextStyle(foreground: .rgb(255, 175, 0), background: .indexed(8), reverse: true))
        #expect(theme.style(for: .border) == TextStyle(dim: true, underline: true))
        #expect(theme.style(for: "feed.type.hold").foreground == .indexed(214))
        #expect(theme.style(for: "feed.type.sale").foreground == .indexed(245))
        #expect(theme.style(for: "something.else").foreground == .indexed(252))
    }

    @Test func aPartialThemeKeepsTheDefaultsForEverythingElse() throws {
        let theme = try parse("[slots]\n\"seat.free\" = { fg = 10 }\n")
        #expect(theme.style(for: "seat.free").foreground == .indexed(10))
        #expect(theme.style(for: "seat.held") == Self.defaults.style(for: "seat.held"))
        #expect(try parse("").styles == Self.defaults.styles)
    }

    @Test(arguments: [
        ("[slots\n\"seat.free\" = { fg = 1 }", 1, "not valid TOML"),
        ("name = \"x\"\ncolours = 3", 2, "unknown key \"colours\""),
        ("monochrome = 1", 1, "monochrome must be true or false"),
        ("[slots]\n\"seat.fre\" = { fg = 1 }", 2, "unknown slot \"seat.fre\""),
        ("[slots]\n\n\"seat.free\" = { fg = \"grene\" }", 3, "fg \"grene\" is not a palette name or colour"),
        ("[palette]\nbad = 300", 2, "palette colour \"bad\" is not a colour"),
        ("[slots]\n\"seat.free\" = { fg = 1, blink = true }", 2, "unknown attribute \"blink\""),
        ("[slots]\n\"seat.free\" = { bold = \"yes\" }", 2, "bold must be true or false"),
        ("[slots]\n\"seat.free\" = 3", 2, "must be an inline table"),
    ])
    func aBrokenThemeIsRefusedWithItsFileLineAndWhatWasExpected(_ text: String, _ line: Int, _ problem: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.file == "Themes/test.toml")
            #expect(error.line == line, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
            #expect(error.description.hasPrefix("Themes/test.toml:\(line): "))
        }
    }

    @Test func anUnknownThemeNameListsTheOnesThatExist() {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes")
        #expect(throws: ThemeError(file: "neon", line: nil, problem: "no such theme; available: default, high-contrast, light, mono")) {
            try ThemeLoader.load("neon", folder: folder, defaults: Self.defaults)
        }
    }

    @Test func coloursMapDownToWhatTheTerminalHas() {
        let theme = Theme(name: "t", styles: [
            "a": TextStyle(foreground: .indexed(214), bold: true),
            "b": TextStyle(foreground: .rgb(255, 0, 0), background: .indexed(4)),
            "c": TextStyle(foreground: .indexed(12)),
        ])
        #expect(theme.mapped(to: .full).style(for: "a") == theme.style(for: "a"))
        #expect(theme.mapped(to: .full).style(for: "b").foreground == .indexed(9))
        let sixteen = theme.mapped(to: .sixteen)
        #expect(sixteen.style(for: "a").foreground == .indexed(3))
        #expect(sixteen.style(for: "a").bold)
        #expect(sixteen.style(for: "c").foreground == .indexed(12))
        let eight = theme.mapped(to: .eight)
        #expect(eight.style(for: "a").foreground == .indexed(3))
        #expect(eight.style(for: "b").foreground == .indexed(1))
        #expect(eight.style(for: "c").foreground == .indexed(4))
        let none = theme.mapped(to: .none)
        #expect(none.style(for: "a") == TextStyle(bold: true))
        #expect(ColorCapability.detect(colors: 256, environment: [:]) == .full)
        #expect(ColorCapability.detect(colors: 256, environment: ["NO_COLOR": ""]) == .none)
        #expect(ColorCapability.detect(colors: 16, environment: [:]) == .sixteen)
        #expect(ColorCapability.detect(colors: 8, environment: [:]) == .eight)
        #expect(ColorCapability.detect(colors: 2, environment: [:]) == .none)
    }
}

/// The TOML subset themes are written in, read by hand.
@Suite("Theme TOML")
struct ThemeTOMLTests {
    @Test func theSubsetThemesUseIsRead() throws {
        let table = try ThemeTOML.parse("""
            # a comment
            name = "x" # trailing comment
            monochrome = false
            [palette]
            ink = 235
            big = 1_000
            neg = -3
            'literal' = 'C:\\path'
            [slots]
            "seat.free" = { fg = "ink", bold = true, nested = { deep = "\\u00e9\\t" } }
            "empty" = {}\r
            """)
        #expect(table.keys == ["name", "monochrome", "palette", "slots"])
        #expect(table["name"] == .string("x") && table["monochrome"] == .boolean(false))
        let palette = try #require(table["palette"]?.table)
        #expect(palette["ink"] == .integer(235) && palette["big"] == .integer(1000) && palette["neg"] == .integer(-3))
        #expect(palette["literal"] == .string("C:\\path"))
        let slot = try #require(table["slots"]?.table?["seat.free"]?.table)
        #expect(slot["fg"] == .string("ink") && slot["bold"] == .boolean(true))
        #expect(slot["nested"]?.table?["deep"] == .string("é\t"))
        #expect(table["slots"]?.table?.line(of: "seat.free") == 10)
    }

    @Test(arguments: [
        ("[{ fg = \"ink\" }", 1, "expected a key"),
        ("a = 1\na = 2", 2, "defined twice"),
        ("[slots]\n[slots]", 2, "table [slots] is defined twice"),
        ("a = [1, 2]", 1, "arrays are not used"),
        ("a = 1.5", 1, "only whole numbers"),
        ("a = 1979-05-27", 1, "only whole numbers"),
        ("a.b = 1", 1, "dotted keys"),
        ("a = \"\"\"x\"\"\"", 1, "multi-line strings"),
        ("a = \"open", 1, "not closed"),
        ("a = \"x\\q\"", 1, "unknown escape"),
        ("a = \"\\uD800\"", 1, "hex digits of a Unicode scalar"),
        ("a = { b = 1,\n c = 2 }", 1, "expected a key"),
        ("a = 99999999999999999999", 1, "too large"),
        ("a = 007", 1, "cannot start with 0"),
        ("a = tru", 1, "true or false"),
        ("a = 1 b = 2", 1, "end of the line"),
        ("[[x]]", 1, "arrays of tables"),
        ("a = \"\u{1B}[2J\"", 1, "control character"),
    ])
    func everythingElseIsRefusedWithItsLine(_ text: String, _ line: Int, _ problem: String) {
        do {
            _ = try ThemeTOML.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
        }
    }
}
