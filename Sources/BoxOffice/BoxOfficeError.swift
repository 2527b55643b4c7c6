import EventStore
import Ticketing

/// Why a command did not go through: refused by the rules, or the store failed (busy past the
/// lock deadline, full, gone). The description is what the operator reads in the status line or on stderr.
public enum BoxOfficeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The domain refused the command (exit code 1).
    case refused(TicketingError)
    /// A stream moved under the command although it was decided holding the write lock (the
    /// writer's cache disagreed with the store); the batch was redone `attempts` times.
    case concurrencyConflict(stream: String, attempts: Int)
    case store(EventStoreError)
    case unreadable(CodecError)
    /// The box office was shut down before the command ran.
    case stopped

    public var description: String {
        switch self {
        case .refused(let error): error.description
        case .concurrencyConflict(let stream, let attempts):
            "\(stream) moved under this command although the store was locked (\(attempts) attempts); nothing was written, try again"
        case .store(let error): error.description
        case .unreadable(let error): error.description
        case .stopped: "the box office is shutting down; the command was not run"
        }
    }

    /// True when the domain refused the command, as opposed to an environment failure.
    public var isRefusal: Bool {
        if case .refused = self { return true }
        return false
    }
}

/// What a command did: the events it appended (with positions), or that it was a repeat.
public struct CommandResult: Sendable, Hashable {
    public var positions: [Int64]
    public var events: [DomainEvent]
    /// True when the command id had been recorded before and nothing new was appended.
    public var duplicate: Bool
    public var correlationId: String

    /// The reservation the command created or acted on, if any.
    public var reservationID: ReservationID? {
        for event in events {
            switch event {
            case .reservationRequested(let e): return e.reservationId
            case .reservationConfirmed(let e): return e.reservationId
            case .reservationCancelled(let e): return e.reservationId
            case .reservationExpired(let e): return e.reservationId
            case .holdExtended(let e): return e.reservationId
            default: continue
            }
        }
        return nil
    }
}

/// Who asked and in what story: recorded in every event's metadata.
public struct CommandContext: Sendable, Hashable {
    public var actor: String
    /// Makes a retry harmless: the same id twice appends once, across restarts and processes.
    public var commandId: String?
    public var correlationId: String?
    public var causationId: String?

    public init(actor: String, commandId: String? = nil, correlationId: String? = nil, causationId: String? = nil) {
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId
        self.causationId = causationId
    }
}

/// One command as a process's log records it: what, by whom, how it ended, in how long.
public struct CommandTrace: Sendable {
    public var command: Command
    public var context: CommandContext
    public var result: Result<CommandResult, BoxOfficeError>
    /// From submission to answer (waiting for the writer included).
    public var milliseconds: Double

    /// The conversation it belongs to: the one it was sent on, or the one its events were recorded with.
    public var correlationId: String? {
        if case .success(let result) = result, !result.correlationId.isEmpty { return result.correlationId }
        return context.correlationId
    }
}
