import ConsoleClient
import EventStore
import Foundation
import Synchronization
import Ticketing

/// The application's front door for commands: decides them against current state and appends
/// their events through the process's single group-commit writer.
public final class BoxOffice: Sendable {
    /// Tunables; the defaults are what production uses.
    public struct Options: Sendable {
        /// How long a new hold lasts before it expires unpaid.
        public var holdDuration: TimeInterval = 300
        /// Save a snapshot of a stream every this many events.
        public var snapshotEvery = 100
        /// The rules commands are decided by; nil: the ones recorded in the store (`StorePolicy`).
        public var policy: Policy?

        public init() {}
    }

    public let store: any EventStore
    public let clock: any TimeSource
    public let ids: any IdentifierSource
    public let options: Options
    private let writer: CommandWriter

    public init(
        store: any EventStore, clock: any TimeSource = SystemClock(), ids: any IdentifierSource = RandomIdentifiers(),
        options: Options = Options()
    ) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.options = options
        writer = CommandWriter(store: store, clock: clock, ids: ids, snapshotEvery: options.snapshotEvery, policy: options.policy)
    }

    deinit { writer.stop() }

    /// Calls `observer` after every transaction that appended events, with those events as
    /// recorded and decoded (the event bus takes them instead of reading them back).
    public func onCommit(_ observer: @escaping @Sendable ([DeliveredEvent]) -> Void) {
        writer.commitObservers.withLock { $0.append(observer) }
    }

    /// Calls `observer` once every command is answered (on the writer's thread): what was
    /// asked, by whom, how it ended and how long it took from submission to answer. Each
    /// process's log holds one line per command from it (`marquee` installs one).
    public func onCommand(_ observer: @escaping @Sendable (CommandTrace) -> Void) {
        commandObservers.withLock { $0.append(observer) }
    }

    private let commandObservers = Mutex<[@Sendable (CommandTrace) -> Void]>([])

    /// `reply`, telling the command observers first (the unchanged reply when there are none).
    private func traced(
        _ command: Command, _ context: CommandContext, _ reply: @escaping @Sendable (Result<CommandResult, BoxOfficeError>) -> Void
    ) -> @Sendable (Result<CommandResult, BoxOfficeError>) -> Void {
        let observers = commandObservers.withLock { $0 }
        guard !observers.isEmpty else { return reply }
        let start = DispatchTime.now().uptimeNanoseconds
        return { result in
            let trace = CommandTrace(
                command: command, context: context, result: result,
                milliseconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            )
            for observer in observers { observer(trace) }
            reply(result)
        }
    }

    /// Blocks until every command submitted so far has been answered.
    public func waitUntilIdle() { writer.waitUntilIdle() }

    /// Finishes queued commands and refuses new ones.
    public func close() { writer.stop() }

    /// Runs one command; the result lists the events appended, or the error says why none were.
    public func execute(_ command: Command, _ context: CommandContext) async throws(BoxOfficeError) -> CommandResult {
        var context = context
        if context.correlationId == nil { context.correlationId = conversation(of: command) }
        return try await run(CommandWriter.Pending(command: command, context: context, reply: { _ in }))
    }

    /// The correlation id of the reservation a command acts on, so that paying, extending or
    /// cancelling it — by a buyer, an operator or a script — goes on the same conversation as
    /// its request (`marquee events --correlation`). Nil for a new one, or when it cannot be read.
    func conversation(of command: Command) -> String? {
        let reservation: ReservationID
        switch command {
        case .extendHold(let r, _), .cancelReservation(let r), .confirmReservation(let r), .expireHold(let r), .compensateReservation(let r, _),
             .refundReservation(let r), .requestPayment(let r, _):
            reservation = r
        default:
            return nil
        }
        return (try? store.read(stream: StreamRef.reservation(reservation).name, fromVersion: 1))?.first?.metadata.correlationId
    }

    /// Submits a command without waiting; `reply` is called on the writer thread.
    public func submit(_ command: Command, _ context: CommandContext, reply: @escaping @Sendable (Result<CommandResult, BoxOfficeError>) -> Void) {
        writer.submit(CommandWriter.Pending(command: command, context: context, reply: traced(command, context, reply)))
    }

    /// Holds the chosen seats for `customer`, with a fresh reservation id and the configured hold.
    public func reserveSeats(
        _ show: ShowID, seats: [SeatID], customer: String, _ context: CommandContext
    ) async throws(BoxOfficeError) -> CommandResult {
        let command = Command.reserveSeats(
            show, seats: seats, customer: customer, reservation: ids.reservationID(), holdFor: options.holdDuration
        )
        return try await run(CommandWriter.Pending(command: command, context: context, generatedReservation: true, reply: { _ in }))
    }

    /// Holds the best `quantity` adjacent seats (optionally in one section) for `customer`.
    public func reserveBestAvailable(
        _ show: ShowID, quantity: Int, section: String? = nil, customer: String, _ context: CommandContext
    ) async throws(BoxOfficeError) -> CommandResult {
        let command = Command.reserveBestAvailable(
            show, quantity: quantity, section: section, customer: customer, reservation: ids.reservationID(),
            holdFor: options.holdDuration
        )
        return try await run(CommandWriter.Pending(command: command, context: context, generatedReservation: true, reply: { _ in }))
    }

    /// Events read from the store by the writer while loading aggregates (for tests).
    var eventsLoaded: Int { writer.loader.eventsRead }

    private func run(_ template: CommandWriter.Pending) async throws(BoxOfficeError) -> CommandResult {
        let result: Result<CommandResult, BoxOfficeError> = await withCheckedContinuation { continuation in
            writer.submit(CommandWriter.Pending(
                command: template.command, context: template.context, generatedReservation: template.generatedReservation,
                reply: traced(template.command, template.context) { continuation.resume(returning: $0) }
            ))
        }
        return try result.get()
    }
}
