import Foundation
import Testing

@Suite("marquee bench --quick", .serialized)
struct BenchSmokeTests {
    @Test func everyRowIsPrintedAsJSONAndTheRunExitsZero() throws {
        let out = try BinaryRunner.run(["bench", "--quick", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("bench: P1"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == ["P1", "P2", "P3", "P4", "P4 p99", "P5", "P6", "P7"])
        for row in rows {
            #expect(Set(row.keys) == ["id", "measure", "value", "unit", "baseline", "baselineLabel", "ratio", "goal", "result", "note"])
        }
        let measured = rows.filter { !($0["value"] is NSNull) }
        #expect(measured.count == 4)
        #expect(measured.allSatisfy { ($0["value"] as? Double ?? -1) >= 0 && ["pass", "miss"].contains($0["result"] as? String) })
    }
}
