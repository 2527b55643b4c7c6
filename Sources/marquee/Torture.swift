import ArgumentParser
import BoxOffice
import EventStore
import Foundation
import Reliability
import Ticketing

extension Marquee {
    struct Torture: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the reliability promises at full counts: racing processes, kill -9 at random instants.",
            discussion: "Each run builds a new store, checks the log and read models, prints what it found, and exits 1 on any violation.",
            subcommands: [Race.self, Crash.self, RaceWorker.self, CrashWorker.self]
        )
    }
}

/// The path of this executable, for starting workers.
private func marqueeExecutable() -> String {
    Bundle.main.executablePath ?? CommandLine.arguments[0]
}

/// A new store at `db` (a file, or an empty PostgreSQL database), or exit 2 (thrown) when a
/// store is already there.
private func newStore(_ db: String) throws -> any ReadModelStore {
    if let problem = StoreLocation.problem(db) { throw failure(problem) }
    guard !StoreLocation.exists(db) else {
        let remedy = StoreLocation.isServer(db) ? "name an empty database (createdb)" : "choose a new path or remove that file"
        throw failure("\(StoreLocation.shown(db)) already holds a store; torture builds a new one: \(remedy)")
    }
    do { return try StoreLocation.open(db) } catch { throw failure(error) }
}

/// The store a worker or a check opens: there already.
private func existingStore(_ db: String) throws -> any ReadModelStore {
    do { return try StoreLocation.open(db, create: false) } catch { throw failure(error) }
}

private func report(_ violations: [String], _ label: String) -> Bool {
    if violations.isEmpty {
        Output.say("  ✓ \(label)")
        return true
    }
    Output.say("  ✗ \(label): \(violations.count) violation(s)")
    for line in violations.prefix(10) { Output.say("      \(line)") }
    return false
}

/// Brings every subscriber to the head (the saga too: overdue holds expire), then stops.
private func catchUp(_ store: any ReadModelStore, speed: Double?) throws {
    let clock = try StoreClock.attach(store, speed: speed)
    let runtime = Runtime(store: store, clock: clock.clock, speed: clock.speed)
    try runtime.start()
    runtime.bus.drain(timeout: 120)
    Thread.sleep(forTimeInterval: 0.5)
    runtime.box.waitUntilIdle()
    runtime.shutdown()
}

extension Marquee.Torture {
    struct Race: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "R1: processes racing for the seats of one show; the log must show no seat held or sold twice.",
            discussion: """
                --db names a new SQLite file or an empty PostgreSQL database. With --via, the workers start through \
                that command, --processes of them per --via: Scripts/multi-host-race uses it to run them in other network namespaces.
                Example (the published figure): marquee torture race --db /tmp/r1.sqlite --processes 8 --attempts 2000 --seats 500
                """
        )

        @Option(help: "Where to build the new store.") var db: String
        @Option(help: "Processes at once.") var processes = 8
        @Option(help: "Reservation attempts per process.") var attempts = 2_000
        @Option(help: "Seats in the show they fight over.") var seats = 500
        @Option(help: ArgumentHelp(
            "Start workers through this command, split at spaces (e.g. \"ip netns exec box-a\"): --processes workers for each --via. Repeat it for several hosts.",
            valueName: "command"
        )) var via: [String] = []

        func validate() throws {
            guard (1...64).contains(processes) else { throw ValidationError("--processes takes 1 to 64") }
            guard via.allSatisfy({ !$0.split(separator: " ").isEmpty }) else { throw ValidationError("--via takes a command, e.g. \"ip netns exec box-a\"") }
            guard (1...1_000_000).contains(attempts) else { throw ValidationError("--attempts takes 1 to 1000000") }
            guard (4...10_000).contains(seats) else { throw ValidationError("--seats takes 4 to 10000") }
        }

        func run() async throws {
            let store = try newStore(db)
            let started = Date()
            do {
                let box = BoxOffice(store: store)
                try await TortureWorkers.prepareRace(box, seats: seats)
                box.close()
            } catch {
                throw failure("cannot create the race show: \(error)")
            }
            let hosts = via.isEmpty ? [""] : via
            let across = via.isEmpty ? "" : " on each of \(hosts.count) hosts"
            Output.say("R1 race: \(processes) processes\(across) × \(attempts) attempts on one \(seats)-seat show (\(StoreLocation.shown(db)))")
            let workers = try hosts.enumerated().flatMap { host, launcher in
                try (0..<processes).map { index in
                    let seed = host * processes + index + 1
                    let arguments = ["torture", "race-worker", "--db", db, "--attempts", String(attempts), "--seats", String(seats), "--seed", String(seed)]
                    return try Worker(arguments, via: launcher.split(separator: " ").map(String.init))
                }
            }
            var total = TortureWorkers.RaceSummary()
            var broken: [String] = []
            for (index, worker) in workers.enumerated() {
                let (status, output) = worker.wait()
                guard status == 0, let summary = try? JSONDecoder().decode(TortureWorkers.RaceSummary.self, from: Data(output.utf8)) else {
                    broken.append("worker \(index + 1) exited \(status): \(output.prefix(300))")
                    continue
                }
                total.attempts += summary.attempts
                total.held += summary.held
                total.refused += summary.refused
                total.conflicts += summary.conflicts
                total.busy += summary.busy
                total.otherFailures += summary.otherFailures
                total.paid += summary.paid
                total.cancelled += summary.cancelled
            }
            let elapsed = Date().timeIntervalSince(started)
            Output.say("  \(total.attempts) attempts in \(String(format: "%.1f", elapsed)) s: \(total.held) held, \(total.refused) refused (taken or sold out), "
                + "\(total.conflicts) gave up after conflicts, \(total.busy) store busy, \(total.otherFailures) other failures; \(total.paid) paid, \(total.cancelled) cancelled")
            var ok = report(broken, "every worker finished")
            // While seats remain, an attempt is held or refused for a domain reason, never turned
            // away because another process wrote first or held the lock too long.
            ok = report(total.conflicts + total.busy == 0 ? [] : ["\(total.conflicts) gave up after conflicts, \(total.busy) store busy"],
                        "every attempt held or refused for a domain reason") && ok
            do {
                try catchUp(store, speed: nil)
                let events = try store.headPosition()
                Output.say("  log: \(events) events")
                ok = report(try LogAudit.doubleBooking(in: store), "no seat held or sold by two reservations; held + sold ≤ \(seats) at every position") && ok
                ok = report(try LogAudit.duplicates(in: store), "no step recorded twice") && ok
                ok = report(try LogAudit.readModels(in: store), "read models equal a rebuild") && ok
            } catch {
                throw failure("cannot check the store: \(error)")
            }
            if !ok { throw ExitCode(1) }
        }
    }

    struct Crash: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "R2: kill -9 a busy box office at random instants, restart it, and check nothing was lost or doubled.",
            discussion: """
                Each round starts a worker (demo shows, sixteen buyers with command ids, the saga on a ×60 clock so holds \
                expire every few seconds) and kills it after a random 0–3 s: during start-up, appends, projection writes \
                and expiries. After every kill the read models must equal a rebuild at their checkpoints; at the end every \
                acknowledged command must be in the log, nothing recorded twice, no seat double-booked, no subscriber stuck.
                Example (the published figure): marquee torture crash --db /tmp/r2.sqlite --kills 100
                """
        )

        @Option(help: "Where to build the new store.") var db: String
        @Option(help: "How many times to kill the worker.") var kills = 100
        @Option(help: "Seed for the kill instants.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Longest a worker runs before it is killed, in milliseconds.", valueName: "ms")) var maxDelay = 3_000

        func validate() throws {
            guard (1...10_000).contains(kills) else { throw ValidationError("--kills takes 1 to 10000") }
            guard (10...60_000).contains(maxDelay) else { throw ValidationError("--max-delay takes 10 to 60000 ms") }
        }

        func run() async throws {
            let store = try newStore(db)
            do { _ = try StoreClock.attach(store, speed: 60) } catch { throw failure(error) }
            // The workers seed the demo shows: say now, not in every worker, if they cannot.
            guard DemoCatalog.locate() != nil else { throw failure(DemoError.missingFolder) }
            let acknowledgements = Self.acknowledgementsFile(db)
            try? FileManager.default.removeItem(atPath: acknowledgements)
            Output.say("R2 crash: \(kills) kills -9 at random instants up to \(maxDelay) ms (\(StoreLocation.shown(db)))")
            var random = SplitMix64(seed: seed)
            var ok = true
            var killedBeforeFirstAck = 0
            var acknowledgedBefore = 0
            for round in 1...kills {
                // A fifth of the kills land in the first 300 ms (start-up, catching up, re-arming timers).
                let delay = random.next() % 5 == 0 ? Int(random.next() % 300) : Int(random.next() % UInt64(maxDelay))
                let worker = try Worker(["torture", "crash-worker", "--db", db, "--acks", acknowledgements, "--run", String(round)], quiet: true)
                try await Task.sleep(for: .milliseconds(delay))
                worker.kill()
                _ = worker.wait()
                let acknowledged = Self.acknowledged(acknowledgements).count
                if acknowledged == acknowledgedBefore { killedBeforeFirstAck += 1 }
                acknowledgedBefore = acknowledged
                do {
                    let reopened = try StoreLocation.open(db, create: false)
                    let found = try LogAudit.readModels(in: reopened)
                    if !found.isEmpty { ok = report(found.map { "after kill \(round) at \(delay) ms: \($0)" }, "read models equal a rebuild") && ok }
                } catch {
                    ok = report(["after kill \(round): \(error)"], "the store opens after a kill") && ok
                }
                if round % 10 == 0 || round == kills {
                    Output.say("  \(round)/\(kills) kills, \(acknowledged) commands acknowledged, head #\((try? store.headPosition()) ?? 0)")
                }
            }
            do {
                try catchUp(store, speed: nil)
                let acknowledged = Self.acknowledged(acknowledgements)
                Output.say("  \(kills) kills (\(killedBeforeFirstAck) before the round's first acknowledgement); \(acknowledged.count) commands acknowledged; log: \(try store.headPosition()) events")
                ok = report(try LogAudit.missing(acknowledged: acknowledged, in: store), "every acknowledged command is in the log") && ok
                ok = report(try LogAudit.duplicates(in: store), "no event duplicated (no step recorded twice)") && ok
                ok = report(try LogAudit.doubleBooking(in: store), "no seat held or sold twice") && ok
                ok = report(try LogAudit.earlyExpiries(in: store), "no hold expired early") && ok
                ok = report(try LogAudit.readModels(in: store), "every read model and the saga ledger equal a full rebuild") && ok
                ok = report(try LogAudit.stuckSubscribers(in: store), "no subscriber stuck: all at the head, no open failures") && ok
            } catch {
                throw failure("cannot check the store: \(error)")
            }
            if !ok { throw ExitCode(1) }
        }

        /// Where workers write the command ids they saw committed: beside a store file, or in the
        /// temporary folder for a database on a server.
        static func acknowledgementsFile(_ db: String) -> String {
            guard StoreLocation.isServer(db) else { return db + ".acks" }
            return NSTemporaryDirectory() + "/marquee-torture-crash-\(getpid()).acks"
        }

        static func acknowledged(_ path: String) -> [String] {
            guard let data = FileManager.default.contents(atPath: path) else { return [] }
            // A line without its newline was cut by the kill mid-write: not acknowledged.
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
                .dropLast(data.last == UInt8(ascii: "\n") ? 0 : 1).map(String.init)
        }
    }

    struct RaceWorker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "race-worker", abstract: "One racing process (started by torture race).", shouldDisplay: false)

        @Option var db: String
        @Option var attempts: Int
        @Option var seats: Int
        @Option var seed: UInt64

        func run() async throws {
            let store = try existingStore(db)
            var options = BoxOffice.Options()
            options.holdDuration = 1
            let runtime = Runtime(store: store, clock: SystemClock(), gateway: SimulatedGateway(seed: seed, failureRate: 0.1, latency: 0...0.05), options: options)
            do { try runtime.start() } catch { throw failure("cannot start: \(error)") }
            let summary = await TortureWorkers.race(runtime: runtime, attempts: attempts, seats: seats, seed: seed)
            runtime.shutdown()
            let encoder = JSONEncoder()
            Output.exact(String(decoding: try encoder.encode(summary), as: UTF8.self))
        }
    }

    struct CrashWorker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "crash-worker", abstract: "One busy box office to be killed (started by torture crash).", shouldDisplay: false)

        @Option var db: String
        @Option var acks: String
        @Option var run: Int

        func run() async throws {
            guard let catalog = DemoCatalog.locate() else { throw failure(DemoError.missingFolder) }
            let store = try existingStore(db)
            let clock: StoreClock
            do { clock = try StoreClock.attach(store, speed: nil) } catch { throw failure(error) }
            let runtime = Runtime(store: store, clock: clock.clock, speed: clock.speed, gateway: SimulatedGateway(seed: UInt64(run), failureRate: 0.1, latency: 0.5...3))
            do {
                try runtime.start()
                try await DemoSeeder.seed(catalog, into: runtime.box)
                // A fresh hall each round, so buyers never run out of seats however many rounds run.
                try await TortureWorkers.openShow(ShowID("crash-hall-\(run)"), venue: TortureWorkers.hall(seats: 500), runtime.box)
                try await TortureWorkers.crash(runtime: runtime, run: run, acknowledgements: acks)
            } catch {
                throw failure("\(error)")
            }
            runtime.shutdown()
        }
    }
}

/// A worker process: started at once, its standard output collected.
private final class Worker: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private var data = Data()
    private let done = DispatchGroup()

    /// `via` is a command the worker is started through (its first word looked up on PATH), or empty.
    init(_ arguments: [String], via: [String] = [], quiet: Bool = false) throws {
        if via.isEmpty {
            process.executableURL = URL(fileURLWithPath: marqueeExecutable())
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = via + [marqueeExecutable()] + arguments
        }
        process.standardInput = FileHandle.nullDevice
        process.standardError = quiet ? FileHandle.nullDevice : FileHandle.standardError
        process.standardOutput = quiet ? FileHandle.nullDevice : output
        try process.run()
        if !quiet {
            done.enter()
            DispatchQueue.global().async { [self] in
                data = output.fileHandleForReading.readDataToEndOfFile()
                done.leave()
            }
        }
    }

    func kill() { Foundation.kill(process.processIdentifier, SIGKILL) }

    func wait() -> (status: Int32, output: String) {
        process.waitUntilExit()
        done.wait()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
