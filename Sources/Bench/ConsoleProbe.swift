import BoxOffice
import Console
import EventStore
import Foundation
import Synchronization
import TerminalUI
import Ticketing

/// The console's real start-up path into memory instead of a terminal, run in a child process
/// (`marquee bench --probe-console --db PATH`) so that its start-up time and peak memory are its
/// own: open the store, attach its clock, start the runtime (read models, bus, saga), open the
/// console, and time the first frame. Then, optionally, press keys while buyers add about
/// 1,000 events a second, timing each key to its frame.
public enum ConsoleProbe {
    public struct Result: Sendable {
        /// From the probe's start (process start, as near as Swift can tell) to the first frame.
        public var firstFrameMilliseconds: Double
        public var keyToFrameMilliseconds: [Double]
        public var eventsPerSecondDuringKeys: Double
        public var peakResidentKilobytes: Int
    }

    public static func run(path: String, keys: Int, started: UInt64) async throws -> Result {
        let store = try SQLiteEventStore(path: path, create: false)
        let clock = try StoreClock.attach(store, speed: nil)
        let runtime = Runtime(store: store, clock: clock.clock, speed: clock.speed, leavingHistory: true)
        try runtime.start(startingSaga: false)
        let display = MemoryDisplay(width: 200, height: 60)
        let app = ConsoleApp(client: EngineClient(runtime: runtime), display: display, operatorName: "bench", readOnly: false)
        let loop = Task { await app.run() }
        let firstFrame = await display.waitForFrame(after: 0)
        var latencies: [Double] = []
        var rate = 0.0
        if keys > 0 {
            let load = LoadGenerator(runtime: runtime)
            let headBefore = try store.headPosition()
            let loadStart = DispatchTime.now().uptimeNanoseconds
            let loadTask = Task { await load.run(eventsPerSecond: 1_000) }
            try await Task.sleep(for: .milliseconds(300))
            let cycle: [Key] = [.down, .right, .up, .left, .tab, .tab, .tab, .tab]
            for index in 0..<keys {
                let frames = display.frames
                let sent = DispatchTime.now().uptimeNanoseconds
                app.send(cycle[index % cycle.count])
                let shown = await display.waitForFrame(after: frames)
                latencies.append(Double(shown - sent) / 1e6)
                try await Task.sleep(for: .milliseconds(20))
            }
            load.stop()
            await loadTask.value
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
            runtime.box.waitUntilIdle()
            rate = Double(try store.headPosition() - headBefore) / seconds
        }
        app.finish()
        await loop.value
        runtime.shutdown()
        return Result(
            firstFrameMilliseconds: Double(firstFrame - started) / 1e6, keyToFrameMilliseconds: latencies,
            eventsPerSecondDuringKeys: rate, peakResidentKilobytes: peakResidentKilobytes()
        )
    }

    /// VmHWM from /proc/self/status: the most this process has held resident.
    static func peakResidentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}

/// Buyers reserving and cancelling on the store's busiest show at a steady event rate.
final class LoadGenerator: @unchecked Sendable {
    let runtime: Runtime
    private let running = Mutex(true)

    init(runtime: Runtime) { self.runtime = runtime }

    func stop() { running.withLock { $0 = false } }

    /// Each reservation appends about 2 events and its cancellation 2 more.
    func run(eventsPerSecond: Double) async {
        let shows = runtime.read.snapshot().shows.rows.values.filter { $0.status == .approved }.map(\.id)
        guard !shows.isEmpty else { return }
        let context = CommandContext(actor: "bench-load")
        var index = 0
        let interval = 4 / eventsPerSecond
        var next = DispatchTime.now().uptimeNanoseconds
        while running.withLock({ $0 }) {
            index += 1
            let box = runtime.box
            let show = shows[index % shows.count]
            let buyer = index
            Task { @Sendable in
                guard let held = try? await box.reserveBestAvailable(show, quantity: 2, customer: "Load \(buyer)", context),
                      let reservation = held.reservationID else { return }
                _ = try? await box.execute(.cancelReservation(reservation), context)
            }
            next += UInt64(interval * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            if next > now { try? await Task.sleep(for: .nanoseconds(next - now)) }
        }
    }
}
