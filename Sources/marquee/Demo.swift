import ArgumentParser
import BoxOffice
import EventStore
import Foundation

extension Marquee {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The main job: the console on a demo store, with simulated buyers at work.",
            discussion: """
                Creates (or reuses) marquee-demo.sqlite here, seeds the demo shows, runs buyers in-process and opens the
                console on the busiest show on sale. --speed fixes the store's clock when it is created (default ×10);
                --fresh starts a new store.
                """
        )

        @OptionGroup var store: StoreOptions
        @Flag(help: "Start a new demo store (the old one is deleted).") var fresh = false
        @Option(help: "Seed for the buyers.") var seed: UInt64 = 1
        @Option(help: "Simulated seconds per real second (1–60), for a new store.") var speed: Double?
        @Option(help: ArgumentHelp("Buyer scenario: a name from demo/scenarios or a path.", valueName: "name|path")) var scenario = "steady"
        @Option(help: ArgumentHelp("Put every demo show in this venue: a name from demo/venues or a path.", valueName: "name|path")) var venue: String?

        func validate() throws {
            if let speed, !StoreClock.speeds.contains(speed) { throw ValidationError("--speed must be between 1 and 60") }
        }

        func run() async throws {
            let theme = try loadTheme(store.theme)
            // Bad names are reported before anything else, with the ones that exist.
            guard let catalog = DemoCatalog.locate() else { throw failure(DemoError.missingFolder) }
            do {
                _ = try catalog.scenario(scenario)
                if let venue { _ = try catalog.venue(venue) }
            } catch {
                throw failure(error)
            }
            if store.readOnly {
                throw failure("the demo's simulated buyers write to the store, and --read-only forbids writes; to watch a store without writing, use `marquee console --read-only`")
            }
            // A store in use is refused before anything else; it is deleted only once the
            // console can start, so a failed start never costs the old store.
            if fresh { try removeStore(dryRun: true) }
            try requireTerminal()
            if fresh { try removeStore() }
            let exists = StoreLocation.exists(store.db)
            let logger = try startLogging(store: store)
            // One person at one terminal: a demo store lets the submitter approve too.
            let session = try await Session.open(store, speed: speed ?? (exists ? nil : 10), scenario: scenario, seed: seed, venue: venue, selfApproval: true)
            logRuntime(session.runtime, logger)
            logger.info("demo on \(StoreLocation.shown(store.db)): scenario \(session.scenario.name), seed \(seed), clock ×\(session.clock.speed)")
            session.buyers.runContinuously()
            try await runConsole(runtime: session.runtime, theme: theme, themeName: store.theme, operatorName: store.actor, readOnly: false, logger: logger)
            await session.buyers.stopAndWait()
            session.runtime.shutdown()
            let summary = session.buyers.summary
            logger.info("demo closed: \(summary.buyers) buyers, \(summary.commands) commands, \(summary.refusals) refused, \(summary.failures) failed")
        }

        /// Deletes the demo store, but only if it is a Marquee store (never someone's other file)
        /// that no other process has open.
        private func removeStore(dryRun: Bool = false) throws {
            if StoreLocation.isServer(store.db) {
                throw failure("--fresh deletes a demo store file, and \(StoreLocation.shown(store.db)) is a PostgreSQL database: drop and create the database on the server instead (dropdb, createdb), then run the demo without --fresh")
            }
            do {
                try SQLiteEventStore.remove(path: store.db, dryRun: dryRun)
            } catch {
                throw failure("--fresh would delete \(store.db), but: \(error.description)")
            }
        }
    }
}
