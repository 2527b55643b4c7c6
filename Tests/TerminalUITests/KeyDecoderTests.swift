import CNCurses
@testable import CursesTerminal
import Testing
import TerminalUI

@Suite("Curses key decoding")
struct KeyDecoderTests {
    @Test func cursesCodesBecomeKeys() {
        let codes: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_BTAB, .backTab),
            (KEY_BACKSPACE, .backspace), (KEY_DC, .delete), (KEY_HOME, .home), (KEY_END, .end),
            (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_ENTER, .enter), (mq_key_f(1), .function(1)), (mq_key_f(12), .function(12)),
        ]
        for (code, key) in codes {
            #expect(KeyDecoder.decode(result: KEY_CODE_YES, character: wint_t(bitPattern: code)) == key)
        }
        let characters: [(UInt32, Key)] = [(9, .tab), (13, .enter), (10, .enter), (27, .escape), (127, .backspace), (8, .backspace), (0x71, .character("q")), (0x20AC, .character("€")), (0x6771, .character("東")), (12, .redraw)]
        for (value, key) in characters {
            #expect(KeyDecoder.decode(result: OK, character: wint_t(value)) == key)
        }
        #expect(KeyDecoder.decode(result: OK, character: 1) == nil)
    }
}

@Suite("ASCII fallback")
struct AsciiFallbackTests {
    @Test func seatGlyphsFramesAndBarsHaveASCIIStandIns() {
        #expect(["●", "◐", "■", "×", "◉"].map(AsciiFallback.symbol) == [".", "o", "#", "x", "@"])
        #expect(["┏", "─", "│", "┘", "█", "░", "▏", "…"].map(AsciiFallback.symbol) == ["+", "-", "|", "+", "#", ".", "#", "~"])
        #expect(["ë", "é", "ß", "€", "A", " "].map(AsciiFallback.symbol) == ["e", "e", "?", "E", "A", " "])
    }
}
