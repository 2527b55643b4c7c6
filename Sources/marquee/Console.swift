import ArgumentParser
import BoxOffice
import Console
import ConsoleClient
import CursesTerminal
import EventStore
import Foundation
import Logging
import TerminalUI
import Ticketing

extension Marquee {
    struct ConsoleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console",
            abstract: "Open the operator console on an existing store; other processes may be writing to it.",
            discussion: "Runs the saga and hold timers too (unless --read-only), so holds expire on time even with no simulator."
        )

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let theme = try loadTheme(store.theme)
            try requireTerminal()
            let events: any ReadModelStore
            let clock: StoreClock
            do {
                events = try StoreLocation.open(store.db, readOnly: store.readOnly, create: false)
                clock = try StoreClock.attach(events, speed: nil, record: !store.readOnly)
            } catch let error as EventStoreError {
                throw failure(error)
            } catch let error as StoreClockError {
                throw failure(error)
            }
            let logger = try startLogging(store: store)
            let runtime = Runtime(store: events, clock: clock.clock, speed: clock.speed, readOnly: store.readOnly, leavingHistory: true)
            logRuntime(runtime, logger)
            do { try runtime.start(startingSaga: false) } catch { throw failure("cannot start: \(error)") }
            logger.info("console attached to \(StoreLocation.shown(store.db)) as \(store.actor)\(store.readOnly ? " (read-only)" : ""), clock ×\(clock.speed)")
            try await runConsole(runtime: runtime, theme: theme, themeName: store.theme, operatorName: store.actor, readOnly: store.readOnly, logger: logger)
            runtime.shutdown()
            logger.info("console closed")
        }
    }
}

/// The `Themes/` folder, found like `demo/`.
func themesFolder() -> URL? { locateResourceFolder("Themes", containing: "default.toml") }

/// Loads a console theme or throws exit 2 naming the problem (before anything else starts).
func loadTheme(_ nameOrPath: String) throws -> Theme {
    guard let folder = themesFolder() else { throw failure("cannot find the Themes/ folder; run marquee from the repository") }
    do { return try ConsoleTheme.load(nameOrPath, folder: folder) } catch { throw failure(error) }
}

/// Runs the console in the real terminal until the operator quits (or SIGINT/SIGTERM, or the
/// terminal goes away); the terminal is restored in every case.
func runConsole(runtime: Runtime, theme: Theme, themeName: String, operatorName: String, readOnly: Bool, logger: Logger) async throws {
    let terminal = CursesTerminal(theme: theme)
    // Every command the process answers is in the log already (`logRuntime`), the operator's too.
    let client = EngineClient(runtime: runtime)
    // `:theme NAME` loads from the same folder as --theme, and a bad file is refused with its reason.
    let themes = themesFolder().map { folder in
        Catalog<Theme>(names: ThemeLoader.available(in: folder)) { name in
            do { return .success(try ConsoleTheme.load(name, folder: folder)) } catch { return .failure(ClientError(Advice.words(error))) }
        }
    }
    // The new-show form's venues: demo/venues by name, or a venue file by path.
    let catalog = DemoCatalog.locate()
    let venues = Catalog<Venue>(names: catalog?.names("venues") ?? []) { name in
        do {
            if let catalog { return .success(try catalog.venue(name)) }
            guard let data = FileManager.default.contents(atPath: name) else { return .failure(ClientError("no venue file at \(name)")) }
            return .success(try DemoCatalog.venue(from: data, name: name))
        } catch {
            return .failure(ClientError(Advice.words(error)))
        }
    }
    let app = ConsoleApp(
        client: client, display: terminal, operatorName: operatorName, readOnly: readOnly, themes: themes, theme: themeName, venues: venues
    )
    do {
        try terminal.start(onKey: { app.send($0) }, onHangup: { app.finish() })
    } catch {
        throw failure(error)
    }
    let signals = SignalWatcher { app.finish() }
    await app.run()
    signals.cancel()
    terminal.stop()
}

