import BoxOffice
import EventStore
import Foundation
import Ticketing

/// P7: many holds falling due over simulated minutes on an accelerated clock; how late each
/// `ReservationExpired` is recorded against its deadline. And the timer queue's cost per hold
/// at two sizes, to show it grows like log n.
enum P7Expiry {
    static func run(folder: URL, catalog: DemoCatalog, quick: Bool) async throws -> [BenchRow] {
        let count = quick ? 2_000 : 100_000
        let spread: TimeInterval = quick ? 20 : 600
        let speed: Double = quick ? 2 : 10
        let path = folder.appendingPathComponent("p7.sqlite").path
        let store = try SQLiteEventStore(path: path)
        let origin = Date().addingTimeInterval(-86_400)
        var run = try GeneratorRun(store: store, catalog: catalog, seed: 3, start: origin)
        // Five real seconds before the first deadline, for the runtime to start.
        let deadlines = try run.holds(count, lead: 5 * speed, spread: spread)
        _ = try Rebuild.run(storage: store, names: Runtime.subscriberNames, mode: .write)
        _ = try store.setInfoIfAbsent("clock", "\(Timestamp.string(origin)) \(Timestamp.string(Date())) \(speed)")
        let clock = try StoreClock.attach(store, speed: speed)
        let runtime = Runtime(store: store, clock: clock.clock, speed: speed)
        try runtime.start()
        let limit = Date().addingTimeInterval((5 * speed + spread) / speed + 120)
        while (runtime.saga?.outcomes.appended ?? 0) < count, Date() < limit {
            try await Task.sleep(for: .milliseconds(200))
        }
        runtime.shutdown()
        var lateness: [Double] = []
        var early = 0
        var after: Int64 = 0
        let codec = EventCodec()
        while true {
            let batch = try store.readAll(after: after, limit: 10_000)
            guard let last = batch.last else { break }
            after = last.position
            for recorded in batch where recorded.type == "ReservationExpired" {
                guard case .reservationExpired(let expired) = try codec.decode(recorded), let deadline = deadlines[expired.reservationId] else { continue }
                // Wall-clock milliseconds (the contract): simulated lateness divided by the clock's speed.
                let late = recorded.recordedAt.timeIntervalSince(deadline) * 1000 / speed
                if late < 0 { early += 1 }
                lateness.append(late)
            }
        }
        let scheduler = schedulerCost()
        return [
            BenchRow(
                id: "P7", measure: "hold expiry lateness p99, \(count) holds over \(Int(spread)) sim. s (×\(Int(speed)))",
                value: percentile(lateness, 99), unit: "ms", baseline: 100, baselineLabel: "goal", higherIsBetter: false, goal: "≤ 100 ms",
                note: String(format: "%d of %d expired, median %.0f ms, max %.0f ms late, %d early (wall-clock ms)",
                             lateness.count, count, percentile(lateness, 50), lateness.max() ?? 0, early)
            ),
            BenchRow(
                id: "P7 heap", measure: "timer queue cost per hold, 100,000 vs 1,000 queued", value: scheduler.large, unit: "ns", baseline: scheduler.small,
                baselineLabel: "ns at 1,000", higherIsBetter: false, goal: "O(log n): ≤ 2.5 × (O(n) would be ≈ 100)",
                note: "schedule + take, random deadlines", ratioGoal: 2.5
            ),
        ]
    }

    /// Nanoseconds per hold to schedule `n` random deadlines and take them all, at n = 1,000 and 100,000.
    static func schedulerCost() -> (small: Double, large: Double) {
        func cost(_ n: Int) -> Double {
            var random = SplitMix64(seed: 42)
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            let deadlines = (0..<n).map { _ in base.addingTimeInterval(random.unit() * 600) }
            var best = Double.infinity
            for _ in 0..<5 {
                var queue = TimerQueue<Int>()
                let elapsed = seconds {
                    for (index, deadline) in deadlines.enumerated() { queue.schedule(index, at: deadline) }
                    var taken = 0
                    while !queue.isEmpty { taken += queue.takeDue(base.addingTimeInterval(601), limit: 1).count }
                    precondition(taken == n)
                }
                best = min(best, elapsed * 1e9 / Double(n))
            }
            return best
        }
        return (cost(1_000), cost(100_000))
    }
}
