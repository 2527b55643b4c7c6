import ArgumentParser
import BoxOffice
import EventStore
import Foundation

extension Marquee {
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run simulated buyers headless for a while, then print a summary.",
            discussion: """
                Seeds the demo shows if the store has none. Several simulators may run on one store at once.
                Stops after --duration wall-clock seconds (or on Ctrl-C), lets every projection catch up, and prints
                one line: buyers, commands, refusals, events and rate.
                """
        )

        @OptionGroup var store: StoreOptions
        @Option(help: "Seed for the buyers' choices; one seed, one behaviour.") var seed: UInt64 = 1
        @Option(help: "Simulated seconds per real second (1–60); fixed when the store is created.") var speed: Double?
        @Option(help: ArgumentHelp("A scenario name from demo/scenarios, or a path to one.", valueName: "name|path")) var scenario = "steady"
        @Option(help: "Wall-clock seconds to run.") var duration: Double = 10
        @Option(help: ArgumentHelp("When seeding, put every demo show in this venue: a name from demo/venues or a path.", valueName: "name|path")) var venue: String?
        @Flag(help: "For a new store: let the operator who submits a show approve it too (a one-person box office). Fixed when the store is created.")
        var allowSelfApproval = false

        func validate() throws {
            guard duration > 0, duration <= 86_400 else { throw ValidationError("--duration must be more than 0 and at most 86400 seconds (one day)") }
            if let speed, !StoreClock.speeds.contains(speed) { throw ValidationError("--speed must be between 1 and 60") }
        }

        func run() async throws {
            let logger = try startLogging(store: store)
            let session = try await Session.open(store, speed: speed, scenario: scenario, seed: seed, venue: venue, selfApproval: allowSelfApproval, insist: allowSelfApproval)
            logRuntime(session.runtime, logger)
            let startHead = (try? session.runtime.store.headPosition()) ?? 0
            let started = Date()
            session.buyers.runContinuously()
            // A store that fails commands (a full disk, files deleted underneath) ends the run at once.
            await waitOrInterrupt(seconds: duration) { session.buyers.summary.storeErrors > 0 }
            await session.buyers.stopAndWait()
            session.runtime.shutdown()
            let elapsed = Date().timeIntervalSince(started)
            let head = (try? session.runtime.store.headPosition()) ?? startHead
            let summary = session.buyers.summary
            let events = head - startHead
            let lag = session.runtime.bus.statuses.map(\.lag).max() ?? 0
            logger.info("simulate: \(summary.buyers) buyers, \(summary.commands) commands, \(summary.refusals) refused, \(events) events")
            Output.say("""
                simulated \(session.scenario.name) at ×\(StoreClockError.format(session.clock.speed)) for \(String(format: "%.1f", elapsed)) s: \
                \(summary.buyers) buyers, \(summary.commands) commands (\(summary.refusals) refused, \(summary.failures) failed\(summary.failures > 0 ? ", \(summary.conflicts) of them conflicts" : "")), \
                \(events) events (\(Int(Double(events) / max(elapsed, 0.001))) events/s); projections at #\(head), lag \(lag)
                """)
            if summary.storeErrors > 0 {
                logger.error("simulate: \(summary.storeErrors) commands failed on store errors: \(summary.lastStoreError ?? "")")
                throw failure("\(summary.storeErrors) of \(summary.commands) commands failed because the store could not take them: \(summary.lastStoreError ?? "store error")")
            }
        }
    }
}

/// A store opened for a long-running process: its clock, the runtime, demo shows and buyers.
struct Session {
    let runtime: Runtime
    let buyers: BuyerSimulator
    let scenario: Scenario
    let clock: StoreClock
    let catalog: DemoCatalog

    /// `selfApproval` is recorded when this creates the store; `insist` refuses an existing store
    /// whose rule differs (the rule is fixed when a store is created).
    static func open(
        _ options: StoreOptions, speed: Double?, scenario name: String, seed: UInt64, venue: String? = nil, feedLimit: Int = 500,
        selfApproval: Bool = false, insist: Bool = false
    ) async throws -> Session {
        guard !options.readOnly else { throw failure("simulated buyers write to the store; drop --read-only") }
        guard let catalog = DemoCatalog.locate() else { throw failure(DemoError.missingFolder) }
        let scenario: Scenario
        do {
            scenario = try catalog.scenario(name)
            if let venue { _ = try catalog.venue(venue) }
        } catch {
            throw failure(error)
        }
        let store: any ReadModelStore
        let clock: StoreClock
        do {
            let existed = StoreLocation.exists(options.db)
            store = try StoreLocation.open(options.db)
            clock = try StoreClock.attach(store, speed: speed)
            try SelfApproval.settle(store, existed: existed, allow: selfApproval, insist: insist, shown: StoreLocation.shown(options.db))
        } catch let error as EventStoreError {
            throw failure(error)
        } catch let error as StoreClockError {
            throw failure(error)
        }
        let runtime = Runtime(
            store: store, clock: clock.clock, speed: clock.speed,
            gateway: SimulatedGateway(seed: seed, failureRate: scenario.paymentFailureRate),
            leavingHistory: true
        )
        do {
            try runtime.start()
            try await DemoSeeder.seed(catalog, into: runtime.box, venueOverride: venue)
        } catch {
            runtime.shutdown()
            throw failure("cannot start: \(error)")
        }
        let buyers = BuyerSimulator(runtime: runtime, scenario: scenario, seed: seed)
        buyers.begin()
        return Session(runtime: runtime, buyers: buyers, scenario: scenario, clock: clock, catalog: catalog)
    }
}

/// Sleeps for `seconds`, returning early on SIGINT or SIGTERM.
func waitOrInterrupt(seconds: Double, until stop: () -> Bool = { false }) async {
    let interrupted = InterruptFlag()
    let signals = SignalWatcher { interrupted.set() }
    defer { signals.cancel() }
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline, !interrupted.isSet, !stop() {
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// A flag a signal source sets and a waiting loop reads.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
