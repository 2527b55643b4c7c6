import Testing
@testable import TerminalUI

@Suite("Buffer, width and sanitising")
struct BufferTests {
    @Test func writesClipAtTheEdgesAndOutsideWritesDoNothing() {
        var buffer = Buffer(area: Rect(width: 5, height: 2))
        #expect(buffer.put("Marquee", x: 1, y: 0) == 4)
        buffer.put("x", x: -1, y: 1)
        buffer.put("y", x: 0, y: 5)
        buffer.set(9, 9, Cell("z"))
        #expect(buffer.lines == [" Marq", "     "])
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverCutInHalf() {
        var buffer = Buffer(area: Rect(width: 6, height: 1))
        #expect(buffer.put("東京", x: 0, y: 0) == 4)
        #expect(buffer.lines == ["東京  "])
        buffer.set(1, 0, Cell("a"))
        #expect(buffer.lines == [" a京  "])
        var edge = Buffer(area: Rect(width: 3, height: 1))
        #expect(edge.put("a東京", x: 0, y: 0) == 3)
        #expect(edge.lines == ["a東"])
    }

    @Test func theWidthTableDecidesColumnsNotTheLocale() {
        for glyph in ["●", "◐", "■", "◉", "×", "€", "─", "┏", "A", "é"] {
            #expect(CharacterWidth.of(Character(glyph)) == 1, "\(glyph)")
        }
        for glyph in ["東", "한", "Ｗ", "🎭"] { #expect(CharacterWidth.of(Character(glyph)) == 2, "\(glyph)") }
        #expect(CharacterWidth.of("e\u{301}") == 1)
        #expect(CharacterWidth.of("שלום") == 4)
        #expect(CharacterWidth.of("\u{200D}") == 0)
        #expect(CharacterWidth.truncate("Grand Theatre", to: 8) == "Grand T…")
        #expect(CharacterWidth.truncate("東京東京", to: 5) == "東京…")
    }

    @Test func diffYieldsExactlyTheChangedCells() {
        var before = Buffer(area: Rect(width: 4, height: 2))
        before.put("abcd", x: 0, y: 0)
        var after = before
        after.set(2, 1, Cell("●", role: "seat.free"))
        after.set(0, 0, Cell("a", role: "seat.held"))
        #expect(after.diff(before) == [
            Buffer.Change(x: 0, y: 0, cell: Cell("a", role: "seat.held")),
            Buffer.Change(x: 2, y: 1, cell: Cell("●", role: "seat.free")),
        ])
        #expect(after.diff(after).isEmpty)
        #expect(after.diff(nil).count == 8)
        #expect(after.diff(Buffer(area: Rect(width: 3, height: 2))).count == 8)
    }

    @Test(arguments: [
        ("\u{1B}[2J", "␛[2J"), ("bell\u{07}", "bell␇"), ("nul\u{00}", "nul␀"), ("del\u{7F}", "del␡"),
        ("c1\u{9B}31m", "c1\u{FFFD}31m"), ("evil\u{202E}txt.exe", "evil\u{FFFD}txt.exe"), ("tab\there", "tab␉here"),
        ("Zoë 東京 שלום", "Zoë 東京 שלום"),
    ])
    func sanitizeMakesControlsVisibleAndInert(_ input: String, _ expected: String) {
        #expect(sanitize(input) == expected)
        #expect(!sanitize(input).unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test func layoutSplitsByFixedMinimumPercentageAndFill() {
        let area = Rect(width: 100, height: 10)
        #expect(Layout.split(area, .horizontal, [.fixed(20), .fill, .percentage(30)]).map(\.width) == [20, 50, 30])
        #expect(Layout.split(area, .horizontal, [.min(10), .fill]).map(\.width) == [55, 45])
        #expect(Layout.split(area, .vertical, [.fixed(3), .fill, .fixed(1)]).map(\.height) == [3, 6, 1])
        #expect(Layout.split(area, .vertical, [.fixed(8), .fixed(8)]).map(\.height) == [8, 2])
        #expect(Layout.split(.zero, .horizontal, [.fixed(3), .fill]).map(\.width) == [0, 0])
        let parts = Layout.split(Rect(x: 5, y: 2, width: 10, height: 3), .horizontal, [.fixed(4), .fill])
        #expect(parts == [Rect(x: 5, y: 2, width: 4, height: 3), Rect(x: 9, y: 2, width: 6, height: 3)])
    }

    @Test func theTerminalSendsTheBackendOnlyWhatChanged() {
        let backend = TestBackend(width: 10, height: 3)
        let terminal = Terminal(backend: backend)
        terminal.draw { $0.put("hello", x: 0, y: 0) }
        #expect(backend.cellsDrawn == 30)
        terminal.draw { $0.put("help", x: 0, y: 0) }
        #expect(backend.cellsDrawn == 32)
        #expect(backend.buffer.lines[0] == "help      ")
        backend.resize(width: 4, height: 1)
        terminal.draw { $0.put("hi", x: 0, y: 0) }
        #expect(backend.buffer.lines == ["hi  "])
    }
}
