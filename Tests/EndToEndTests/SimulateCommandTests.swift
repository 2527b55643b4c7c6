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
        // The log holds every command and saga step with its reservation's correlation id.
        let log = try String(contentsOfFile: folder + "/sim.log", encoding: .utf8)
        var byCorrelation: [String: [Substring]] = [:]
        for line in log.split(separator: "\n") {
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("correlation=") }) else { continue }
            byCorrelation[String(field.dropFirst("correlation=".count)), default: []].append(line)
        }
        let recorded = try store.readAll(after: 0, limit: 1_000_000)
        let requests = recorded.filter { $0.type == "ReservationRequested" }
        #expect(requests.count > 50)
        for request in requests {
            let lines = byCorrelation[request.metadata.correlationId ?? "-"] ?? []
            #expect(lines.contains { $0.contains("command=reserve") && $0.contains("outcome=done") }, "no command line for \(request.metadata.correlationId ?? "-")")
        }
        for confirmed in recorded where confirmed.type == "ReservationConfirmed" || confirmed.type == "ReservationExpired" {
            let step = confirmed.type == "ReservationConfirmed" ? "confirmReservation" : "expireHold"
            let lines = byCorrelation[confirmed.metadata.correlationId ?? "-"] ?? []
            #expect(lines.contains { $0.contains("saga step \(step)") && $0.contains("outcome=done") && $0.contains("causation=") },
                    "no saga step \(step) for \(confirmed.metadata.correlationId ?? "-")")
        }
        #expect(!log.contains("cannot expire early"), "a saga step ran before its time")
        let quiet = try BinaryRunner.run(["simulate", "--db", folder + "/quiet.sqlite", "--duration", "1", "--log-level", "notice"])
        #expect(quiet.status == 0)
        #expect(!(try String(contentsOfFile: folder + "/quiet.log", encoding: .utf8)).contains("command="), "--log-level notice leaves commands out")
        let badLevel = try BinaryRunner.run(["simulate", "--db", folder + "/quiet.sqlite", "--log-level", "loud"])
        #expect(badLevel.status == 2 && badLevel.stderr.contains("--log-level"))
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
