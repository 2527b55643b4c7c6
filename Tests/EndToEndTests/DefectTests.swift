import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

/// Regressions for the defects a new operator and a hostile tester found: each case is the
/// reproduction from the report, run against the real binary.
@Suite("Defects found by a hostile tester", .serialized)
struct DefectTests {
    func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "marquee-defect-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A store the simulator has filled for `seconds` at ×60.
    func simulated(_ path: String, seconds: Int = 2, speed: Int = 60) throws {
        let out = try BinaryRunner.run(["simulate", "--db", path, "--scenario", "rush", "--speed", String(speed), "--duration", String(seconds)])
        #expect(out.status == 0, "\(out.stderr)")
    }

    func opens(_ path: String) -> Bool { (try? BinaryRunner.run(["shows", "--db", path]).status) == 0 }

    // 1. `--log` pointed at the store corrupts it.
    @Test func aLogPathThatIsTheStoreOrAnySQLiteFileIsRefused() throws {
        let folder = try folder()
        let path = folder + "/z.sqlite"
        try simulated(path)
        for log in [path, path + "-wal", path + "-shm", folder + "/../" + (folder as NSString).lastPathComponent + "/z.sqlite"] {
            let out = try BinaryRunner.run(["simulate", "--db", path, "--duration", "1", "--log", log])
            #expect(out.status == 2, "\(log): \(out.stderr)")
            #expect(out.stderr.contains("would damage"), "\(log): \(out.stderr)")
        }
        let other = folder + "/other.sqlite"
        try simulated(other, seconds: 1)
        let foreign = try BinaryRunner.run(["simulate", "--db", path, "--duration", "1", "--log", other])
        #expect(foreign.status == 2 && foreign.stderr.contains("is a SQLite database"), "\(foreign.stderr)")
        #expect(opens(path) && opens(other))
    }

    /// Two processes sharing one log append whole lines (O_APPEND), never over each other's.
    @Test func twoProcessesSharingALogNeverCutEachOthersLines() throws {
        let folder = try folder()
        let log = folder + "/shared.log"
        let first = try BinaryRunner.Running(["simulate", "--db", folder + "/a.sqlite", "--scenario", "rush", "--speed", "60", "--duration", "2", "--log", log])
        let second = try BinaryRunner.Running(["simulate", "--db", folder + "/b.sqlite", "--scenario", "rush", "--speed", "60", "--duration", "2", "--log", log])
        #expect(first.wait().status == 0 && second.wait().status == 0)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        // Each process's closing summary is there, whole.
        #expect(lines.filter { $0.contains("] simulate: ") }.count == 2, "\(lines)")
        for line in lines {
            #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (trace|debug|info|notice|warning|error|critical) \[[^\]]+\] .*/) != nil, "cut line: \(line)")
        }
    }

    // 2. `demo --fresh` deletes a store another process is selling on.
    @Test func aStoreOpenInAnotherProcessIsNotDeleted() throws {
        let folder = try folder()
        let path = folder + "/fr.sqlite"
        try simulated(path, seconds: 1)
        let follower = try BinaryRunner.Running(["events", "--db", path, "--follow"])
        defer { follower.process.terminate() }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(throws: EventStoreError.inUse(path: path)) { try SQLiteEventStore.remove(path: path) }
        // Refused before the terminal is even looked at, naming what to do.
        let fresh = try BinaryRunner.run(["demo", "--fresh", "--db", path])
        #expect(fresh.status == 2 && fresh.stderr.contains("is open in another Marquee process") && fresh.stderr.contains("Quit that process first"), "\(fresh.stderr)")
        #expect(FileManager.default.fileExists(atPath: path) && opens(path))
        // Not in use, but no terminal to run on: the old store is kept, not deleted for nothing.
        follower.process.terminate()
        _ = follower.wait()
        let noTerminal = try BinaryRunner.run(["demo", "--fresh", "--db", path])
        #expect(noTerminal.status == 2 && noTerminal.stderr.contains("not a terminal"), "\(noTerminal.stderr)")
        #expect(opens(path))
        try SQLiteEventStore.remove(path: path)
        #expect(!FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: path + "-wal"))
    }

    // 3. A huge tier price crashes and leaves the store unreadable.
    @Test func aStoreWrittenWithAbsurdPricesStillOpensAndRefusesInsteadOfTrapping() async throws {
        let folder = try folder()
        let path = folder + "/price.sqlite"
        let show = ShowID("gold-fri")
        var venue = CrossProcessRaceTests.venue
        venue.tiers[0].priceMinor = 5_000_000_000_000_000_000
        let now = Date()
        // Written as a Marquee from before prices were bounded would have written it.
        var history: [Decided] = [
            Decided(.show(show), .showCreated(ShowCreated(showId: show, name: "Gold", venueId: venue.id, venueName: venue.name, startsAt: now, capacity: venue.capacity, by: "ana", at: now))),
            Decided(.inventory(show), .inventoryInitialized(InventoryInitialized(showId: show, venue: venue, capacity: venue.capacity, by: "ana", at: now))),
            Decided(.show(show), .showSubmitted(ShowSubmitted(showId: show, by: "ana", at: now))),
            Decided(.show(show), .showApproved(ShowApproved(showId: show, by: "ana", at: now))),
        ]
        for (index, seat) in ["Stalls-A-1", "Stalls-A-2"].enumerated() {
            let id = ReservationID("R-GOLD000\(index)")
            let seats = [SeatID(seat)]
            history += [
                Decided(.inventory(show), .seatsHeld(SeatsHeld(showId: show, reservationId: id, seats: seats, expiresAt: now.addingTimeInterval(300), by: "ana", at: now))),
                Decided(.reservation(id), .reservationRequested(ReservationRequested(reservationId: id, showId: show, seats: seats, customer: "Midas", amountMinor: venue.tiers[0].priceMinor, currency: "EUR", by: "ana", at: now))),
                Decided(.reservation(id), .reservationHeld(ReservationHeld(reservationId: id, showId: show, seats: seats, expiresAt: now.addingTimeInterval(300), by: "ana", at: now))),
                Decided(.reservation(id), .reservationConfirmed(ReservationConfirmed(reservationId: id, showId: show, seats: seats, amountMinor: venue.tiers[0].priceMinor, currency: "EUR", by: "saga", at: now))),
                Decided(.inventory(show), .seatsSold(SeatsSold(showId: show, reservationId: id, seats: seats, by: "saga", at: now))),
            ]
        }
        let store = try SQLiteEventStore(path: path)
        let codec = EventCodec()
        for decided in history {
            _ = try store.append(AppendRequest(writes: [StreamWrite(stream: decided.stream.name, expected: .any, events: [
                try codec.encode(decided.event, metadata: EventMetadata(correlationId: "C-GOLD", actor: "ana")),
            ])], recordedAt: now))
        }
        for arguments in [["shows"], ["holds"], ["replay"], ["replay", "--verify"], ["shows", "--json"]] {
            let out = try BinaryRunner.run(arguments + ["--db", path])
            #expect(out.status == 0, "\(arguments): \(out.stderr)")
        }
        let shows = try BinaryRunner.run(["shows", "--json", "--db", path])
        #expect(shows.stdout.contains("\"revenueMinor\":\(Int64.max)"), "\(shows.stdout)")
        let reserve = try BinaryRunner.run(["reserve", "gold-fri", "--seats", "Stalls-A-3,Stalls-A-4", "--customer", "Croesus", "--db", path])
        #expect(reserve.status == 1 && reserve.stderr.contains("too large to record"), "\(reserve.stderr)")
    }

    // 6. Acknowledged events lost when the WAL file is deleted mid-run.
    @Test func deletingTheWriteAheadLogMidRunStopsWithExit2() throws {
        let folder = try folder()
        let path = folder + "/wal.sqlite"
        let running = try BinaryRunner.Running(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "8"])
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: path + "-wal"), Date() < deadline { usleep(50_000) }
        Thread.sleep(forTimeInterval: 1.5)
        try FileManager.default.removeItem(atPath: path + "-wal")
        let out = running.wait()
        #expect(out.status == 2, "\(out.stdout) \(out.stderr)")
        #expect(out.stderr.contains("changed under this process"), "\(out.stderr)")
    }

    // 5. `replay` while another process writes leaves read models wrong.
    @Test func replayingBesideAWriterLeavesExactReadModels() throws {
        let folder = try folder()
        let path = folder + "/race.sqlite"
        try simulated(path, seconds: 1)
        let writer = try BinaryRunner.Running(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "8", "--seed", "9"])
        var replays = 0
        while writer.process.isRunning {
            let out = try BinaryRunner.run(["replay", "--db", path])
            #expect(out.status == 0, "\(out.stderr)")
            replays += 1
        }
        #expect(writer.wait().status == 0)
        #expect(replays >= 3)
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    // 8. Headless write commands use the real clock, not the store's.
    @Test func aScriptedReservationIsRecordedOnTheStoresClock() throws {
        let folder = try folder()
        let path = folder + "/clock.sqlite"
        try simulated(path, seconds: 2, speed: 10)
        let reserve = try BinaryRunner.run(["reserve", "grand-hall-sat", "--best", "2", "--customer", "Xavier", "--db", path])
        #expect(reserve.status == 0, "\(reserve.stderr)")
        let events = try BinaryRunner.run(["events", "--db", path, "--json"]).stdout.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let times = events.compactMap { ($0["recordedAt"] as? String).flatMap(Timestamp.date) }
        #expect(times.count == events.count && !times.isEmpty)
        // On a ×10 store the store's time runs ahead of the wall clock; a real-time write would go back.
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "recordedAt went backwards")
        let held = try #require(events.last { $0["type"] as? String == "ReservationHeld" })
        let data = try #require(held["data"] as? [String: Any])
        let expiresAt = try #require((data["expiresAt"] as? String).flatMap(Timestamp.date))
        let recordedAt = try #require((held["recordedAt"] as? String).flatMap(Timestamp.date))
        #expect(abs(expiresAt.timeIntervalSince(recordedAt) - 300) < 1)
    }

    // 9. Writing to a full or closed stdout traps.
    @Test(arguments: [["events"], ["events", "--json"], ["monitor"], ["monitor", "--json"], ["shows"], ["holds"], ["failures"]])
    func aFullDiskForOutputExits2WithOneLine(_ arguments: [String]) throws {
        let folder = try folder()
        let path = folder + "/out.sqlite"
        try simulated(path, seconds: 1)
        let full = try BinaryRunner.run(arguments + ["--db", path], standardOutput: FileHandle(forWritingAtPath: "/dev/full"))
        #expect(full.status == 2, "\(arguments): \(full.stderr)")
        #expect(full.stderr.hasPrefix("marquee: cannot write the output") && !full.stderr.contains("Fatal error"), "\(full.stderr)")
        #expect(full.stderr.split(separator: "\n").count == 1)
    }

    @Test func aClosedPipeEndsQuietlyWithExit0() throws {
        let folder = try folder()
        let path = folder + "/pipe.sqlite"
        try simulated(path, seconds: 1)
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let out = try BinaryRunner.run(["events", "--db", path], standardOutput: pipe.fileHandleForWriting)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty)
    }

    // 10. Terminal escape injection through CLI output; 11. `--operator` is not checked.
    @Test func storedEscapesNeverReachTheTerminalAndOperatorNamesAreChecked() throws {
        let folder = try folder()
        let path = folder + "/esc.sqlite"
        try simulated(path, seconds: 1)
        let reject = try BinaryRunner.run(["reject", "grand-hall-sun", "--reason", "\u{1B}]0;pwned\u{07}\u{1B}[2J", "--db", path])
        #expect(reject.status == 0, "\(reject.stderr)")
        let human = try BinaryRunner.run(["events", "--db", path, "--type", "ShowRejected"])
        #expect(!human.stdout.contains("\u{1B}") && human.stdout.contains("␛]0;pwned␇"), "\(human.stdout)")
        let json = try BinaryRunner.run(["events", "--db", path, "--type", "ShowRejected", "--json"])
        #expect(json.stdout.contains("\\u001b]0;pwned\\u0007"), "\(json.stdout)")
        let echoed = try BinaryRunner.run(["submit", "no-such-\u{1B}[2J", "--db", path])
        #expect(echoed.status == 1 && !echoed.stderr.contains("\u{1B}"), "\(echoed.stderr)")
        let head = try SQLiteEventStore(path: path, readOnly: true).headPosition()
        for name in [String(repeating: "a", count: 100_000), "ana\u{1B}[31m", "ana\nben", "   "] {
            let out = try BinaryRunner.run(["submit", "blue-note-open-mic", "--operator", name, "--db", path])
            #expect(out.status == 2 && out.stderr.contains("--operator"), "\(out.stderr.prefix(200))")
        }
        #expect(try SQLiteEventStore(path: path, readOnly: true).headPosition() == head)
    }

    // 13. Exit codes.
    @Test func anUnknownEventTypeIsABadInvocationNamingTheRealOnes() throws {
        let folder = try folder()
        let path = folder + "/types.sqlite"
        try simulated(path, seconds: 1)
        let out = try BinaryRunner.run(["events", "--db", path, "--type", "Nope"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("no event type \"Nope\"") && out.stderr.contains("SeatsHeld"), "\(out.stderr)")
    }

    @Test func aSkippedUnreadableEventStaysSkippedInEveryReplay() async throws {
        let folder = try folder()
        let path = folder + "/skip.sqlite"
        try simulated(path, seconds: 1)
        let store = try SQLiteEventStore(path: path)
        _ = try store.append([AppendRequest(writes: [StreamWrite(stream: "show-garbage", expected: .any, events: [
            NewEvent(type: "ShowCreated", schemaVersion: 1, payload: Data("{not json".utf8), metadata: EventMetadata(correlationId: "C", causationId: nil, actor: "tester")),
        ])], recordedAt: Date())])
        // What the bus records when a subscriber gives up on the event (every subscriber reads it).
        let head = try store.headPosition()
        for subscriber in Runtime.subscriberNames {
            _ = try store.recordFailure(FailureRecord(
                subscriber: subscriber, position: head, eventType: "ShowCreated", error: "unreadable payload", attempts: 8,
                firstAttemptAt: Date(), lastAttemptAt: Date()
            ))
        }
        let open = try store.failures(includeResolved: false)
        #expect(!open.isEmpty)
        for failure in open {
            let skip = try BinaryRunner.run(["failures", "skip", String(failure.id), "--db", path])
            #expect(skip.status == 0, "\(skip.stderr)")
        }
        let replay = try BinaryRunner.run(["replay", "--db", path])
        #expect(replay.status == 0, "\(replay.stderr)")
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    // 14. Small ones.
    @Test func theDurationRangeSaysWhatItIs() throws {
        let out = try BinaryRunner.run(["simulate", "--duration", "0", "--db", NSTemporaryDirectory() + "unused-\(UUID().uuidString).sqlite"])
        #expect(out.status == 2 && out.stderr.contains("more than 0 and at most 86400"), "\(out.stderr)")
    }
}
