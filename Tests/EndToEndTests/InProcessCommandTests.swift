import ArgumentParser
import Foundation
@testable import marquee
import Testing

/// Subcommands end by throwing `ExitCode`, never by calling `exit`, so one can run inside this
/// process: a bad store ends the command, not the test run.
@Suite("Subcommands inside the test process")
struct InProcessCommandTests {
    func run(_ arguments: [String]) async throws {
        var command = try Marquee.parseAsRoot(arguments)
        if var asynchronous = command as? any AsyncParsableCommand {
            try await asynchronous.run()
        } else {
            try command.run()
        }
    }

    @Test(arguments: [
        ["shows", "--db", "/nonexistent-\(UUID().uuidString)/store.sqlite"],
        ["failures", "--db", "/nonexistent-\(UUID().uuidString).sqlite"],
        ["replay", "--verify", "--db", "/nonexistent-\(UUID().uuidString).sqlite"],
    ])
    func aStoreThatIsNotThereEndsTheCommandWithExitTwo(_ arguments: [String]) async throws {
        do {
            try await run(arguments)
            Issue.record("\(arguments) ran on a store that is not there")
        } catch let exit as ExitCode {
            #expect(exit == ExitCode(2), "\(arguments)")
        }
    }
}
