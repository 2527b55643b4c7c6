import BoxOffice
import EventStore
import Foundation
import Synchronization
import Ticketing

/// Live: how long after a command commits in one process another process's read models show
/// it (woken by LISTEN/NOTIFY on PostgreSQL). The other process is a read-only box office like a
/// second operator's console; it stamps the moment its holds read model reaches each position.
/// Both processes run on one host, so their wall clocks are the same clock.
public enum LiveLatency {
    /// What the watching process saw: each position its holds read model reached, and when
    /// (seconds since 1970).
    public struct Sightings: Codable, Sendable {
        public var positions: [Int64] = []
        public var times: [Double] = []
    }

    static let pause: Duration = .milliseconds(20)

    /// The parent: one arena show in `store` (named `db` for the watcher, which gets
    /// `environment`), a watcher process, then a command every 20 ms, each commit stamped.
    static func run(store: any EventStore, db: String, environment: [String: String], quick: Bool, catalog: DemoCatalog) async throws -> BenchRow {
        let commands = quick ? 100 : 1_000
        let box = BoxOffice(store: store, clock: SystemClock())
        defer { box.close() }
        let show = ShowID("live-0")
        let context = CommandContext(actor: "bench")
        _ = try await box.execute(.createShow(show, name: "Live", venue: try catalog.venue("arena"), startsAt: Date().addingTimeInterval(86_400)), context)
        _ = try await box.execute(.submitShow(show), context)
        _ = try await box.execute(.approveShow(show), CommandContext(actor: "bench-approver"))

        let watcher = try Watcher(db: db, environment: environment)
        let commits = Mutex<[(position: Int64, at: Double)]>([])
        box.onCommit { events in
            let at = Date().timeIntervalSince1970
            if let last = events.last { commits.withLock { $0.append((last.position, at)) } }
        }
        var held: [ReservationID] = []
        for index in 0..<commands {
            if index % 2 == 0 || held.isEmpty {
                if let id = try? await box.reserveBestAvailable(show, quantity: 2, customer: "Live \(index)", context).reservationID { held.append(id) }
            } else {
                _ = try? await box.execute(.cancelReservation(held.removeFirst()), context)
            }
            try await Task.sleep(for: pause)
        }
        try await Task.sleep(for: .seconds(1))
        let sightings = try watcher.finish()

        // For each commit, the first moment the watcher's read model had reached its position.
        var latencies: [Double] = []
        var missed = 0
        for commit in commits.withLock({ $0 }) {
            let index = sightings.positions.firstIndex { $0 >= commit.position } ?? sightings.positions.count
            guard index < sightings.positions.count else { missed += 1; continue }
            latencies.append(max(0, sightings.times[index] - commit.at) * 1_000)
        }
        let p99 = percentile(latencies, 99)
        var row = BenchRow(
            id: "Live", measure: "commit in one process → another process's read model, p99", value: p99, unit: "ms",
            baseline: 50, baselineLabel: "goal", higherIsBetter: false, goal: "p99 ≤ 50 ms, none missed",
            note: String(format: "median %.1f ms, max %.1f ms over %d commits, one every %d ms; %d never seen",
                         percentile(latencies, 50), latencies.max() ?? 0, latencies.count, 20, missed)
        )
        row.otherGoalsMet = missed == 0 && !latencies.isEmpty
        return row
    }

    /// The watcher side (`marquee bench --live-watcher`): a read-only box office on the store
    /// that says "ready" once caught up and records its holds read model's progress until its
    /// standard input closes.
    public static func watch(store: any ReadModelStore) throws -> Sightings {
        let runtime = Runtime(store: store, clock: SystemClock(), readOnly: true)
        let sightings = Mutex(Sightings())
        let holds = runtime.read.holds
        runtime.bus.onAdvance {
            let position = holds.snapshot.position
            let at = Date().timeIntervalSince1970
            sightings.withLock { seen in
                guard position > (seen.positions.last ?? 0) else { return }
                seen.positions.append(position)
                seen.times.append(at)
            }
        }
        try runtime.start()
        runtime.bus.drain()
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        _ = FileHandle.standardInput.readDataToEndOfFile()
        runtime.shutdown()
        return sightings.withLock { $0 }
    }

    /// The watching process, seen from the parent.
    final class Watcher {
        let process = Process()
        let input = Pipe(), output = Pipe()

        init(db: String, environment: [String: String]) throws {
            guard let executable = Bundle.main.executablePath else { throw BenchError.probe("cannot find the marquee executable") }
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["bench", "--live-watcher", "--db", db]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for "ready": the watcher is caught up and listening.
            var seen = Data()
            while !seen.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw BenchError.probe("the live watcher exited before it was ready (exit \(exitStatus()))") }
                seen.append(chunk)
            }
        }

        func exitStatus() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }

        /// Closes the watcher's input and reads what it saw.
        func finish() throws -> Sightings {
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            guard exitStatus() == 0, let sightings = try? JSONDecoder().decode(Sightings.self, from: data) else {
                throw BenchError.probe("the live watcher failed (exit \(process.terminationStatus)): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            return sightings
        }
    }
}
