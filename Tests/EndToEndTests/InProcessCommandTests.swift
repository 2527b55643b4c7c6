import ArgumentParser
import BoxOffice
import EventStore
import Logging
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

    /// Each command a process answers is one log line: who, what (ids as they are, text quoted
    /// with control characters spelled out, so a name cannot forge a line), how it ended, and
    /// the same as key=value fields.
    @Test func everyCommandIsOneLogLineWithItsFieldsAndNoRawControlCharacters() async throws {
        #expect(CommandLog.describe(.approveShow(ShowID("grand-hall-sun"))) == "approveShow grand-hall-sun")
        #expect(CommandLog.describe(.rejectShow(ShowID("x"), reason: "Clash\n\u{1B}[2J")) == #"rejectShow x reason: "Clash\u{a}\u{1b}[2J""#)
        #expect(CommandLog.describe(.cancelShow(ShowID("x"), reason: nil)) == "cancelShow x reason: none")
        let lines = LogCapture()
        let logger = Logger(label: "test") { _ in lines }
        let box = BoxOffice(store: InMemoryEventStore())
        CommandLog.install(on: box, logger)
        let venue = Venue(id: "v", name: "V", currency: "EUR", tiers: [.init(id: "t", name: "T", priceMinor: 100)],
                          sections: [.init(name: "S", rows: [.init(label: "A", seats: 2, tier: "t")])])
        _ = try await box.execute(.createShow(ShowID("s"), name: "Zoë\n", venue: venue, startsAt: Date().addingTimeInterval(3_600)), CommandContext(actor: "ana", commandId: "cmd-1", correlationId: "C-1"))
        _ = try? await box.execute(.approveShow(ShowID("s")), CommandContext(actor: "ana"))
        box.close()
        let logged = lines.entries
        #expect(logged.count == 2)
        let created = try #require(logged.first)
        #expect(created.message.hasPrefix("ana createShow s name: \"Zoë\\u{a}\""), "\(created.message)")
        #expect(created.message.hasSuffix(": done at #1…#2") && !created.message.contains("\n"))
        #expect(created.fields["command"] == "createShow" && created.fields["id"] == "cmd-1" && created.fields["actor"] == "ana")
        #expect(created.fields["correlation"] == "C-1" && created.fields["outcome"] == "done" && created.fields["positions"] == "1-2")
        #expect(Double(created.fields["ms"] ?? "") != nil)
        #expect(logged[1].fields["outcome"] == "refused" && logged[1].message.contains("refused: "))
        #expect(FileLogHandler.value("Ann Lee") == #""Ann Lee""# && FileLogHandler.value("C-1") == "C-1" && FileLogHandler.value("a\u{1B}") == #""a\u{1b}""#)
    }
}

/// A log handler that keeps what it is given.
final class LogCapture: LogHandler, @unchecked Sendable {
    struct Entry { var message: String; var fields: [String: String] }
    private let lock = NSLock()
    private var kept: [Entry] = []
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var entries: [Entry] { lock.withLock { kept } }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
        lock.withLock { kept.append(Entry(message: "\(event.message)", fields: fields)) }
    }
}
