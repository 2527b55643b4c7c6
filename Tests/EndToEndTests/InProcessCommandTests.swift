import ArgumentParser
import ConsoleClient
import Foundation
@testable import marquee
import Testing
import Ticketing

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

    /// The console's log line for an operator command: who, what (ids as they are, text quoted
    /// with control characters spelled out, so a name cannot forge a line), and how it ended.
    @Test func anOperatorCommandIsOneLogLineWithItsOutcomeAndNoRawControlCharacters() {
        #expect(CommandLog.describe(.command(.approveShow(ShowID("grand-hall-sun")))) == "approveShow grand-hall-sun")
        #expect(CommandLog.describe(.command(.rejectShow(ShowID("x"), reason: "Clash\n\u{1B}[2J"))) == #"rejectShow x reason: "Clash\u{a}\u{1b}[2J""#)
        #expect(CommandLog.describe(.command(.cancelShow(ShowID("x"), reason: nil))) == "cancelShow x reason: none")
        #expect(CommandLog.describe(.reserve(ShowID("s"), seats: [SeatID("A-1"), SeatID("A-2")], customer: "Zoë")) == #"reserveSeats s A-1,A-2 for "Zoë""#)
        #expect(CommandLog.describe(.best(ShowID("s"), quantity: 2, section: nil, customer: "Bo")) == #"reserveBestAvailable s 2 for "Bo""#)
        #expect(CommandLog.describe(.accepted(positions: [41, 42], events: [], duplicate: false)) == "done at #41…#42")
        #expect(CommandLog.describe(.refused(.showNotFound(ShowID("x")))).hasPrefix("refused: "))
        #expect(!CommandLog.describe(.failed("disk\nfull")).contains("\n"))
    }
}
