import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Synchronization
import Testing

/// What only the PostgreSQL store has to prove: its URL, its marker, and positions that become
/// visible in order while writers race (the contract suite covers the rest, as for every store).
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    static func cluster() throws -> PostgresCluster { try PostgresCluster.shared.get() }

    @Test(.enabled(if: PostgresCluster.runs, "PostgreSQL server binaries not found (initdb, pg_ctl); install them with `apt-get install postgresql`"))
    func aThrowawayServerStartsForTheTests() throws {
        let store = try PostgresEventStore(url: try Self.cluster().database())
        #expect(try store.headPosition() == 0)
    }

    @Test func urlsNameHostPortDatabaseAndSocketAndNeverShowThePassword() throws {
        let tcp = try PostgresURL("postgresql://ana:s3cret@db.example:6543/box?sslmode=require", environment: [:])
        #expect(tcp.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(tcp.user == "ana" && tcp.database == "box" && tcp.requireTLS)
        #expect(tcp.description == "postgres://ana@db.example:6543/box?sslmode=require")
        #expect(!tcp.description.contains("s3cret"))
        let socket = try PostgresURL("postgres://ana@/box?host=/run/pg", environment: [:])
        #expect(socket.endpoint == .socket(folder: "/run/pg", port: 5432))
        #expect(try PostgresURL("postgres://ana@localhost/box", environment: [:]).endpoint == .tcp(host: "localhost", port: 5432))
        #expect(throws: PostgresURLError.unknownSSLMode("sometimes")) { try PostgresURL("postgres://a@h/d?sslmode=sometimes", environment: [:]) }
        #expect(throws: PostgresURLError.unknownParameter("colour")) { try PostgresURL("postgres://a@h/d?colour=red", environment: [:]) }
        #expect(!PostgresURL.isURL("box.sqlite") && PostgresURL.isURL("postgres://h/d"))
    }

    @Test func aPasswordComesFromPGPASSWORDOrAPrivatePasswordFileAsLibpqReadsIt() throws {
        let folder = TempFolder.make()
        let file = folder.file("pgpass")
        try "# comment\nother:5432:*:ana:wrong\ndb.example:*:box:ana:pa\\:ss\n*:*:*:*:fallback\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try PostgresURL("postgres://ana@db.example/box", environment: ["PGPASSFILE": file]).password == "pa:ss")
        #expect(try PostgresURL("postgres://bo@elsewhere/x", environment: ["PGPASSFILE": file]).password == "fallback")
        #expect(try PostgresURL("postgres://ana@db.example/box", environment: ["PGPASSFILE": file, "PGPASSWORD": "env"]).password == "env")
        // A file others can read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try PostgresURL("postgres://ana@db.example/box", environment: ["PGPASSFILE": file]).password == nil)
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func aDatabaseHoldingSomethingElseIsRefusedAndAMissingStoreIsNotCreatedUnlessAsked() throws {
        let cluster = try Self.cluster()
        let foreign = try cluster.database()
        try cluster.psql(foreign, "CREATE TABLE customers (id int)")
        #expect(throws: EventStoreError.notAMarqueeStore(path: foreign.description)) { try PostgresEventStore(url: foreign) }
        let empty = try cluster.database()
        #expect(throws: EventStoreError.notFound(path: empty.description)) { try PostgresEventStore(url: empty, create: false) }
        _ = try PostgresEventStore(url: empty)
        _ = try PostgresEventStore(url: empty, create: false)
        try cluster.psql(empty, "INSERT INTO marquee_migrations (name) VALUES ('v99')")
        #expect(throws: EventStoreError.newerSchema(path: empty.description, unknownMigrations: ["v99"])) { try PostgresEventStore(url: empty) }
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func racingWritersNeverLetAReaderSkipOrRepeatAPosition() throws {
        // Six writers on connections of their own append to their own streams as fast as they
        // can while a reader follows the head: it must see 1, 2, 3, … with no gap and no repeat.
        let url = try Self.cluster().database()
        _ = try PostgresEventStore(url: url)
        let writers = 6, each = 60
        let done = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        for writer in 0..<writers {
            Thread {
                do {
                    let store = try PostgresEventStore(url: url)
                    for n in 0..<each {
                        _ = try store.append(AppendRequest(writes: [
                            StreamWrite(stream: "w\(writer)", expected: .exact(Int64(2 * n)), events: [event("A"), event("B")]),
                        ], recordedAt: t0))
                    }
                } catch {
                    failures.withLock { $0.append("writer \(writer): \(error)") }
                }
                done.add(1, ordering: .sequentiallyConsistent)
            }.start()
        }
        let reader = try PostgresEventStore(url: url)
        var seen: [Int64] = [], after: Int64 = 0
        while done.load(ordering: .sequentiallyConsistent) < writers || after < Int64(writers * each * 2) {
            let batch = try reader.readAll(after: after, limit: 7)
            seen += batch.map(\.position)
            after = batch.last?.position ?? after
            if failures.withLock({ !$0.isEmpty }) { break }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(seen == Array(1...Int64(writers * each * 2)))
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func readModelsCommitWithTheirCheckpointAndASwapReplacesThemWhole() throws {
        let store = try PostgresEventStore(url: try Self.cluster().database())
        struct Refused: Error {}
        let errors = try store.commitTogether([
            { try $0.write("Holds", rows: ["a": Data(#"{"n":1}"#.utf8), "b": Data(#"{"n":2}"#.utf8)], deleted: []); try $0.setCheckpoint(5, of: "Holds") },
            { try $0.write("Sales", rows: ["x": Data("{}".utf8)], deleted: []); throw Refused() },
        ])
        #expect(errors.count == 2 && errors[0] == nil && errors[1] is Refused)
        #expect(try store.loadRows(of: "Holds").rows == ["a": Data(#"{"n":1}"#.utf8), "b": Data(#"{"n":2}"#.utf8)])
        #expect(try store.loadRows(of: "Holds").checkpoint == 5)
        #expect(try store.loadRows(of: "Sales").rows.isEmpty)
        let generation = try store.readModelGeneration()
        try store.writeShadow(of: "Holds", rows: ["a": Data(#"{"n":9}"#.utf8), "c": Data(#"{"n":3}"#.utf8)], deleted: [], fresh: true)
        let swap = try store.swapShadows(["Holds": 7], catchingUp: nil)
        #expect(swap == .swapped(["Holds": RowChanges(inserted: 1, updated: 1, deleted: 1)], checkpoints: ["Holds": 7]))
        #expect(try store.loadRows(of: "Holds").rows == ["a": Data(#"{"n":9}"#.utf8), "c": Data(#"{"n":3}"#.utf8)])
        #expect(try store.readModelGeneration() == generation + 1)
        #expect(throws: EventStoreError.readModelsReplaced) { try store.commitTogether([{ _ in }], ifGeneration: generation) }
        // A second rebuild swaps again (the first swap's renamed index does not collide).
        try store.writeShadow(of: "Holds", rows: [:], deleted: [], fresh: true)
        #expect(try store.swapShadows(["Holds": 8], catchingUp: nil) == .swapped(["Holds": RowChanges(deleted: 2)], checkpoints: ["Holds": 8]))
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func failuresAreRecordedOncePerPositionAndSkippedPastTheirCheckpoint() throws {
        let store = try PostgresEventStore(url: try Self.cluster().database())
        let failure = FailureRecord(subscriber: "Holds", position: 4, eventType: "SeatsHeld", error: "boom", attempts: 1, firstAttemptAt: t0, lastAttemptAt: t0)
        let first = try store.recordFailure(failure)
        var again = failure
        again.attempts = 2
        #expect(try store.recordFailure(again).id == first.id)
        #expect(try store.failures(includeResolved: false).map(\.attempts) == [2])
        try store.skip(subscriber: "Holds", position: 4, failureId: first.id, at: t0)
        #expect(try store.checkpoint(of: "Holds") == 4)
        #expect(try store.failures(includeResolved: false).isEmpty)
        #expect(try store.failures(includeResolved: true).first?.resolution == "skipped")
    }

    @Test(.enabled(if: PostgresCluster.runs))
    func aWriterThatCannotTakeTheLogLockInTimeIsToldBusyAndWritesNothing() throws {
        let url = try Self.cluster().database()
        let holder = try PostgresEventStore(url: url)
        let impatient = try PostgresEventStore(url: url, busyTimeout: 0.2)
        let request = AppendRequest(writes: [StreamWrite(stream: "s", expected: .noStream, events: [event("A")])], recordedAt: t0)
        // Another process holds the log lock for longer than the deadline; read-model writes,
        // which take a lock of their own, are not held up by it.
        try holder.transaction { _ throws(EventStoreError) in
            #expect(throws: EventStoreError.busy(path: url.description)) { try impatient.append(request) }
            #expect(try impatient.commitTogether([{ try $0.setCheckpoint(1, of: "holds") }]).allSatisfy { $0 == nil })
        }
        #expect(try impatient.headPosition() == 0)
        #expect(try impatient.append(request) == .appended(positions: [1]))
    }
}
