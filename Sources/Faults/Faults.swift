import Foundation

/// Deliberate defects, for proving that the reliability tests fail when a promise breaks.
///
/// Each fault disables one safeguard. They exist only in debug builds (release builds compile
/// every check in and every fault out), and nothing in a normal run turns one on: a test
/// injects them for the work it starts (`Faults.$injected.withValue`), and a debug binary
/// started by a test reads `MARQUEE_TEST_FAULT` (comma-separated names). Objects that run work
/// on their own threads (the store, the command writer, the saga) capture the active faults
/// when they are created.
public struct Fault: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// R1: appends ignore expected stream versions (no optimistic concurrency).
    public static let skipVersionCheck = Fault(rawValue: 1 << 0)
    /// R2: a read model's rows are saved but its checkpoint is lost, as if killed between two
    /// separate transactions.
    public static let loseCheckpoint = Fault(rawValue: 1 << 1)
    /// R2: the command writer acknowledges one batch in ten without committing it.
    public static let acknowledgeWithoutCommit = Fault(rawValue: 1 << 2)
    /// R3: the saga does not re-arm its timers from the ledger when it starts, so holds that
    /// fell due while nothing ran are forgotten.
    public static let skipRearmOnStart = Fault(rawValue: 1 << 3)
    /// R4: the store opens files that are not Marquee stores (or are newer) instead of refusing.
    public static let acceptForeignFile = Fault(rawValue: 1 << 4)
    /// R5: the terminal is not restored when the console stops.
    public static let skipTerminalRestore = Fault(rawValue: 1 << 5)
    /// R6: text reaches the screen as given: not sanitised, and zero-width characters (controls
    /// among them) written into cells.
    public static let rawText = Fault(rawValue: 1 << 6)
    /// R7: events are written without actor and correlation ids.
    public static let dropAccountability = Fault(rawValue: 1 << 7)

    public static let named: [(String, Fault)] = [
        ("skipVersionCheck", .skipVersionCheck), ("loseCheckpoint", .loseCheckpoint),
        ("acknowledgeWithoutCommit", .acknowledgeWithoutCommit), ("skipRearmOnStart", .skipRearmOnStart),
        ("acceptForeignFile", .acceptForeignFile), ("skipTerminalRestore", .skipTerminalRestore),
        ("rawText", .rawText), ("dropAccountability", .dropAccountability),
    ]

    public var description: String {
        let names = Self.named.filter { contains($0.1) }.map(\.0)
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }
}

public enum Faults {
    #if DEBUG
    /// Faults a test injected for the work it runs.
    @TaskLocal public static var injected: Fault = []

    /// Faults a test asked a debug binary for, through the environment.
    public static let fromEnvironment: Fault = {
        guard let value = ProcessInfo.processInfo.environment["MARQUEE_TEST_FAULT"] else { return [] }
        let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return Fault(Fault.named.filter { names.contains($0.0) }.map(\.1))
    }()

    /// The faults in force here and now.
    public static var active: Fault { injected.union(fromEnvironment) }
    #else
    public static var active: Fault { [] }
    #endif
}
