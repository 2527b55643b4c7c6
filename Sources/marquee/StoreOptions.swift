import ArgumentParser
import BoxOffice
import EventStore
import Foundation
import Ticketing

/// The options every store command shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a SQLite file, or a PostgreSQL database as postgres://USER@HOST:PORT/DATABASE (password from PGPASSWORD or ~/.pgpass).", valueName: "path|url"))
    var db = "marquee-demo.sqlite"

    @Option(name: .customLong("operator"), help: ArgumentHelp("Who is acting; recorded as the actor of every event. Default: your login name.", valueName: "name"))
    var operatorName: String?

    @Flag(name: .long, help: "Open the store for reading only; every write is refused.")
    var readOnly = false

    @Option(help: ArgumentHelp("Console theme: a name from Themes/ or a path to a .toml file.", valueName: "name|path"))
    var theme = "default"

    @Option(help: ArgumentHelp("Log file for long-running commands. Default: beside the store (marquee-demo.log).", valueName: "path"))
    var log: String?

    @Option(help: ArgumentHelp("How much the log file holds: trace, debug, info (each command and saga step), notice, warning, error or critical.", valueName: "level"))
    var logLevel = LogLevel.info

    /// The longest operator name, as for customers.
    static let maximumOperatorLength = 80

    func validate() throws {
        if let operatorName {
            let trimmed = operatorName.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { throw ValidationError("--operator is empty: give a name of 1–\(Self.maximumOperatorLength) characters, or leave it out to use your login name") }
            if trimmed.count > Self.maximumOperatorLength {
                throw ValidationError("--operator is \(trimmed.count) characters long: give a name of 1–\(Self.maximumOperatorLength) characters")
            }
            if trimmed.unicodeScalars.contains(where: Self.isControl) {
                throw ValidationError("--operator contains control characters (escape, newline, bidi overrides…): give a printable name of 1–\(Self.maximumOperatorLength) characters")
            }
        }
        if let problem = StoreLocation.problem(db) { throw ValidationError("--db: \(problem)") }
        if let log {
            do { try LogPathError.check(log: log, store: db) } catch { throw ValidationError(error.description) }
        }
    }

    /// C0 and C1 controls, DEL, and the bidi controls that can reorder a line on screen.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    var actor: String {
        if let operatorName, !operatorName.isEmpty { return operatorName.trimmingCharacters(in: .whitespaces) }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "operator"
    }

    /// Opens the store for a write command, on the store's clock (so a hold written from a
    /// script expires when a console on a ×10 store expects it), or throws exit 2 saying why it cannot.
    func openForWriting() throws -> BoxOffice {
        guard !readOnly else {
            throw failure("this command writes to the store, and --read-only forbids writes; drop --read-only to run it")
        }
        let (store, clock) = try openWithClock()
        return BoxOffice(store: store, clock: clock.clock)
    }

    /// Opens an existing store for writing, with the clock every process on it shares, or throws exit 2.
    func openWithClock() throws -> (any ReadModelStore, StoreClock) {
        do {
            let store = try StoreLocation.open(db, create: false)
            return (store, try StoreClock.attach(store, speed: nil))
        } catch let error as EventStoreError {
            throw failure(error)
        } catch let error as StoreClockError {
            throw failure(error)
        } catch {
            throw failure(String(describing: error))
        }
    }

    /// Opens an existing store for reading only, or throws exit 2 saying why it cannot.
    func openForReading() throws -> any ReadModelStore {
        do {
            return try StoreLocation.open(db, readOnly: true, create: false)
        } catch {
            throw failure(error)
        }
    }

    /// Opens an existing store for a command that maintains it (replay, failures), or throws exit 2;
    /// `refusal` says what the command would write and how to do without.
    func openExisting(refusal: String = "this command writes read models, and --read-only forbids writes; add --dry-run or --verify, or drop --read-only") throws -> any ReadModelStore {
        guard !readOnly else { throw failure(refusal) }
        do {
            return try StoreLocation.open(db, create: false)
        } catch {
            throw failure(error)
        }
    }

    /// Runs one command and reports it: prints the outcome, or the refusal (exit 1) or failure (exit 2).
    func run(_ command: (BoxOffice, CommandContext) async throws(BoxOfficeError) -> CommandResult, describe: (CommandResult) -> String) async throws {
        let box = try openForWriting()
        defer { box.close() }
        do throws(BoxOfficeError) {
            let result = try await command(box, CommandContext(actor: actor))
            Output.say(result.duplicate ? "already done (positions \(result.positions.map(String.init).joined(separator: ", ")))" : describe(result))
        } catch {
            Output.complain("\(error.description)\(nearby(error, box.store))")
            throw ExitCode(error.isRefusal ? 1 : 2)
        }
    }

    /// For an unknown show, the shows that do exist.
    private func nearby(_ error: BoxOfficeError, _ store: any EventStore) -> String {
        guard case .refused(.showNotFound) = error, let models = store as? any ReadModelStorage,
              let rows = try? models.loadRows(of: "showQueue").rows else { return "" }
        let ids = rows.keys.sorted()
        return ids.isEmpty ? " (this store has no shows yet)" : " (shows here: \(ids.prefix(12).joined(separator: ", ")))"
    }
}

/// Prints `message` to standard error and gives the exit code of a bad invocation or
/// environment (2) for the caller to throw: subcommands end by throwing, never by calling
/// `exit`, so that one can run inside a test process.
func failure(_ message: String) -> ExitCode {
    Output.complain(message)
    return ExitCode(2)
}

/// The same for an error, worded for the command line (`Advice.words`).
func failure(_ error: any Error) -> ExitCode { failure(Advice.words(error)) }

/// Splits `Stalls-A-12,Stalls-A-13` into seat ids.
func parseSeats(_ list: String) -> [SeatID] {
    list.split(separator: ",").map { SeatID($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.rawValue.isEmpty }
}

/// A short local time for messages: `20:19:03`.
func clockTime(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    return formatter.string(from: date)
}

/// `1 row`, `3 rows`.
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
