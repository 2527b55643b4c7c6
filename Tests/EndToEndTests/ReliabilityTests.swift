import BoxOffice
import EventStore
import Foundation
import PostgresStore
import Reliability
import TestSupport
import Testing
import Ticketing

/// Reliability properties at test-suite size; `marquee torture` runs them at full counts (see
/// the README's Reliability table). Each property also runs under a test-only fault that
/// breaks it, and must then fail: proof that the check can see the breakage.
@Suite("Reliability", .serialized)
struct ReliabilityTests {
    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "marquee-rel-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func r1SeveralSimulatorProcessesOnOneStoreNeverDoubleBook() async throws {
        let path = try Self.folder() + "/r1.sqlite"
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
        let found = try LogAudit.doubleBooking(in: store)
        #expect(found.isEmpty, "\(found.prefix(5))")
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func r1SeveralSimulatorProcessesOnOnePostgreSQLDatabaseNeverDoubleBookNorMissAnEvent() async throws {
        let folder = try Self.folder()
        let db = try postgresDatabase()
        let url = try PostgresURL(db)
        // Four processes, each with its own writer, bus and saga, race on one database.
        let runs = try (1...4).map { seed in
            try BinaryRunner.Running([
                "simulate", "--db", db, "--scenario", "rush", "--speed", "60", "--duration", "4", "--seed", String(seed), "--venue", "club",
                "--log", folder + "/sim\(seed).log",
            ])
        }
        let outcomes = runs.map { $0.wait() }
        #expect(outcomes.allSatisfy { $0.status == 0 }, "\(outcomes.map(\.stderr))")
        #expect(outcomes.allSatisfy { $0.stdout.contains(" 0 failed") }, "\(outcomes.map(\.stdout))")
        let store = try PostgresEventStore(url: url, readOnly: true)
        #expect(try store.statistics(since: .distantPast).byType["ShowCreated"] == 6)
        let found = try LogAudit.doubleBooking(in: store)
        #expect(found.isEmpty, "\(found.prefix(5))")
        // Every process's projections folded every event exactly once: the counting read models
        // (sales, holds, the saga ledger) equal a rebuild from the log.
        let verify = try BinaryRunner.run(["replay", "--db", db, "--verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    /// `marquee torture <kind>` on a new store, with a test-only fault when named.
    func torture(_ kind: String, _ options: [String], fault: String?) throws -> BinaryRunner.Outcome {
        let path = try Self.folder() + "/\(kind).sqlite"
        return try BinaryRunner.run(["torture", kind, "--db", path] + options, environment: fault.map { ["MARQUEE_TEST_FAULT": $0] } ?? [:])
    }

    func race(fault: String? = nil) throws -> BinaryRunner.Outcome {
        try torture("race", ["--processes", "4", "--attempts", "150", "--seats", "40"], fault: fault)
    }

    @Test func r1RacingProcessesNeverHoldOrSellASeatTwice() throws {
        let out = try race()
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("✓ no seat held or sold by two reservations"), "\(out.stdout)")
        #expect(out.stdout.contains("600 attempts"), "\(out.stdout)")
        #expect(out.stdout.contains("0 gave up after conflicts, 0 store busy"), "\(out.stdout)")
        #expect(out.stdout.contains("✓ every attempt held or refused for a domain reason"), "\(out.stdout)")
    }

    @Test func r1ProvenByAFault_withoutTheVersionCheckTheRaceDoubleBooks() throws {
        let out = try race(fault: "skipVersionCheck")
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("✗ no seat held or sold by two reservations"), "\(out.stdout)")
    }

    func crash(fault: String? = nil) throws -> BinaryRunner.Outcome {
        try torture("crash", ["--kills", "5", "--max-delay", "2500", "--seed", "3"], fault: fault)
    }

    @Test func r2KilledAtRandomInstantsNothingIsLostDoubledOrStuck() throws {
        let out = try crash()
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        for promise in ["every acknowledged command is in the log", "no event duplicated", "every read model and the saga ledger equal a full rebuild", "no subscriber stuck"] {
            #expect(out.stdout.contains("✓ \(promise)"), "\(out.stdout)")
        }
        #expect(!out.stdout.contains(" 0 commands acknowledged"), "nothing was acknowledged: \(out.stdout)")
    }

    @Test func r2ProvenByAFault_anAcknowledgementWithoutACommitIsFound() throws {
        let out = try crash(fault: "acknowledgeWithoutCommit")
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("✗ every acknowledged command is in the log"), "\(out.stdout)")
    }

    @Test func r2ProvenByAFault_rowsSavedWithoutTheirCheckpointAreFound() throws {
        let out = try crash(fault: "loseCheckpoint")
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("✗ every read model and the saga ledger equal a full rebuild"), "\(out.stdout)")
    }

    /// A new database on the test cluster, as a `--db` URL on its Unix socket.
    func postgresDatabase() throws -> String {
        let cluster = try PostgresCluster.shared.get()
        let url = try cluster.database()
        return "postgres://\(url.user)@/\(url.database)?host=\(cluster.folder)&port=\(cluster.port)"
    }

    /// R1 on a server, with the workers started through a launcher as the multi-host script
    /// starts them in other network namespaces: two "hosts" of two processes each.
    @Test(.enabled(if: PostgresCluster.runs))
    func r1RacingProcessesOnPostgreSQLNeverHoldOrSellASeatTwiceNorGiveUp() throws {
        let db = try postgresDatabase()
        let out = try BinaryRunner.run(["torture", "race", "--db", db, "--processes", "2", "--attempts", "150", "--seats", "40", "--via", "env", "--via", "env"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("2 processes on each of 2 hosts"), "\(out.stdout)")
        #expect(out.stdout.contains("600 attempts"), "\(out.stdout)")
        #expect(out.stdout.contains("0 gave up after conflicts, 0 store busy"), "\(out.stdout)")
        for promise in ["every worker finished", "no seat held or sold by two reservations", "read models equal a rebuild"] {
            #expect(out.stdout.contains("✓ \(promise)"), "\(out.stdout)")
        }
        let again = try BinaryRunner.run(["torture", "race", "--db", db])
        #expect(again.status == 2 && again.stderr.contains("already holds a store"), "\(again.stderr)")
    }

    /// R2 on a server: a killed worker's open transaction is rolled back by PostgreSQL.
    @Test(.enabled(if: PostgresCluster.runs))
    func r2KilledAtRandomInstantsOnPostgreSQLNothingIsLostDoubledOrStuck() throws {
        let out = try BinaryRunner.run(["torture", "crash", "--db", try postgresDatabase(), "--kills", "4", "--max-delay", "3000", "--seed", "5"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        for promise in ["every acknowledged command is in the log", "no event duplicated", "no seat held or sold twice", "every read model and the saga ledger equal a full rebuild", "no subscriber stuck"] {
            #expect(out.stdout.contains("✓ \(promise)"), "\(out.stdout)")
        }
        #expect(!out.stdout.contains(" 0 commands acknowledged"), "nothing was acknowledged: \(out.stdout)")
    }

    /// R7: `--read-only` refuses every subcommand that writes, before it touches the store.
    @Test func r7ReadOnlyRefusesEveryWritingSubcommand() async throws {
        let path = try Self.folder() + "/ro.sqlite"
        let seeded = try BinaryRunner.run(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "1", "--venue", "club"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let store = try SQLiteEventStore(path: path, readOnly: true)
        let head = try store.headPosition()
        let writes: [[String]] = [
            ["submit", "grand-hall-sat"], ["approve", "grand-hall-sat"], ["reject", "grand-hall-sat", "--reason", "no"],
            ["reopen", "grand-hall-sat"], ["close-sales", "grand-hall-sat"], ["cancel-show", "grand-hall-sat"],
            ["reserve", "grand-hall-sat", "--seats", "Stalls-A-1", "--customer", "Ro"], ["extend", "R-00000000"], ["cancel", "R-00000000"],
            ["block", "grand-hall-sat", "--seats", "Stalls-A-1"], ["unblock", "grand-hall-sat", "--seats", "Stalls-A-1"], ["pay", "R-00000000"],
            ["replay"], ["failures", "retry", "1"], ["failures", "skip", "1"], ["simulate", "--duration", "1"], ["demo"],
            ["create-show", "ro-show", "--name", "Ro", "--venue", "club", "--starts", "2031-01-01T10:00"],
        ]
        for arguments in writes {
            let out = try BinaryRunner.run(arguments + ["--db", path, "--read-only"])
            #expect(out.status == 2, "\(arguments): \(out.status) \(out.stderr)")
            #expect(out.stderr.contains("--read-only") || out.stderr.contains("read-only"), "\(arguments): \(out.stderr)")
        }
        #expect(try store.headPosition() == head)
    }
}
