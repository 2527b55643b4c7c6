import EventStore
import Foundation
import Testing

/// `replay` in each mode while another process keeps buying and folding on the same store:
/// a repair restores damaged rows without emptying anything, and the checks write nothing.
@Suite("Replay beside a writing process", .serialized)
struct ReplayBesideAWriterTests {
    /// A store the simulator has filled for two seconds at ×60.
    func simulatedStore() throws -> String {
        let folder = NSTemporaryDirectory() + "marquee-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/replay.sqlite"
        let out = try BinaryRunner.run(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "2"])
        #expect(out.status == 0, "\(out.stderr)")
        return path
    }

    /// A buyer process running for a few seconds on `path`.
    func writer(_ path: String) throws -> BinaryRunner.Running {
        let running = try BinaryRunner.Running(["simulate", "--db", path, "--scenario", "rush", "--speed", "60", "--duration", "6", "--seed", "5"])
        Thread.sleep(forTimeInterval: 1)
        return running
    }

    func showIds(_ path: String) throws -> [String] {
        let out = try BinaryRunner.run(["shows", "--db", path, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]] ?? []
        return list.compactMap { $0["id"] as? String }.sorted()
    }

    @Test func repairingFromAPositionBesideAWriterBringsBackEveryShow() throws {
        let path = try simulatedStore()
        let shows = try showIds(path)
        #expect(!shows.isEmpty)
        let store = try SQLiteEventStore(path: path)
        let from = try store.headPosition() / 2
        try store.database.write { db in
            try db.execute(sql: "DELETE FROM rm_show_queue")
            try db.execute(sql: "UPDATE rm_sales_analytics SET value = json_set(value, '$.sold', 0)")
        }
        #expect(try showIds(path).isEmpty)
        let writer = try writer(path)
        let repair = try BinaryRunner.run(["replay", "--db", path, "--from", String(from)])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stdout.contains("restored every read model to #\(from - 1)"), "\(repair.stdout)")
        #expect(repair.stdout.contains("showQueue: \(shows.count) rows"), "\(repair.stdout)")
        #expect(repair.stdout.contains("showQueue: \(shows.count) rows from") && repair.stdout.contains("\(shows.count) added"), "\(repair.stdout)")
        // The writer reloaded the swapped rows and went on folding onto them.
        #expect(writer.wait().status == 0)
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try showIds(path) == shows)
    }

    @Test func aDryRunAndAVerifyBesideAWriterReportTheDamageAndTouchNoLiveTable() throws {
        let path = try simulatedStore()
        let store = try SQLiteEventStore(path: path)
        try store.database.write { db in
            try db.execute(sql: "DELETE FROM rm_show_queue WHERE key = (SELECT min(key) FROM rm_show_queue)")
        }
        let shown = try showIds(path)
        let writer = try writer(path)
        let dry = try BinaryRunner.run(["replay", "--db", path, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("showQueue: would insert 1, update 0, delete 0"), "\(dry.stdout)")
        let verify = try BinaryRunner.run(["replay", "--db", path, "--verify"])
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("showQueue: DIFFERS (1 missing"), "\(verify.stdout)")
        #expect(writer.wait().status == 0)
        // Nothing swapped, no shadow left behind, the damage still there for a repair to fix.
        #expect(try store.readModelGeneration() == 0)
        let shadows = try store.database.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%shadow%'") }
        #expect(shadows.isEmpty)
        #expect(try showIds(path) == shown)
        let repair = try BinaryRunner.run(["replay", "--db", path])
        #expect(repair.status == 0 && repair.stdout.contains("showQueue: \(shown.count + 1) rows"), "\(repair.stdout)")
        #expect(try BinaryRunner.run(["replay", "--db", path, "--verify"]).status == 0)
    }
}
