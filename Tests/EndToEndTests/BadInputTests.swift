import BoxOffice
import CProcess
import GRDB
import EventStore
import Foundation
import Testing
import Ticketing

/// The bad-input catalogue: every case gets a clear message naming what was wrong and what to
/// do, the right exit code, and loses nothing (the log is unchanged, files are untouched).
@Suite("Bad input catalogue")
struct BadInputTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Store {
        let folder: String
        let path: String
        let held: ReservationID
        let expired: ReservationID

        var head: Int64 { (try? SQLiteEventStore(path: path, readOnly: true).headPosition()) ?? -1 }
    }

    /// The demo shows, one live hold and one hold that has expired.
    func store() async throws -> Store {
        let folder = NSTemporaryDirectory() + "marquee-bad-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/store.sqlite"
        let clock = ManualClock(Date())
        let runtime = Runtime(store: try SQLiteEventStore(path: path), clock: clock, dispatch: .synchronous)
        try runtime.start()
        try await DemoSeeder.seed(DemoCatalog(folder: Self.repository.appendingPathComponent("demo")), into: runtime.box)
        let ana = CommandContext(actor: "ana")
        let expired = try #require(try await runtime.box.execute(.reserveSeats(ShowID("grand-hall-sat"), seats: [SeatID("Stalls-M-1")], customer: "Old", reservation: ReservationID("R-EXPIRED1"), holdFor: 1), ana).reservationID)
        clock.advance(by: 2)
        await runtime.settle()
        let held = try #require(try await runtime.box.reserveSeats(ShowID("grand-hall-sat"), seats: [SeatID("Stalls-A-1")], customer: "Ben", ana).reservationID)
        await runtime.settle()
        runtime.shutdown()
        // Fold the write-ahead log into the file, as a closed store would be.
        _ = try runtime.store.statistics(since: Date())
        if let sqlite = runtime.store as? SQLiteEventStore {
            try await sqlite.database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try sqlite.database.close()
        }
        return Store(folder: folder, path: path, held: held, expired: expired)
    }

    /// Runs marquee and checks the exit code, that stderr says `message`, and that nothing was appended.
    func refused(_ store: Store, _ arguments: [String], code: Int32, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = store.head
        let out = try BinaryRunner.run(arguments + ["--db", store.path])
        #expect(out.status == code, "\(arguments): \(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stderr.contains(message), "\(arguments): \(out.stderr)", sourceLocation: sourceLocation)
        #expect(store.head == before, "\(arguments) changed the log", sourceLocation: sourceLocation)
    }

    /// One case of the catalogue: the arguments (`{held}` and `{expired}` stand for the store's
    /// reservations), the exit code, and what the message must say.
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let code: Int32
        let message: String
        init(_ arguments: [String], _ code: Int32, _ message: String) {
            self.arguments = arguments
            self.code = code
            self.message = message
        }
        var testDescription: String { arguments.joined(separator: " ").prefix(60) + " → exit \(code)" }
    }

    static let domainRefusals: [Case] = [
        Case(["submit", "no-such-show"], 1, "no show \"no-such-show\""),
        Case(["submit", "no-such-show"], 1, "shows here: blue-note-open-mic"),
        Case(["reserve", "grand-hall-sat", "--seats", "Stalls-Z-1", "--customer", "A"], 1, "unknown seat Stalls-Z-1: rows in Stalls are A, B"),
        Case(["cancel", "R-NOPE0000"], 1, "no reservation \"R-NOPE0000\""),
        Case(["reserve", "grand-hall-sat", "--best", "0", "--customer", "A"], 1, "cannot reserve 0 seats: choose 1 to 20"),
        Case(["reserve", "grand-hall-sat", "--best", "10000", "--customer", "A"], 1, "cannot reserve 10000 seats"),
        Case(["reserve", "grand-hall-sat", "--best=-2", "--customer", "A"], 1, "cannot reserve -2 seats"),
        Case(["reject", "harbour-comedy-sat", "--reason", "   "], 1, "a reason is required"),
        Case(["block", "grand-hall-sat", "--seats", (1...501).map { "Stalls-A-\($0)" }.joined(separator: ",")], 1, "cannot block or unblock 501 seats at once: list 1 to 500"),
        Case(["reject", "harbour-comedy-sat", "--reason", String(repeating: "x", count: 10_240)], 1, "the reason is 10240 characters long: shorten it to at most 500"),
        Case(["reserve", "grand-hall-sat", "--seats", "Stalls-B-1,Stalls-B-1", "--customer", "A"], 1, "seat Stalls-B-1 listed more than once"),
        Case(["reserve", "blue-note-open-mic", "--best", "2", "--customer", "A"], 1, "is not on sale (it is draft): approve it first"),
        Case(["approve", "grand-hall-sat"], 1, "cannot approve show grand-hall-sat: it is approved"),
        Case(["cancel", "{expired}"], 1, "cannot cancel reservation R-EXPIRED1: it is expired"),
        Case(["reserve", "grand-hall-sat", "--seats", "Stalls-A-1", "--customer", "A"], 1, "seat Stalls-A-1 is not available"),
        Case(["extend", "{held}", "--by", "500"], 1, "extend by 1 to 120 seconds"),
    ]

    static let badInvocations: [Case] = [
        Case(["reserve", "grand-hall-sat", "--customer", "A"], 2, "say which seats"),
        Case(["reserve", "grand-hall-sat", "--seats", "Stalls-A-2", "--best", "2", "--customer", "A"], 2, "either --seats or --best"),
        Case(["approve"], 2, "Missing expected argument"),
        Case(["block", "grand-hall-sat", "--seats", "Stalls-A-2", "--read-only"], 2, "--read-only forbids writes"),
        Case(["simulate", "--scenario", "chaos"], 2, "unknown scenario \"chaos\"; available: rush, steady"),
        Case(["simulate", "--speed", "99"], 2, "--speed must be between 1 and 60"),
        Case(["demo", "--venue", "stadium"], 2, "unknown venue \"stadium\"; available: arena, club, theatre"),
        Case(["replay", "--projection", "nope"], 2, "choose one of availableSeats"),
    ]

    /// Each case on its own store: the domain refuses (exit 1) or the invocation is bad (exit
    /// 2), the message says what to do, and the log is unchanged.
    @Test(arguments: domainRefusals + badInvocations)
    func isRefusedWithAClearMessageAndChangesNothing(_ c: Case) async throws {
        let s = try await store()
        let arguments = c.arguments.map { $0.replacingOccurrences(of: "{held}", with: s.held.rawValue).replacingOccurrences(of: "{expired}", with: s.expired.rawValue) }
        try refused(s, arguments, code: c.code, c.message)
    }

    @Test func badContentFilesAreExplained() async throws {
        let s = try await store()
        let venue = s.folder + "/venue.json"
        try Data(#"{"id": "v", "name": "V", "currency": "EUR", "tiers": [], "sections": []}"#.utf8).write(to: URL(fileURLWithPath: venue))
        try refused(s, ["demo", "--venue", venue], code: 2, "venue.json is not usable: no price tiers are defined")
        let scenario = s.folder + "/scenario.json"
        try Data(#"{"name": "x"}"#.utf8).write(to: URL(fileURLWithPath: scenario))
        try refused(s, ["simulate", "--scenario", scenario], code: 2, "scenario scenario is not usable: missing key \"description\"")
        let theme = s.folder + "/theme.toml"
        try Data("[slots\n".utf8).write(to: URL(fileURLWithPath: theme))
        try refused(s, ["console", "--theme", theme], code: 2, "theme.toml:1: not valid TOML")
        try Data("[slots]\n\"seat.free\" = { fg = \"#12345\" }\n".utf8).write(to: URL(fileURLWithPath: theme))
        try refused(s, ["console", "--theme", theme], code: 2, "theme.toml:2: slot \"seat.free\": fg \"#12345\" is not a palette name or colour")
        try Data("colour = 1\n".utf8).write(to: URL(fileURLWithPath: theme))
        try refused(s, ["console", "--theme", theme], code: 2, "theme.toml:1: unknown key \"colour\"")
        try refused(s, ["console", "--theme", "neon"], code: 2, "no such theme; available: default, high-contrast, light, mono")
    }

    @Test func damagedForeignAndNewerStoresAreRefusedAndLeftUntouched() async throws {
        let s = try await store()
        func untouched(_ path: String, _ arguments: [String], _ message: String) throws {
            let before = FileManager.default.contents(atPath: path)
            let out = try BinaryRunner.run(arguments + ["--db", path])
            #expect(out.status == 2, "\(out.stderr)")
            #expect(out.stderr.contains(message), "\(out.stderr)")
            #expect(FileManager.default.contents(atPath: path) == before)
        }
        let junk = s.folder + "/junk.sqlite"
        _ = FileManager.default.createFile(atPath: junk, contents: Data(repeating: 0x42, count: 9000))
        try untouched(junk, ["monitor"], "is not a Marquee store; it was left untouched")
        try untouched(junk, ["approve", "x"], "is not a Marquee store")
        let truncated = s.folder + "/truncated.sqlite"
        let whole = try #require(FileManager.default.contents(atPath: s.path))
        _ = FileManager.default.createFile(atPath: truncated, contents: whole.prefix(whole.count / 3))
        let out = try BinaryRunner.run(["events", "--db", truncated])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.contains("is damaged (the file has") && out.stderr.contains("it was left untouched"), "\(out.stderr)")
        let newer = s.folder + "/newer.sqlite"
        try FileManager.default.copyItem(atPath: s.path, toPath: newer)
        let store = try SQLiteEventStore(path: newer)
        try await store.database.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')") }
        try store.database.close()
        try untouched(newer, ["shows"], "written by a newer Marquee (schema v9)")
        let missing = s.folder + "/no/such/folder/x.sqlite"
        let nowhere = try BinaryRunner.run(["simulate", "--db", missing, "--duration", "1"])
        #expect(nowhere.status == 2 && nowhere.stderr.contains("its folder does not exist"))
        #expect(try BinaryRunner.run(["approve", "x", "--db", s.folder + "/absent.sqlite"]).stderr.contains("no store at"))
    }

    @Test func aReadOnlyFileIsReadableButNeverWritten() async throws {
        let s = try await store()
        // Root ignores file modes, so the check runs as nobody, on a copy nobody may read.
        let folder = "/tmp/marquee-ro-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let path = folder + "/ro.sqlite"
        try FileManager.default.copyItem(atPath: s.path, toPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        func asNobody(_ arguments: [String]) -> (Int32, String) {
            let output = folder + "/out-\(UUID().uuidString).txt"
            let argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BinaryRunner.executable] + arguments + ["--db", path]
            var pointers = argv.map { strdup($0) }
            pointers.append(nil)
            defer { pointers.forEach { free($0) } }
            let status = mq_run(pointers, output)
            return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }
        let before = FileManager.default.contents(atPath: path)
        let write = asNobody(["block", "grand-hall-sat", "--seats", "Stalls-B-2"])
        #expect(write.0 == 2, "\(write.1)")
        #expect(write.1.contains("cannot be written") || write.1.contains("read-only"), "\(write.1)")
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func aLockedStoreSaysWhoToWaitFor() async throws {
        let s = try await store()
        // Another process holds a write transaction longer than the busy timeout (5 s).
        let argv = ["python3", "-c", "import sqlite3,time,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); time.sleep(8)", s.path]
        var pointers = argv.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        let holder = mq_start(pointers, nil)
        #expect(holder > 0)
        usleep(700_000)
        let before = s.head
        let out = try BinaryRunner.run(["block", "grand-hall-sat", "--seats", "Stalls-B-3", "--db", s.path])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.contains("store busy: another process held") && out.stderr.contains("find the process holding it"), "\(out.stderr)")
        var status: Int32 = 0
        waitpid(holder, &status, 0)
        #expect(s.head == before)
        #expect(try BinaryRunner.run(["block", "grand-hall-sat", "--seats", "Stalls-B-3", "--db", s.path]).status == 0)
    }
}
