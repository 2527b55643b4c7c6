import BoxOffice
import EventStore
import Foundation
import Testing

@Suite("marquee simulate", .serialized)
struct SimulateCommandTests {
    @Test func aHeadlessRushProducesEveryOutcomeAndLeavesRebuildableReadModels() async throws {
        let folder = NSTemporaryDirectory() + "marquee-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/sim.sqlite"
        let out = try BinaryRunner.run(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "8", "--seed", "3"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("simulated rush at ×60"))
        #expect(out.stdout.contains("lag 0"))
        let store = try SQLiteEventStore(path: path, readOnly: true)
        let types = try store.statistics(since: .distantPast).byType
        for outcome in ["ReservationConfirmed", "ReservationExpired", "ReservationCompensated", "ReservationCancelled", "ReservationRefunded"] {
            #expect((types[outcome] ?? 0) > 0, "no \(outcome): \(types)")
        }
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify", "--projection", "availableSeats"])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("availableSeats: matches"))
        let monitor = try BinaryRunner.run(["monitor", "--db", path, "--projections"])
        #expect(monitor.stdout.contains("sagaLedger"))
        // A second simulator at another speed is refused, naming the store's speed.
        let mismatch = try BinaryRunner.run(["simulate", "--db", path, "--speed", "5", "--duration", "1"])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("runs at ×60"))
        let unknown = try BinaryRunner.run(["simulate", "--db", path, "--scenario", "chaos"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("available: rush, steady"))
    }
}
