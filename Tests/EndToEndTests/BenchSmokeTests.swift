import Foundation
import TestSupport
import Testing

@Suite("marquee bench --quick", .serialized)
struct BenchSmokeTests {
    @Test func everyRowIsMeasuredPrintedAsJSONAndTheRunExitsZero() throws {
        let out = try BinaryRunner.run(["bench", "--quick", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("bench: P1"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == ["P1", "P1 hot", "P2", "P3", "P3 10M", "P3 growth", "P4", "P4 key", "P4 p99", "P5", "P6", "P7", "P7 heap"])
        for row in rows {
            #expect(Set(row.keys) == ["id", "measure", "value", "unit", "baseline", "baselineLabel", "ratio", "goal", "result", "note"])
            if row["id"] as? String == "P3 10M" {
                // Measured only on a generated store of ten million events; it says how to make one.
                #expect(row["result"] as? String == "not measured" && (row["note"] as? String)?.contains("--generate 10000000") == true, "\(row)")
                continue
            }
            #expect((row["value"] as? Double ?? -1) >= 0, "\(row)")
            #expect(["pass", "miss"].contains(row["result"] as? String), "\(row)")
        }
        // The rush of eight box offices on one show: nothing turned away for a non-domain reason.
        let hot = try #require(rows.first { $0["id"] as? String == "P1 hot" })
        #expect((hot["note"] as? String)?.contains(", 0 non-domain refusals") == true, "\(hot)")
    }

    /// On a server the bench works in scratch databases of its own: the Live row (a commit in
    /// this process, another process's read model woken by NOTIFY) is measured, nothing is
    /// missed, and the database named is left as it was.
    @Test(.enabled(if: PostgresCluster.runs))
    func onPostgreSQLTheLiveRowIsMeasuredInAScratchDatabase() throws {
        let cluster = try PostgresCluster.shared.get()
        let url = try cluster.database()
        let db = "postgres://\(url.user)@/\(url.database)?host=\(cluster.folder)&port=\(cluster.port)"
        let out = try BinaryRunner.run(["bench", "--quick", "--json", "--db", db, "--only", "Live"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        let live = try #require(rows.first, "\(out.stdout)")
        #expect(rows.count == 1 && live["id"] as? String == "Live", "\(rows)")
        #expect((live["value"] as? Double ?? -1) > 0 && (live["note"] as? String)?.contains("0 never seen") == true, "\(live)")
        let untouched = try BinaryRunner.run(["events", "--db", db])
        #expect(untouched.status != 0 || untouched.stdout.isEmpty, "the named database got events: \(untouched.stdout.prefix(200))")
        let sqliteOnly = try BinaryRunner.run(["bench", "--quick", "--only", "Live"])
        #expect(sqliteOnly.status == 2 && sqliteOnly.stderr.contains("measured on PostgreSQL"), "\(sqliteOnly.stderr)")
    }

    @Test func generatedStoreIsConsistentAndItsReadModelsMatchARebuild() throws {
        let folder = NSTemporaryDirectory() + "marquee-gen-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/gen.sqlite"
        let out = try BinaryRunner.run(["bench", "--generate", "3000", "--db", path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("events,") && out.stdout.contains("shows"), "\(out.stdout)")
        let verify = try BinaryRunner.run(["replay", "--verify", "--db", path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let events = try BinaryRunner.run(["events", "--db", path, "--json", "--type", "ShowCreated"])
        #expect(events.status == 0 && events.stdout.contains("ShowCreated"), "\(events.stdout)\(events.stderr)")
        // A second --generate on the same path refuses instead of adding to the store.
        let again = try BinaryRunner.run(["bench", "--generate", "3000", "--db", path])
        #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again.stderr)")
        let tiny = try BinaryRunner.run(["bench", "--generate", "5", "--db", folder + "/tiny.sqlite"])
        #expect(tiny.status == 2 && tiny.stderr.contains("1000 to"), "\(tiny.stderr)")
    }
}
