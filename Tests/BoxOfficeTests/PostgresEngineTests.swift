@testable import BoxOffice
import EventStore
import Foundation
import PostgresStore
import Reliability
import TestSupport
import Testing
import Ticketing

/// The engine on PostgreSQL: commands, the bus with every projection, the saga and a rebuild,
/// as on SQLite, against a throwaway server (`PostgresCluster`; skipped without the server
/// binaries, never in CI).
@Suite("Engine on PostgreSQL", .enabled(if: PostgresCluster.runs))
struct PostgresEngineTests {
    static func store() throws -> PostgresEventStore {
        try PostgresEventStore(url: try PostgresCluster.shared.get().database())
    }

    @Test func aPaidHoldIsConfirmedAFailedOneCompensatedAnUnpaidOneExpiredAndTheReadModelsMatchARebuild() async throws {
        let store = try Self.store()
        let s = try SagaHarness(gateway: ScriptedGateway(failures: ["P-" + "FAILPAY1"]), store: store)
        let show = try await s.onSale()
        let paid = try await s.hold(show, ["Stalls-A-1", "Stalls-A-2"])
        try await s.pay(paid)
        let lapsed = try await s.hold(show, ["Stalls-B-1"], "Cy")
        await s.run(for: 3)
        #expect(try s.types(paid) == ["ReservationRequested", "ReservationHeld", "ReservationConfirmed"])
        #expect(s.seatState(show, "Stalls-A-1") == .sold)
        await s.run(for: 900)
        #expect(try s.types(lapsed).last == "ReservationExpired")
        #expect(s.seatState(show, "Stalls-B-1") == .available)
        // Every read model and the saga ledger equal a rebuild from the log; nothing is stuck,
        // nothing is double-booked.
        #expect(try LogAudit.readModels(in: store) == [])
        #expect(try LogAudit.stuckSubscribers(in: store) == [])
        #expect(try LogAudit.doubleBooking(in: store) == [])
        // A write-mode rebuild swaps its shadows in, and the models still verify.
        _ = try Rebuild.run(storage: store, names: Runtime.subscriberNames, mode: .write)
        #expect(try LogAudit.readModels(in: store) == [])
        s.runtime.shutdown()
    }

    @Test func boxOfficesRacingOnOneDatabaseAreAcceptedOrRefusedForADomainReasonOnly() async throws {
        // Four box offices, each with its own connections and aggregate cache, fight over twelve seats.
        let url = try PostgresCluster.shared.get().database()
        let clock = ManualClock()
        let boxes = try (0..<4).map { _ in BoxOffice(store: try PostgresEventStore(url: url), clock: clock) }
        let show = ShowID("race")
        let ana = CommandContext(actor: "ana")
        _ = try await boxes[0].execute(.createShow(show, name: "Race", venue: Harness.venue, startsAt: clock.now().addingTimeInterval(86_400)), ana)
        _ = try await boxes[1].execute(.submitShow(show), ana)
        _ = try await boxes[2].execute(.approveShow(show), CommandContext(actor: "bo"))
        await Harness.race(boxes, show)
        #expect(try LogAudit.doubleBooking(in: PostgresEventStore(url: url)) == [])
    }

    @Test func anotherProcesssCommitWakesABusAtOnceNotAtItsNextPoll() async throws {
        // The watching bus polls only every 10 minutes: seeing a commit within seconds means the
        // server's notification woke it (LISTEN/NOTIFY), as it wakes every console on the database.
        let url = try PostgresCluster.shared.get().database()
        let watcher = try PostgresEventStore(url: url)
        let read = ReadSide(storage: watcher, persists: false)
        let bus = EventBus(store: watcher, clock: ManualClock(), dispatch: .asynchronous, pollInterval: 600)
        read.register(on: bus)
        try bus.start()
        defer { bus.stop() }
        let writer = BoxOffice(store: try PostgresEventStore(url: url), clock: ManualClock())
        _ = try await writer.execute(.createShow(ShowID("woken"), name: "Woken", venue: Harness.venue, startsAt: Date().addingTimeInterval(86_400)), Harness.ana)
        // Timed from the commit, on this thread (a busy test run can hold the task pool back).
        let committed = Date()
        while read.snapshot().shows["woken"] == nil && Date().timeIntervalSince(committed) < 60 { usleep(2_000) }
        #expect(read.snapshot().shows["woken"] != nil)
        #expect(Date().timeIntervalSince(committed) < 60)
    }

    @Test func aSQLiteStoreCopiedUpKeepsItsLogCommandIdsAndClockAndItsReadModelsRebuildThere() async throws {
        // A store with sales, a failed payment, expiries and a command id, on SQLite.
        let s = try SagaHarness(gateway: ScriptedGateway(failures: ["P-" + "FAILPAY1"]))
        let show = try await s.onSale()
        let paid = try await s.hold(show, ["Stalls-A-1", "Stalls-A-2"])
        try await s.pay(paid)
        _ = try await s.hold(show, ["Stalls-B-1"], "Cy")
        let retried = CommandContext(actor: "ana", commandId: "cmd-block-1")
        _ = try await s.box.execute(.blockSeats(show, seats: [SeatID("Stalls-B-6")]), retried)
        await s.run(for: 900)
        s.runtime.shutdown()
        let source = try SQLiteEventStore(path: s.path, readOnly: true)
        _ = try StoreClock.attach(try SQLiteEventStore(path: s.path), speed: nil)

        let destination = try Self.store()
        let report = try destination.copy(from: source, batch: 7)
        #expect(report.events == (try source.headPosition()))
        #expect(report.commands == (try source.allCommands().count) && report.commands >= 1)
        #expect(report.settings.contains("clock"))
        let all = { (store: any EventStore) in try store.readAll(after: 0, limit: 10_000) }
        #expect(try all(destination) == all(source))
        #expect(try destination.info("clock") == source.info("clock"))
        // The same command id sent again to the copy is recognised, not done twice.
        let again = try await BoxOffice(store: destination, clock: s.clock).execute(.blockSeats(show, seats: [SeatID("Stalls-B-6")]), retried)
        #expect(again.duplicate)
        _ = try Rebuild.run(storage: destination, names: Runtime.subscriberNames, mode: .write)
        #expect(try LogAudit.readModels(in: destination) == [])
        // A destination that holds a store already is refused and left as it was.
        let head = try destination.headPosition()
        #expect(throws: EventStoreError.self) { try destination.copy(from: source) }
        #expect(try destination.headPosition() == head)
    }
}
