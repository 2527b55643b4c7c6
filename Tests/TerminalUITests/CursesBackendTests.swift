import CPty
import CursesTerminal
import Foundation
import Synchronization
import Testing
import TerminalUI

/// Collects everything the program writes to a pseudo-terminal.
final class PTYReader: @unchecked Sendable {
    let controller: Int32
    private let bytes = Mutex(Data())

    init(controller: Int32) {
        self.controller = controller
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(controller, &chunk, chunk.count)
                if count <= 0 { return }
                bytes.withLock { $0.append(contentsOf: chunk[0..<count]) }
            }
        }
        thread.start()
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

    /// Waits until nothing new has arrived for 100 ms; returns how many bytes have.
    func settled() -> Int {
        var last = -1
        while true {
            let now = bytes.withLock { $0.count }
            if now == last { return now }
            last = now
            usleep(100_000)
        }
    }

    func wait(for needle: String, timeout: TimeInterval = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if text.contains(needle) { return true }
            usleep(5_000)
        }
        return false
    }
}

@Suite("ncurses backend in a pseudo-terminal", .serialized)
struct CursesBackendTests {
    @Test func aDrawnBufferArrivesKeysComeBackAndTheTerminalIsRestored() throws {
        var controller: Int32 = -1, device: Int32 = -1
        #expect(mq_openpty(&controller, &device) == 0)
        let reader = PTYReader(controller: controller)
        let keys = Mutex([Key]())
        let theme = Theme(name: "t", styles: [.text: TextStyle(), "seat.held": TextStyle(foreground: .indexed(214), bold: true)])
        let terminal = CursesTerminal(device: .descriptors(input: device, output: dup(device), term: "xterm-256color"), theme: theme)
        try terminal.start(onKey: { key in keys.withLock { $0.append(key) } })
        #expect(terminal.size.width > 0)
        var frame = Buffer(area: Rect(width: terminal.size.width, height: terminal.size.height))
        frame.put("◐ Marquee 東京", x: 2, y: 1, role: "seat.held")
        terminal.present(frame)
        #expect(reader.wait(for: "Marquee"))
        #expect(reader.text.contains("◐"))
        #expect(reader.text.contains("東京"))
        // One more frame changing a single glyph sends only its move, its look and the glyph.
        let before = reader.settled()
        var next = frame
        next.set(2, 1, Cell("■", role: "seat.held"))
        terminal.present(next)
        #expect(reader.wait(for: "■"))
        let sent = reader.settled() - before
        #expect(sent <= 32, "\(sent) bytes for one cell: \(reader.text.utf8.dropFirst(before).map { $0 < 32 ? "^" : String(UnicodeScalar($0)) }.joined())")
        _ = "q".withCString { write(controller, $0, 1) }
        var deadline = Date().addingTimeInterval(5)
        while keys.withLock({ $0.isEmpty }), Date() < deadline { usleep(5_000) }
        #expect(keys.withLock { $0 } == [.character("q")])
        // Bracketed paste: asked for at start; a paste arrives as one text, escapes and all,
        // never as the keys inside it; typing after it is keys again.
        #expect(reader.text.contains("\u{1B}[?2004h"))
        keys.withLock { $0.removeAll() }
        let pasted = "\u{1B}[200~Price \u{1B}[31mRED\u{1B}[0m missing\nq\u{1B}[201~x"
        _ = pasted.withCString { write(controller, $0, strlen($0)) }
        deadline = Date().addingTimeInterval(5)
        while keys.withLock({ $0.count < 2 }), Date() < deadline { usleep(5_000) }
        #expect(keys.withLock { $0 } == [.paste("Price \u{1B}[31mRED\u{1B}[0m missing\nq"), .character("x")])
        terminal.stop()
        // xterm's "exit alternate screen" means endwin ran and the shell's screen is back,
        // with bracketed paste off again.
        #expect(reader.wait(for: "\u{1B}[?1049l"))
        #expect(reader.text.contains("\u{1B}[?2004l"))
        terminal.stop()
    }
}
