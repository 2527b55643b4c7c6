@testable import BoxOffice
import EventStore
import Foundation
import GRDB
import Testing
import Ticketing

@Suite("Simulated buyers")
struct SimulationTests {
    static let catalog = DemoCatalog(folder: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("demo"))

    /// A fresh store, seeded demo shows, and a deterministic simulation of `scenario`.
    func simulation(_ scenario: String, seed: UInt64, venue: String? = nil) async throws -> (SimulationDriver, SQLiteEventStore) {
        let folder = NSTemporaryDirectory() + "marquee-sim-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try SQLiteEventStore(path: folder + "/sim.sqlite")
        let clock = ManualClock()
        let plan = try Self.catalog.scenario(scenario)
        let runtime = Runtime(
            store: store, clock: clock, ids: SeededIdentifiers(seed: seed),
            gateway: SimulatedGateway(seed: seed, failureRate: plan.paymentFailureRate), dispatch: .synchronous
        )
        try runtime.start()
        try await DemoSeeder.seed(Self.catalog, into: runtime.box, venueOverride: venue)
        let buyers = BuyerSimulator(runtime: runtime, scenario: plan, seed: seed)
        buyers.begin()
        return (SimulationDriver(runtime: runtime, buyers: buyers, clock: clock), store)
    }

    @Test func aSteadyQuarterHourProducesEveryOutcomeAndTheSeatMapMatchesARebuild() async throws {
        let (driver, store) = try await simulation("steady", seed: 11)
        await driver.run(until: driver.clock.now().addingTimeInterval(15 * 60))
        let types = Set(try store.statistics(since: .distantPast).byType.keys)
        for outcome in ["ReservationConfirmed", "ReservationExpired", "ReservationCompensated", "ReservationCancelled", "ReservationRefunded", "HoldExtended"] {
            #expect(types.contains(outcome), "no \(outcome) in \(types.sorted())")
        }
        let summary = driver.buyers.summary
        #expect(summary.buyers > 300)
        #expect(summary.failures == 0)
        let reports = try Rebuild.run(storage: store, mode: .verify)
        #expect(reports.allSatisfy { $0.matches }, "\(reports.filter { !$0.matches })")
        // Buyers buy only from shows on sale.
        let held = try store.readAll(after: 0, limit: 1_000_000).filter { $0.type == "SeatsHeld" }.map(\.streamId)
        #expect(Set(held) == ["inventory-grand-hall-sat", "inventory-harbour-live-fri", "inventory-blue-note-thu"])
    }

    @Test func aRushOnSmallRoomsSellsOutWithoutDoubleSelling() async throws {
        let (driver, store) = try await simulation("rush", seed: 5, venue: "club")
        await driver.run(until: driver.clock.now().addingTimeInterval(30))
        #expect(driver.buyers.summary.refusals > 0)
        // Replaying the log: a seat is never held or sold by two reservations at once.
        var owner: [String: String] = [:]
        for event in try store.readAll(after: 0, limit: 1_000_000) {
            let domain = try EventCodec().decode(event)
            switch domain {
            case .seatsHeld(let e):
                for seat in e.seats {
                    #expect(owner["\(e.showId)/\(seat)"] == nil, "\(seat) held twice")
                    owner["\(e.showId)/\(seat)"] = e.reservationId.rawValue
                }
            case .seatsReleased(let e):
                for seat in e.seats { owner["\(e.showId)/\(seat)"] = nil }
            case .seatsSold(let e):
                for seat in e.seats { #expect(owner["\(e.showId)/\(seat)"] == e.reservationId.rawValue) }
            default: break
            }
        }
    }

    /// A hash over every column of every event.
    func fingerprint(_ store: SQLiteEventStore) throws -> (UInt64, Int) {
        try store.database.read { db in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            var count = 0
            for row in try Row.fetchAll(db, sql: "SELECT position, stream_id, stream_version, type, schema_version, payload, metadata, recorded_at FROM events ORDER BY position") {
                count += 1
                for index in 0..<8 {
                    for byte in String(describing: row[index] as DatabaseValue).utf8 {
                        hash ^= UInt64(byte)
                        hash = hash &* 0x100_0000_01B3
                    }
                }
            }
            return (hash, count)
        }
    }

    @Test func theSameSeedGivesAByteIdenticalLog() async throws {
        let (first, firstStore) = try await simulation("steady", seed: 77)
        await first.run(until: first.clock.now().addingTimeInterval(420))
        let (second, secondStore) = try await simulation("steady", seed: 77)
        await second.run(until: second.clock.now().addingTimeInterval(420))
        let a = try fingerprint(firstStore), b = try fingerprint(secondStore)
        #expect(a.1 > 500)
        #expect(a == b)
        let (other, otherStore) = try await simulation("steady", seed: 78)
        await other.run(until: other.clock.now().addingTimeInterval(420))
        #expect(try fingerprint(otherStore).0 != a.0)
    }

    @Test func simulatorsStartedTogetherSeedTheShowsOnce() async throws {
        let folder = NSTemporaryDirectory() + "marquee-seed-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/seed.sqlite"
        let boxes = try (0..<3).map { _ in BoxOffice(store: try SQLiteEventStore(path: path)) }
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for box in boxes { group.addTask { try await DemoSeeder.seed(Self.catalog, into: box) } }
            return try await group.reduce(0, +)
        }
        #expect(created == 6)
        let store = try SQLiteEventStore(path: path)
        let stats = try store.statistics(since: .distantPast)
        #expect(stats.byType["ShowCreated"] == 6)
        #expect(stats.byType["ShowApproved"] == 3)
        #expect(stats.byType["ShowSubmitted"] == 5)
    }

    @Test func demoContentIsFoundByNameAndBadContentIsExplained() throws {
        #expect(Self.catalog.names("scenarios") == ["rush", "steady"])
        #expect(Self.catalog.names("venues") == ["arena", "club", "theatre"])
        #expect(throws: DemoError.unknown(kind: "scenario", name: "chaos", available: ["rush", "steady"])) { try Self.catalog.scenario("chaos") }
        let folder = NSTemporaryDirectory() + "marquee-bad-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let broken = folder + "/broken.json"
        try Data(#"{"name": "broken", "arrivalsPerMinute": "lots"}"#.utf8).write(to: URL(fileURLWithPath: broken))
        do {
            _ = try Self.catalog.scenario(broken)
            Issue.record("a broken scenario was accepted")
        } catch {
            #expect(error.description.hasPrefix("scenario broken is not usable: "))
        }
        var scenario = try Self.catalog.scenario("steady")
        scenario.payProbability = 1.5
        #expect(throws: DemoError.invalidFile(kind: "scenario", name: "steady", problem: "payProbability must be between 0 and 1")) { try scenario.validate() }
    }
}
