import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

/// Reliability properties at test-suite size (issue 9 runs them at full counts).
@Suite("Reliability", .serialized)
struct ReliabilityTests {
    /// Replays the log: a seat is never held or sold by two reservations at once, and held +
    /// sold never exceeds capacity. Returns the violations found.
    static func violations(in store: SQLiteEventStore) throws -> [String] {
        let codec = EventCodec()
        var owner: [String: String] = [:]
        var capacity: [ShowID: Int] = [:]
        var taken: [ShowID: Int] = [:]
        var found: [String] = []
        var after: Int64 = 0
        while true {
            let batch = try store.readAll(after: after, limit: 5_000)
            guard let last = batch.last else { break }
            after = last.position
            for recorded in batch {
                switch try codec.decode(recorded) {
                case .inventoryInitialized(let e): capacity[e.showId] = e.capacity
                case .seatsHeld(let e):
                    for seat in e.seats {
                        let key = "\(e.showId)/\(seat)"
                        if let holder = owner[key] { found.append("#\(recorded.position): \(seat) held by \(e.reservationId) while \(holder) has it") }
                        owner[key] = e.reservationId.rawValue
                    }
                    taken[e.showId, default: 0] += e.seats.count
                case .seatsSold(let e):
                    for seat in e.seats where owner["\(e.showId)/\(seat)"] != e.reservationId.rawValue {
                        found.append("#\(recorded.position): \(seat) sold to \(e.reservationId) but held by \(owner["\(e.showId)/\(seat)"] ?? "nobody")")
                    }
                case .seatsReleased(let e):
                    for seat in e.seats { owner["\(e.showId)/\(seat)"] = nil }
                    taken[e.showId, default: 0] -= e.seats.count
                default: break
                }
                for (show, count) in taken where count > (capacity[show] ?? .max) {
                    found.append("#\(recorded.position): \(show) has \(count) seats held or sold of \(capacity[show] ?? 0)")
                }
            }
        }
        return found
    }

    @Test func r1SeveralSimulatorProcessesOnOneStoreNeverDoubleBook() async throws {
        let folder = NSTemporaryDirectory() + "marquee-r1-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/r1.sqlite"
        // Four processes at once on small rooms: the rush fights over the same seats.
        let runs = try (1...4).map { seed in
            try BinaryRunner.Running(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "4", "--seed", String(seed), "--venue", "club"])
        }
        let outcomes = runs.map { $0.wait() }
        #expect(outcomes.allSatisfy { $0.status == 0 }, "\(outcomes.map(\.stderr))")
        let refused = outcomes.compactMap { out -> Int? in
            guard let range = out.stdout.range(of: #"\((\d+) refused"#, options: .regularExpression) else { return nil }
            return Int(out.stdout[range].dropFirst().prefix { $0.isNumber })
        }
        #expect(refused.reduce(0, +) > 0, "no contention: \(outcomes.map(\.stdout))")
        let store = try SQLiteEventStore(path: path, readOnly: true)
        #expect(try store.statistics(since: .distantPast).byType["ShowCreated"] == 6)
        let found = try Self.violations(in: store)
        #expect(found.isEmpty, "\(found.prefix(5))")
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }
}
