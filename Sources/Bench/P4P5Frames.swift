import BoxOffice
import CPty
import Console
import CursesTerminal
import EventStore
import Foundation
import Synchronization
import TerminalUI
import Ticketing

/// A console state on the arena during a rush: demo shows, rush buyers for a while, the
/// deterministic driver (so every run draws the same screen).
enum RushScene {
    static func state(folder: URL, catalog: DemoCatalog, seconds: TimeInterval) async throws -> AppState {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let scenario = try catalog.scenario("rush")
        let runtime = Runtime(
            store: try SQLiteEventStore(path: folder.appendingPathComponent("p4.sqlite").path), clock: clock, ids: SeededIdentifiers(seed: 9),
            gateway: SimulatedGateway(seed: 9, failureRate: scenario.paymentFailureRate), dispatch: .synchronous
        )
        try runtime.start()
        try await DemoSeeder.seed(catalog, into: runtime.box)
        let buyers = BuyerSimulator(runtime: runtime, scenario: scenario, seed: 9)
        buyers.begin()
        await SimulationDriver(runtime: runtime, buyers: buyers, clock: clock).run(until: clock.now().addingTimeInterval(seconds))
        var state = AppState(now: clock.now(), timeZone: TimeZone(identifier: "UTC") ?? .current, speed: 10, operatorName: "bench")
        _ = Reducer.reduce(into: &state, .modelsUpdated(runtime.read.snapshot(), head: (try? runtime.store.headPosition()) ?? 0, lag: 0, failures: []))
        state.show = ShowID("harbour-live-fri")
        runtime.shutdown()
        return state
    }
}

/// P4: composing and diffing one 200×60 frame of the arena dashboard.
enum P4Frames {
    static func run(_ scene: AppState, quick: Bool) -> [BenchRow] {
        var state = scene
        _ = Reducer.reduce(into: &state, .resized(width: 200, height: 60))
        var previous: Buffer?
        var times: [Double] = []
        for frame in 0..<(quick ? 40 : 1_000) {
            // Each frame a second later: countdowns and the clock change, as live.
            state.now = scene.now.addingTimeInterval(Double(frame))
            var changes = 0
            let elapsed = seconds {
                var buffer = Buffer(area: Rect(width: 200, height: 60))
                ConsoleView(state: state).render(in: buffer.area, into: &buffer)
                changes = buffer.diff(previous).count
                previous = buffer
            }
            if frame > 0 && changes >= 0 { times.append(elapsed * 1000) }
        }
        let median = percentile(times, 50), p99 = percentile(times, 99)
        return [
            BenchRow(id: "P4", measure: "compose + diff a 200×60 arena frame (median)", value: median, unit: "ms", baseline: 0.5,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 0.5 ms", note: "\(times.count) frames"),
            BenchRow(id: "P4 p99", measure: "compose + diff a 200×60 arena frame (p99)", value: p99, unit: "ms", baseline: 1.5,
                     baselineLabel: "goal", higherIsBetter: false, goal: "≤ 1.5 ms", note: ""),
        ]
    }
}

/// P5: bytes the real ncurses backend writes to a pseudo-terminal when one seat changes.
enum P5Bytes {
    final class Reader: @unchecked Sendable {
        let bytes = Mutex(0)
        init(_ fd: Int32) {
            Thread { [self] in
                var chunk = [UInt8](repeating: 0, count: 8192)
                while true {
                    let count = read(fd, &chunk, chunk.count)
                    if count <= 0 { return }
                    bytes.withLock { $0 += count }
                }
            }.start()
        }

        /// Waits until nothing new has arrived for 150 ms; returns the total.
        func settled() -> Int {
            var last = -1
            while true {
                usleep(150_000)
                let now = bytes.withLock { $0 }
                if now == last { return now }
                last = now
            }
        }
    }

    static func run(_ scene: AppState, theme: Theme) throws -> BenchRow {
        var controller: Int32 = -1, device: Int32 = -1
        guard mq_openpty(&controller, &device) == 0 else { throw BenchError.sqlite("cannot open a pseudo-terminal") }
        let reader = Reader(controller)
        let terminal = CursesTerminal(device: .descriptors(input: device, output: dup(device), term: "xterm-256color"), theme: theme)
        try terminal.start(onKey: { _ in })
        defer { terminal.stop() }
        var state = scene
        state.following = false
        _ = Reducer.reduce(into: &state, .resized(width: terminal.size.width, height: terminal.size.height))
        // The cursor sits on a free seat in both frames, so that seat is on screen and only it changes.
        let free = freeSeat(state)
        if let free { state.cursor = free.cursor }
        func frame(_ state: AppState) -> Buffer {
            var buffer = Buffer(area: Rect(width: state.width, height: state.height))
            ConsoleView(state: state).render(in: buffer.area, into: &buffer)
            return buffer
        }
        terminal.present(frame(state))
        let before = reader.settled()
        // One free seat changes state (selected): its glyph and the legend's count redraw.
        if let free { state.selection = [free.seat] }
        terminal.present(frame(state))
        let after = reader.settled()
        return BenchRow(id: "P5", measure: "bytes to a pty when one seat changes", value: Double(after - before), unit: "B", baseline: 32,
                        baselineLabel: "goal", higherIsBetter: false, goal: "≤ 32 B", note: "\(terminal.size.width)×\(terminal.size.height) xterm-256color")
    }

    static func freeSeat(_ state: AppState) -> (seat: SeatID, cursor: AppState.SeatCursor)? {
        for (s, section) in state.sections.enumerated() {
            for (r, row) in section.rows.enumerated() {
                for number in 1...row.seats where section.state(row: r, number: number) == .available {
                    return (SeatID(section: section.name, row: row.label, number: number), AppState.SeatCursor(section: s, row: r, seat: number - 1))
                }
            }
        }
        return nil
    }
}
