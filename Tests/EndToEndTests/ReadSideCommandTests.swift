import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

@Suite("Read-side commands", .serialized)
struct ReadSideCommandTests {
    /// A store with one show on sale, one reservation held and one sold, read models caught up.
    func store() async throws -> (path: String, store: SQLiteEventStore) {
        let folder = NSTemporaryDirectory() + "marquee-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/read.sqlite"
        let store = try SQLiteEventStore(path: path)
        let box = BoxOffice(store: store)
        defer { box.close() }
        let ana = CommandContext(actor: "ana", correlationId: "C-E2E")
        let show = ShowID("duo-fri")
        _ = try await box.execute(.createShow(show, name: "Duo Friday", venue: CrossProcessRaceTests.venue, startsAt: Date()), ana)
        _ = try await box.execute(.submitShow(show), ana)
        _ = try await box.execute(.approveShow(show), CommandContext(actor: "bo", correlationId: "C-E2E"))
        let sold = try await box.reserveSeats(show, seats: [SeatID("Stalls-A-1")], customer: "Ben", ana)
        _ = try await box.execute(.confirmReservation(try #require(sold.reservationID)), CommandContext(actor: "saga"))
        _ = try await box.reserveSeats(show, seats: [SeatID("Stalls-A-2")], customer: "Cy", ana)
        let runtime = Runtime(store: store, clock: SystemClock(), dispatch: .synchronous)
        try runtime.start()
        await runtime.settle()
        return (path, store)
    }

    @Test func eventsJSONHasOneObjectPerLineWithTheContractFields() async throws {
        let (path, _) = try await store()
        let out = try BinaryRunner.run(["events", "--db", path, "--json"])
        #expect(out.status == 0)
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 12)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["position", "stream", "version", "type", "recordedAt", "data", "metadata"])
            let metadata = try #require(object["metadata"] as? [String: Any])
            #expect(Set(metadata.keys) == ["correlationId", "causationId", "actor"])
            #expect(metadata["causationId"] is NSNull)
        }
        let held = try BinaryRunner.run(["events", "--db", path, "--json", "--type", "SeatsHeld"])
        #expect(held.stdout.split(separator: "\n").count == 2)
        let stream = try BinaryRunner.run(["events", "--db", path, "--stream", "show-duo-fri", "--from", "2"])
        #expect(stream.stdout.split(separator: "\n").map { $0.split(separator: " ").first ?? "" } == ["#3", "#4"])
        #expect(stream.stdout.contains("ShowSubmitted"))
        // One conversation across streams: the events of one correlation id, and nothing else.
        let conversation = try BinaryRunner.run(["events", "--db", path, "--json", "--correlation", "C-E2E"])
        let correlated = conversation.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(correlated.count == lines.count, "every event, the confirmation too: sent without an id, it goes on its reservation's")
        #expect(Set(correlated.compactMap { $0["stream"] as? String }).count >= 4)
        #expect(correlated.allSatisfy { ($0["metadata"] as? [String: Any])?["correlationId"] as? String == "C-E2E" })
    }

    @Test func ordersAndCustomerPrintTheContractJSONAsOfTheHead() async throws {
        let (path, _) = try await store()
        let out = try BinaryRunner.run(["orders", "--db", path, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let orders = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(orders.count == 2)
        for order in orders {
            #expect(Set(order.keys) == ["reservationId", "showId", "customer", "seats", "amountMinor", "currency", "status", "heldAt", "expiresAt", "paidAt"])
        }
        #expect(orders.map { $0["customer"] as? String } == ["Cy", "Ben"], "newest first")
        #expect(orders.map { $0["status"] as? String } == ["held", "confirmed"])
        #expect(orders.allSatisfy { $0["paidAt"] is NSNull }, "confirmed without a payment (the test confirmed it directly)")
        let ben = try BinaryRunner.run(["orders", "--db", path, "--customer", "Ben"])
        #expect(ben.stdout.contains("confirmed") && !ben.stdout.contains("Cy"))
        let customer = try BinaryRunner.run(["customer", "Ben", "--db", path, "--json"])
        #expect(customer.status == 0, "\(customer.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(customer.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["customer", "purchases", "tickets", "spendMinor", "currency", "shows", "favouriteSection", "orders"])
        #expect(object["purchases"] as? Int == 1 && object["tickets"] as? Int == 1 && object["favouriteSection"] as? String == "Stalls")
        #expect(object["shows"] as? [String] == ["duo-fri"] && (object["orders"] as? [Any])?.count == 1)
        let nobody = try BinaryRunner.run(["customer", "Nobody", "--db", path])
        #expect(nobody.status == 1 && nobody.stderr.contains("no orders in the name Nobody"))
        let bad = try BinaryRunner.run(["orders", "--db", path, "--limit", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--limit takes 1 to 1000000"))
    }

    @Test func sagasListsWhatIsInFlightAndFlagsAPaymentWithNoOutcome() async throws {
        let (path, store) = try await store()
        // A payment asked for two minutes ago, and no process running the saga to settle it.
        let clock = ManualClock(Date().addingTimeInterval(-120))
        let box = BoxOffice(store: store, clock: clock)
        let held = try await box.reserveSeats(ShowID("duo-fri"), seats: [SeatID("Stalls-A-3")], customer: "Di", CommandContext(actor: "ana"))
        let reservation = try #require(held.reservationID)
        _ = try await box.execute(.requestPayment(reservation, method: .card), CommandContext(actor: "ana"))
        box.close()
        let out = try BinaryRunner.run(["sagas", "--db", path, "--stuck", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let lanes = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(lanes.count == 1, "only the payment: Ben's sale is confirmed, Cy's hold is on time")
        #expect(Set(lanes[0].keys) == ["reservationId", "showId", "amountMinor", "currency", "step", "since", "secondsInStep", "expectedSeconds", "stuck", "why", "expiresAt", "correlationId"])
        #expect(lanes[0]["reservationId"] as? String == reservation.rawValue && lanes[0]["stuck"] as? Bool == true)
        #expect((lanes[0]["why"] as? String)?.contains("no outcome") == true && (lanes[0]["secondsInStep"] as? Int ?? 0) >= 119)
        let all = try BinaryRunner.run(["sagas", "--db", path])
        #expect(all.stdout.contains("STUCK: payment requested") && all.stdout.contains("held, awaiting payment"), "\(all.stdout)")
    }

    @Test func monitorShowsLagZeroAfterADrainAndPrintsTheContractJSON() async throws {
        let (path, _) = try await store()
        let out = try BinaryRunner.run(["monitor", "--db", path, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["head"] as? Int == 12)
        #expect(object["events"] as? Int == 12)
        let projections = try #require(object["projections"] as? [[String: Any]])
        #expect(projections.map { $0["name"] as? String } == Runtime.subscriberNames)
        #expect(projections.allSatisfy { $0["lag"] as? Int == 0 && $0["state"] as? String == "running" })
        #expect(Set(projections[0].keys).isSuperset(of: ["name", "checkpoint", "lag", "state"]))
        #expect((object["failures"] as? [Any])?.isEmpty == true)
        let text = try BinaryRunner.run(["monitor", "--db", path, "--projections"])
        #expect(text.stdout.contains("availableSeats"))
        #expect(text.stdout.contains("lag 0"))
    }

    @Test func replayVerifyPassesThenFailsWithExitCode1OnACorruptedRow() async throws {
        let (path, store) = try await store()
        let ok = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.split(separator: "\n").allSatisfy { $0.contains("matches") })
        try await store.database.write { try $0.execute(sql: "UPDATE rm_holds SET value = json_set(value, '$.customer', 'Mallory')") }
        let bad = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("holds: DIFFERS (0 missing, 1 changed, 0 extra"))
        let dry = try BinaryRunner.run(["replay", "--db", path, "--dry-run", "--projection", "holds"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("holds: would insert 0, update 1, delete 0"))
        let fix = try BinaryRunner.run(["replay", "--db", path, "--projection", "holds"])
        #expect(fix.status == 0)
        #expect(fix.stderr.contains("rebuilding: 12/12 events"))
        #expect(try BinaryRunner.run(["replay", "--db", path, "--verify"]).status == 0)
        let unknown = try BinaryRunner.run(["replay", "--db", path, "--projection", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("choose one of availableSeats"))
    }

    @Test func showsAndHoldsPrintTheContractJSONAndPayTakesMoneyAtTheBoxOffice() async throws {
        let (path, _) = try await store()
        let shows = try BinaryRunner.run(["shows", "--db", path, "--json"])
        #expect(shows.status == 0)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(shows.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 1)
        let show = list[0]
        #expect(Set(show.keys) == ["id", "name", "status", "capacity", "available", "held", "sold", "blocked", "revenueMinor", "currency"])
        #expect(show["status"] as? String == "approved")
        let counts = ["available", "held", "sold", "blocked"].compactMap { show[$0] as? Int }
        #expect(counts.reduce(0, +) == show["capacity"] as? Int)
        #expect(show["revenueMinor"] as? Int == 4000)
        let holds = try BinaryRunner.run(["holds", "--db", path, "--json"])
        let held = try #require(try JSONSerialization.jsonObject(with: Data(holds.stdout.utf8)) as? [[String: Any]])
        #expect(held.count == 1)
        #expect(held.first?["customer"] as? String == "Cy")
        let reservation = try #require(held.first?["reservationId"] as? String)
        let paid = try BinaryRunner.run(["pay", reservation, "--db", path])
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(paid.stdout.contains("paid: \(reservation) is confirmed"))
        let again = try BinaryRunner.run(["pay", reservation, "--db", path])
        #expect(again.status == 1)
        #expect(try BinaryRunner.run(["holds", "--db", path]).stdout == "no active holds\n")
    }

    @Test func failuresListsAndRefusesUnknownIDs() async throws {
        let (path, store) = try await store()
        #expect(try BinaryRunner.run(["failures", "--db", path]).stdout == "no open failures\n")
        let record = try store.recordFailure(FailureRecord(
            subscriber: "holds", position: 5, eventType: "SeatsHeld", error: "boom", attempts: 8, firstAttemptAt: Date(), lastAttemptAt: Date()
        ))
        let listed = try BinaryRunner.run(["failures", "list", "--db", path])
        #expect(listed.stdout.contains("[\(record.id)] holds stopped at #5 (SeatsHeld) after 8 attempts: boom"))
        let unknown = try BinaryRunner.run(["failures", "retry", "99", "--db", path])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("open failures: \(record.id)"))
        let skipped = try BinaryRunner.run(["failures", "skip", String(record.id), "--db", path])
        #expect(skipped.status == 0)
        #expect(skipped.stdout.contains("holds skipped #5"))
        #expect(try store.failures(includeResolved: true).first?.resolution == "skipped")
    }

    @Test func anotherProcessesAppendReachesThisProcessesBus() async throws {
        let (path, store) = try await store()
        let read = ReadSide(storage: store)
        let bus = EventBus(store: store, clock: SystemClock(), dispatch: .asynchronous)
        read.register(on: bus)
        try bus.start()
        defer { bus.stop() }
        let out = try BinaryRunner.run(["block", "duo-fri", "--seats", "Stalls-A-4", "--db", path])
        let exited = Date()
        #expect(out.status == 0)
        let deadline = Date().addingTimeInterval(10)
        while read.snapshot().seats.availability(ShowID("duo-fri"), section: "Stalls")?.blocked != 1, Date() < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        let delay = Date().timeIntervalSince(exited)
        #expect(read.snapshot().seats.availability(ShowID("duo-fri"), section: "Stalls")?.blocked == 1)
        print("cross-process delivery: \(Int(delay * 1000)) ms after the writer exited")
    }
}
