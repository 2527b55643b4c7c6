import BoxOffice
import EventStore
import Foundation
import Ticketing

/// P1 hot: eight box offices (separate processes, each with its writer, bus and saga and 16
/// submitters) rush one 2,000-seat show until it sells out, paying for or cancelling what they
/// hold, then move to the next fresh show, until the commands are spent. Measures commands/s,
/// the acknowledgement time of every command, and commands refused for anything but a
/// domain reason (store busy, gave up, failed), which must be none.
public enum P1Hot {
    static let processes = 8
    static let submitters = 16

    /// What one worker process did, printed as one JSON line.
    public struct WorkerReport: Codable, Sendable {
        public var commands = 0
        public var domainRefusals = 0
        public var nonDomain = 0
        /// A few non-domain refusals, as the operator would read them.
        public var nonDomainSamples: [String] = []
        public var acknowledgementMs: [Double] = []
        public var startedAt = 0.0
        public var endedAt = 0.0
        public var lastShow = 0
    }

    static func showID(_ index: Int) -> ShowID { ShowID("hot-\(index)") }

    /// The parent on SQLite: a new store file in `folder`.
    static func run(folder: URL, quick: Bool, catalog: DemoCatalog, p1: Double?) async throws -> BenchRow {
        let path = folder.appendingPathComponent("p1-hot.sqlite").path
        return try await run(store: try SQLiteEventStore(path: path), db: path, quick: quick, catalog: catalog, p1: p1)
    }

    /// The parent: prepares the shows in `store` (which `db` names, for the workers, which also
    /// get `environment`), runs the workers side by side, and makes the row.
    static func run(
        store: any EventStore, db: String, environment: [String: String] = [:], quick: Bool, catalog: DemoCatalog, p1: Double?
    ) async throws -> BenchRow {
        let total = quick ? 2_000 : 20_000
        let arena = try catalog.venue("arena")
        // Each show takes at least ~800 reservations before it sells out: enough for every command.
        let shows = total / 500 + 2
        do {
            let box = BoxOffice(store: store, clock: SystemClock())
            let context = CommandContext(actor: "bench")
            for index in 0..<shows {
                _ = try await box.execute(.createShow(showID(index), name: "Hot \(index)", venue: arena, startsAt: Date().addingTimeInterval(86_400)), context)
                _ = try await box.execute(.submitShow(showID(index)), context)
                _ = try await box.execute(.approveShow(showID(index)), CommandContext(actor: "bench-approver"))
            }
            box.close()
        }
        guard let executable = Bundle.main.executablePath else { throw BenchError.probe("cannot find the marquee executable") }
        let workers = try (0..<processes).map { index in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["bench", "--rush-worker", "--db", db, "--rush-commands", String(total / processes), "--rush-seed", String(index + 1)]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            return (process, output)
        }
        var reports: [WorkerReport] = []
        for (process, output) in workers {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let report = try? JSONDecoder().decode(WorkerReport.self, from: data) else {
                throw BenchError.probe("a P1 hot worker failed (exit \(process.terminationStatus)): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            reports.append(report)
        }
        let commands = reports.reduce(0) { $0 + $1.commands }
        let elapsed = (reports.map(\.endedAt).max() ?? 0) - (reports.map(\.startedAt).min() ?? 0)
        let latencies = reports.flatMap(\.acknowledgementMs)
        let p99 = percentile(latencies, 99)
        let nonDomain = reports.reduce(0) { $0 + $1.nonDomain }
        let refused = reports.reduce(0) { $0 + $1.domainRefusals }
        let samples = Set(reports.flatMap(\.nonDomainSamples)).sorted().prefix(2)
        var row = BenchRow(
            id: "P1 hot", measure: "commands/s, 8 box offices × 16 submitters rushing one show", value: Double(commands) / max(elapsed, 0.001),
            unit: "cmd/s", baseline: p1, baselineLabel: "P1 in this run", higherIsBetter: true, goal: "≥ 0.5 × P1, 0 non-domain, p99 ≤ 50 ms",
            note: String(format: "p99 ack %.1f ms, %d non-domain refusals; median %.1f ms, %d commands in %.2f s, %d refused for a domain reason, %d shows",
                         p99, nonDomain, percentile(latencies, 50), commands, elapsed, refused, (reports.map(\.lastShow).max() ?? 0) + 1)
                + (samples.isEmpty ? "" : "; e.g. \(samples.joined(separator: " | "))"),
            ratioGoal: 0.5
        )
        row.otherGoalsMet = nonDomain == 0 && p99 <= 50
        return row
    }

    /// The worker: a whole box office on the store, its submitters rushing the current show.
    public static func worker(store: any ReadModelStore, commands: Int, seed: UInt64) async throws -> WorkerReport {
        let runtime = Runtime(store: store, clock: SystemClock(), gateway: SimulatedGateway(seed: seed, failureRate: 0.05, latency: 0...0))
        try runtime.start()
        let box = runtime.box
        let state = Shared((left: commands, show: 0, report: WorkerReport()))
        state.withLock { $0.report.startedAt = Date().timeIntervalSince1970 }

        /// Takes one command from the worker's budget; false when it is spent.
        @Sendable func claim() -> Bool {
            state.withLock { state in
                guard state.left > 0 else { return false }
                state.left -= 1
                return true
            }
        }
        /// Runs one command, timing its acknowledgement and sorting its outcome.
        @Sendable func timed(_ run: () async throws(BoxOfficeError) -> CommandResult) async -> Result<CommandResult, BoxOfficeError> {
            let started = DispatchTime.now().uptimeNanoseconds
            let result: Result<CommandResult, BoxOfficeError>
            do throws(BoxOfficeError) { result = .success(try await run()) } catch { result = .failure(error) }
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            state.withLock { state in
                state.report.commands += 1
                state.report.acknowledgementMs.append(milliseconds)
                if case .failure(let error) = result {
                    if error.isRefusal {
                        state.report.domainRefusals += 1
                    } else {
                        state.report.nonDomain += 1
                        if state.report.nonDomainSamples.count < 3 { state.report.nonDomainSamples.append(error.description) }
                    }
                }
            }
            return result
        }

        await withTaskGroup(of: Void.self) { group in
            for submitter in 0..<submitters {
                group.addTask {
                    var random = SplitMix64(seed: seed &* 1_000 &+ UInt64(submitter))
                    let context = CommandContext(actor: "rush-\(seed)-\(submitter)")
                    while claim() {
                        let show = state.withLock { $0.show }
                        let quantity = 1 + Int(random.next() % 4)
                        let held = await timed { () throws(BoxOfficeError) in
                            try await box.reserveBestAvailable(showID(show), quantity: quantity, customer: "Rush \(seed)", context)
                        }
                        switch held {
                        case .success(let result):
                            guard let reservation = result.reservationID, claim() else { continue }
                            let pay = random.next() % 10 < 7
                            _ = await timed { () throws(BoxOfficeError) in
                                try await box.execute(pay ? .requestPayment(reservation, method: .card) : .cancelReservation(reservation), context)
                            }
                        case .failure(.refused(.insufficientSeats(_, let available))) where available == 0:
                            // Sold out (or every seat held): on to the next fresh show.
                            state.withLock { state in
                                if state.show == show { state.show += 1 }
                                state.report.lastShow = state.show
                            }
                        case .failure:
                            continue
                        }
                    }
                }
            }
        }
        state.withLock { $0.report.endedAt = Date().timeIntervalSince1970 }
        runtime.shutdown()
        return state.withLock { $0.report }
    }
}
