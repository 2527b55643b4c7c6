import BoxOffice
import Console
import ConsoleClient
import EventStore
import Foundation
import SnapshotTesting
import TerminalUI
import Ticketing

/// A deterministic store for console tests: the demo shows, a few holds, sales and a
/// rejection, made by commands on a manual clock with seeded ids.
enum ConsoleFixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    struct World {
        let runtime: Runtime
        let clock: ManualClock
        var state: AppState
    }

    static func world() async throws -> World {
        let folder = NSTemporaryDirectory() + "marquee-console-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let clock = ManualClock(start)
        let runtime = Runtime(
            store: try SQLiteEventStore(path: folder + "/console.sqlite"), clock: clock, ids: SeededIdentifiers(seed: 42),
            gateway: SimulatedGateway(seed: 42, failureRate: 0.3), dispatch: .synchronous
        )
        try runtime.start()
        try await DemoSeeder.seed(DemoCatalog(folder: repository.appendingPathComponent("demo")), into: runtime.box)
        let box = runtime.box
        let show = ShowID("grand-hall-sat")
        let buyers = ["Ava Adler", "Ben Baptiste", "Chloé Castro", "Dmitri Dubois", "Elif Eriksen", "Farah Fischer"]
        for (index, name) in buyers.enumerated() {
            let context = CommandContext(actor: "buyer-\(index + 1)")
            let held = try await box.reserveBestAvailable(show, quantity: 2 + index % 3, customer: name, context)
            if index % 2 == 0, let id = held.reservationID { _ = try await box.execute(.requestPayment(id, method: .card), context) }
            clock.advance(by: 20)
            await runtime.settle()
        }
        let arena = ShowID("harbour-live-fri")
        for index in 0..<12 {
            let held = try await box.reserveBestAvailable(arena, quantity: 4, section: ["Floor", "Lower", "Upper"][index % 3], customer: "Fan \(index)", CommandContext(actor: "buyer-\(index + 10)"))
            if let id = held.reservationID { _ = try await box.execute(.requestPayment(id, method: .card), CommandContext(actor: "buyer-\(index + 10)")) }
        }
        _ = try await box.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1"), SeatID("Stalls-A-20")]), CommandContext(actor: "ana"))
        _ = try await box.execute(.rejectShow(ShowID("harbour-comedy-sat"), reason: "No licence for the date"), CommandContext(actor: "ana"))
        clock.advance(by: 30)
        await runtime.settle()
        var state = AppState(now: clock.now(), timeZone: TimeZone(identifier: "UTC") ?? .current, speed: 4, operatorName: "ana")
        _ = Reducer.reduce(into: &state, .modelsUpdated(runtime.read.snapshot(), head: (try? runtime.store.headPosition()) ?? 0, lag: 0, failures: []))
        return World(runtime: runtime, clock: clock, state: state)
    }

    static func theme(_ name: String) throws -> Theme {
        try ConsoleTheme.load(name, folder: repository.appendingPathComponent("Themes"))
    }
}

/// A screen as text plus a style layer: every run of cells with one role, and the look the
/// theme gives that role, so a layout, role or colour regression all change the snapshot.
enum ScreenText {
    static func render(_ buffer: Buffer, theme: Theme) -> String {
        // Each line ends in "|" so trailing spaces survive editors and diffs.
        var out = buffer.lines.map { $0 + "|" }.joined(separator: "\n") + "\n--- styles (row: columns role look)\n"
        let width = buffer.area.width
        for row in 0..<buffer.area.height {
            var runs: [String] = []
            var start = 0
            for column in 1...width {
                let role = buffer[start, row].role
                if column < width, buffer[column, row].role == role { continue }
                if role != .text { runs.append("\(start)-\(column - 1) \(role.name) \(look(theme.style(for: role)))") }
                start = column
            }
            if !runs.isEmpty { out += "\(row): " + runs.joined(separator: "; ") + "\n" }
        }
        return out
    }

    static func look(_ style: TextStyle) -> String {
        func color(_ color: Color) -> String {
            switch color {
            case .default: "-"
            case .indexed(let index): String(index)
            case .rgb(let r, let g, let b): "#\(String(r, radix: 16))\(String(g, radix: 16))\(String(b, radix: 16))"
            }
        }
        var flags = ""
        if style.bold { flags += "b" }
        if style.dim { flags += "d" }
        if style.underline { flags += "u" }
        if style.reverse { flags += "r" }
        return "[\(color(style.foreground))/\(color(style.background))\(flags.isEmpty ? "" : " " + flags)]"
    }
}

extension Snapshotting where Value == Buffer, Format == String {
    /// Text and style layer of a screen, rendered with `theme`.
    static func screen(_ theme: Theme) -> Snapshotting {
        Snapshotting<String, String>.lines.pullback { ScreenText.render($0, theme: theme) }
    }
}

func screen(_ state: AppState, width: Int, height: Int) -> Buffer {
    var adjusted = state
    _ = Reducer.reduce(into: &adjusted, .resized(width: width, height: height))
    var buffer = Buffer(area: Rect(width: width, height: height))
    ConsoleView(state: adjusted).render(in: buffer.area, into: &buffer)
    return buffer
}

/// The screens' input as plain values: the fixture store's read-model rows (in the JSON their
/// tables hold, a contract), its head and its clock, in `Fixtures/screens.json`. Screen
/// snapshots are drawn from this file, not from a running engine, so a change to the domain or
/// the saga leaves them alone; they change when a screen or this file does. The file is made
/// from `ConsoleFixture.world()` once: delete it (or set `CONSOLE_FIXTURE_RECORD=1`) and run the
/// snapshot tests to make it again, then review both diffs.
enum ScreenFixture {
    static let file = ConsoleFixture.repository.appendingPathComponent("Tests/ConsoleTests/Fixtures/screens.json")

    struct Stored: Codable {
        var now: Date
        var head: Int64
        var shows: [String: ShowQueue.Show]
        var seats: [String: AvailableSeats.Section]
        var holds: [String: Holds.Hold]
        var sales: [String: SalesAnalytics.ShowSales]
        var feed: [String: EventFeed.Entry]
    }

    /// The state every screen snapshot starts from.
    static func state() async throws -> AppState {
        if ProcessInfo.processInfo.environment["CONSOLE_FIXTURE_RECORD"] == "1" || !FileManager.default.fileExists(atPath: file.path) {
            try await record()
        }
        let stored = try EventCodec.makeDecoder().decode(Stored.self, from: Data(contentsOf: file))
        let models = ReadModels(
            seats: RowSet(stored.seats), holds: RowSet(stored.holds), sales: RowSet(stored.sales), shows: RowSet(stored.shows),
            feed: RowSet(stored.feed)
        )
        var state = AppState(now: stored.now, timeZone: TimeZone(identifier: "UTC") ?? .current, speed: 4, operatorName: "ana")
        _ = Reducer.reduce(into: &state, .modelsUpdated(models, head: stored.head, lag: 0, failures: []))
        return state
    }

    private static func record() async throws {
        let world = try await ConsoleFixture.world()
        let models = world.runtime.read.snapshot()
        let stored = Stored(
            now: world.state.now, head: world.state.head, shows: Dictionary(uniqueKeysWithValues: Array(models.shows.rows)),
            seats: Dictionary(uniqueKeysWithValues: Array(models.seats.rows)), holds: Dictionary(uniqueKeysWithValues: Array(models.holds.rows)),
            sales: Dictionary(uniqueKeysWithValues: Array(models.sales.rows)), feed: Dictionary(uniqueKeysWithValues: Array(models.feed.rows))
        )
        let encoder = EventCodec.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(stored).write(to: file)
    }
}
