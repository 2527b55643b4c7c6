import BoxOffice
import Console
import Faults
import Foundation
import Testing
import TerminalUI
import Ticketing

@Suite("Hostile text")
struct HostileTextTests {
    static let names = [
        "\u{1B}[2J\u{1B}[31mEVIL", "bell\u{07}\u{07}", "nul\u{00}byte", "c1\u{9B}31m", "\u{202E}txt.exe", "東京 Zoë 🎭 שלום",
        String(repeating: "Very Long Name ", count: 6),
    ]

    /// R6: hostile names and a hostile reason on every screen at two sizes; returns what went
    /// wrong (nothing, when the promise holds).
    static func hostileTextOnEveryScreen() async throws -> [String] {
        let world = try await ConsoleFixture.world()
        let show = ShowID("grand-hall-sat")
        for (index, name) in names.enumerated() {
            // Names are trimmed and capped at 80 characters by the domain.
            _ = try? await world.runtime.box.reserveSeats(show, seats: [SeatID("Stalls-J-\(index + 1)")], customer: String(name.prefix(80)), CommandContext(actor: "buyer-x"))
        }
        _ = try await world.runtime.box.execute(.rejectShow(ShowID("grand-hall-sun"), reason: "\u{1B}]0;pwned\u{07} no \u{202E}licence"), CommandContext(actor: "ana"))
        await world.runtime.settle()
        var state = world.state
        state.show = show
        _ = Reducer.reduce(into: &state, .modelsUpdated(world.runtime.read.snapshot(), head: 1, lag: 0, failures: []))
        var found: [String] = []
        for screenKey: Key in [.character("1"), .character("2")] {
            _ = Reducer.reduce(into: &state, .key(screenKey))
            for (width, height) in [(120, 40), (80, 24)] {
                let buffer = screen(state, width: width, height: height)
                for (index, cell) in buffer.cells.enumerated()
                where cell.symbol.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) }) {
                    found.append("screen \(screenKey) at \(width)×\(height): a raw control character in cell \(index)")
                }
                // Every line still fills exactly the screen's width, and the frame's right edge is intact.
                for (row, line) in buffer.lines.enumerated() where CharacterWidth.of(line) != width {
                    found.append("screen \(screenKey) at \(width)×\(height): line \(row) is \(CharacterWidth.of(line)) columns wide")
                }
            }
        }
        _ = Reducer.reduce(into: &state, .key(.character("1")))
        let dashboard = screen(state, width: 120, height: 40).lines.joined(separator: "\n")
        if !dashboard.contains("␛[2J") { found.append("the hostile name does not show, made inert") }
        return found
    }

    @Test func namesAndReasonsNeverReachTheScreenRawAndNeverBreakTheLayout() async throws {
        let found = try await Self.hostileTextOnEveryScreen()
        #expect(found.isEmpty, "\(found.prefix(5))")
    }

    #if DEBUG
    @Test func provenByAFault_withoutSanitisingRawControlCharactersReachTheScreen() async throws {
        let found = try await Faults.$injected.withValue(.rawText) { try await Self.hostileTextOnEveryScreen() }
        #expect(found.contains { $0.contains("raw control character") }, "\(found.prefix(5))")
    }
    #endif
}
