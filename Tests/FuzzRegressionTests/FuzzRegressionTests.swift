import Foundation
import Testing

/// Every input a fuzzer ever crashed on (`Findings/<target>/`), and every seed of the corpus
/// (`Fuzz/Seeds/<target>/`, taken from real stores and the repository's files), run through the
/// same checks as the fuzz targets: a regression traps here as it did under the fuzzer.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = here.deletingLastPathComponent().deletingLastPathComponent()

    static func inputs(under folder: URL) -> [(target: String, file: URL)] {
        ParserChecks.names.flatMap { target -> [(target: String, file: URL)] in
            let directory = folder.appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.sorted().map { (target, directory.appendingPathComponent($0)) }
        }
    }

    @Test func everyTargetHasSeeds() {
        let seeds = Self.inputs(under: Self.repository.appendingPathComponent("Fuzz/Seeds"))
        for target in ParserChecks.names {
            #expect(seeds.contains { $0.target == target }, "no seeds for \(target)")
        }
    }

    @Test func everySeedAndEveryPastFindingPasses() throws {
        let all = Self.inputs(under: Self.repository.appendingPathComponent("Fuzz/Seeds")) + Self.inputs(under: Self.here.appendingPathComponent("Findings"))
        #expect(all.count > 20)
        for (target, file) in all {
            let check = try #require(ParserChecks.targets[target])
            check(try Data(contentsOf: file))
        }
    }
}
