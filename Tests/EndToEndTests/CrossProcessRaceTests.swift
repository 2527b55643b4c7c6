import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

@Suite("Separate processes on one store", .serialized)
struct CrossProcessRaceTests {
    static let venue = Venue(
        id: "duo", name: "Duo Room", currency: "EUR",
        tiers: [.init(id: "std", name: "Standard", priceMinor: 4000)],
        sections: [.init(name: "Stalls", rows: [.init(label: "A", seats: 4, tier: "std")])]
    )

    /// A store with `rounds` shows on sale, each with only `Stalls-A-4` free.
    func store(rounds: Int) async throws -> String {
        let folder = NSTemporaryDirectory() + "marquee-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/race.sqlite"
        let box = BoxOffice(store: try SQLiteEventStore(path: path))
        defer { box.close() }
        let ana = CommandContext(actor: "ana")
        for round in 0..<rounds {
            let show = ShowID("race-\(round)")
            _ = try await box.execute(.createShow(show, name: "Race \(round)", venue: Self.venue, startsAt: Date()), ana)
            _ = try await box.execute(.submitShow(show), ana)
            _ = try await box.execute(.approveShow(show), CommandContext(actor: "bo"))
            _ = try await box.execute(.blockSeats(show, seats: ["Stalls-A-1", "Stalls-A-2", "Stalls-A-3"].map { SeatID($0) }), ana)
        }
        return path
    }

    @Test func givenOneSeatLeft_whenTwoProcessesReserveIt_thenExactlyOneWinsAndTheLogAgrees() async throws {
        let rounds = 5
        let path = try await store(rounds: rounds)
        for round in 0..<rounds {
            let racers = try (0..<2).map { index in
                try BinaryRunner.Running([
                    "reserve", "race-\(round)", "--seats", "Stalls-A-4", "--customer", "racer \(index)",
                    "--db", path, "--operator", "buyer-\(index)",
                ])
            }
            let outcomes = racers.map { $0.wait() }
            let winners = outcomes.filter { $0.status == 0 }
            let losers = outcomes.filter { $0.status != 0 }
            #expect(winners.count == 1, "round \(round): \(outcomes)")
            #expect(winners.first?.stdout.contains("holds Stalls-A-4") == true)
            #expect(losers.first?.status == 1)
            #expect(losers.first?.stderr.contains("seat Stalls-A-4 is not available") == true, "\(losers)")
        }
        // Replaying the log gives each seat exactly one holder.
        let store = try SQLiteEventStore(path: path, readOnly: true)
        let codec = EventCodec()
        let events = try store.readAll(after: 0, limit: 10_000).map { try codec.decode($0) }
        let held = events.compactMap { if case .seatsHeld(let e) = $0 { e } else { nil } }
        #expect(held.count == rounds)
        #expect(Set(held.map(\.showId)).count == rounds)
        for round in 0..<rounds {
            let stream = try store.read(stream: "inventory-race-\(round)").map { try codec.decode($0) }
            let state = stream.reduce(nil) { InventoryState.evolve($0, $1) }
            #expect(state?.availableCount == 0)
        }
    }

    @Test func writeCommandsReportRefusalsWithExitCode1AndBadInvocationsWith2() async throws {
        let path = try await store(rounds: 1)
        let approveAgain = try BinaryRunner.run(["approve", "race-0", "--db", path])
        #expect(approveAgain.status == 1)
        #expect(approveAgain.stderr.contains("cannot approve show race-0: it is approved"))
        let unknown = try BinaryRunner.run(["submit", "no-such-show", "--db", path])
        #expect(unknown.status == 1)
        let noStore = try BinaryRunner.run(["approve", "race-0", "--db", path + ".missing"])
        #expect(noStore.status == 2)
        #expect(noStore.stderr.contains("no store at"))
        #expect(!FileManager.default.fileExists(atPath: path + ".missing"))
        let badFlag = try BinaryRunner.run(["reserve", "race-0", "--customer", "x", "--db", path])
        #expect(badFlag.status == 2)
        #expect(badFlag.stderr.contains("--seats"))
        let readOnly = try BinaryRunner.run(["block", "race-0", "--seats", "Stalls-A-4", "--db", path, "--read-only"])
        #expect(readOnly.status == 2)
        #expect(readOnly.stderr.contains("--read-only"))
        let ok = try BinaryRunner.run(["unblock", "race-0", "--seats", "Stalls-A-1", "--db", path])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("unblocked Stalls-A-1"))
    }
}
