import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// The running engine as the console sees it: a `Runtime` behind `ConsoleClient`.
public final class EngineClient: ConsoleClient {
    public let runtime: Runtime
    public init(runtime: Runtime) {
        self.runtime = runtime
    }

    public func now() -> Date { runtime.clock.now() }
    public var speed: Double { runtime.speed }

    public func snapshot() -> ConsoleSnapshot {
        let bus = runtime.bus
        let statuses = bus.statuses
        return ConsoleSnapshot(
            models: runtime.read.snapshot(), head: bus.headPosition, lag: statuses.map(\.lag).max() ?? 0,
            failures: bus.failures.map(SubscriberFailure.init), notices: bus.notices,
            health: BusHealth(statuses: statuses, storeProblem: bus.storeProblem)
        )
    }

    public func onChange(_ body: @escaping @Sendable () -> Void) { runtime.bus.onAdvance(body) }

    public func send(_ request: CommandRequest, as actor: String) async -> CommandOutcome {
        let box = runtime.box
        let context = CommandContext(actor: actor)
        do throws(BoxOfficeError) {
            let result: CommandResult
            switch request {
            case .command(let command): result = try await box.execute(command, context)
            case .reserve(let show, let seats, let customer): result = try await box.reserveSeats(show, seats: seats, customer: customer, context)
            case .best(let show, let quantity, let section, let customer):
                result = try await box.reserveBestAvailable(show, quantity: quantity, section: section, customer: customer, context)
            }
            return .accepted(positions: result.positions, events: result.events, duplicate: result.duplicate)
        } catch {
            if case .refused(let reason) = error { return .refused(reason) }
            return .failed(error.description)
        }
    }

    public func resolve(failure id: Int64, by action: FailureAction) async -> Result<SubscriberFailure, ClientError> {
        let (store, bus, now) = (runtime.store, runtime.bus, runtime.clock.now())
        do throws(FailureResolution.Failure) {
            let record = switch action {
            case .retry: try FailureResolution.retry(id, in: store, at: now, bus: bus)
            case .skip: try FailureResolution.skip(id, in: store, at: now, bus: bus)
            }
            return .success(SubscriberFailure(record))
        } catch {
            return .failure(ClientError(error.description))
        }
    }

    public func seatHistory(_ seat: SeatID, of show: ShowID) async -> Result<SeatProvenance, ClientError> {
        let store = runtime.store
        return await Task.detached { Provenance.seat(seat, of: show, in: store) }.value
    }

    public func eventDetails(at position: Int64) async -> Result<EventDetails, ClientError> {
        let store = runtime.store
        return await Task.detached { Self.details(at: position, store: store) }.value
    }

    public func seatMap(of show: ShowID) async -> [AvailableSeats.Section] {
        let store = runtime.store
        return await Task.detached { Self.seatMap(of: show, store: store) }.value
    }

    public func history() async -> HistoryModels {
        let read = runtime.read
        return await Task.detached { (try? read.history()) ?? HistoryModels() }.value
    }

    public func orders(_ query: OrderQuery) async -> Result<OrderSearch, ClientError> {
        let store = runtime.store
        return await Task.detached { Result { try ReadSide.orders(query, in: store) }.mapError { ClientError("cannot read the orders: \($0)") } }.value
    }

    public func customer(_ name: String) async -> Result<CustomerRecord?, ClientError> {
        let store = runtime.store
        return await Task.detached { Result { try ReadSide.customer(name, in: store) }.mapError { ClientError("cannot read the customer: \($0)") } }.value
    }

    public func sagas() async -> Result<SagaBoard, ClientError> {
        let (store, now) = (runtime.store, runtime.clock.now())
        return await Task.detached { Result { try SagaLanes.board(in: store, now: now) }.mapError { ClientError("cannot read the sagas: \($0)") } }.value
    }

    public func firstFrameShown() { runtime.startSaga() }

    // MARK: - Reads behind the console's dialogs

    /// A show's sections with every seat, folded from its inventory stream (empty when it cannot be read).
    public static func seatMap(of show: ShowID, store: any EventStore) -> [AvailableSeats.Section] {
        guard let inventory = try? InventoryState.current(of: show, in: store) else { return [] }
        return AvailableSeats.sections(from: inventory)
    }

    /// Events after and before an event that the story of one correlation id is looked for in:
    /// a reservation's hold, payment and confirmation lie within minutes of each other.
    static let storyWindow = (before: Int64(500), after: 2_000)
    static let storyLimit = 12

    /// One event in full, with the other events of its story near it.
    static func details(at position: Int64, store: any EventStore) -> Result<EventDetails, ClientError> {
        guard let event = try? store.readAll(after: position - 1, limit: 1).first else { return .failure(ClientError("no event at #\(position)")) }
        let codec = EventCodec()
        var lines: [String] = []
        if let object = try? JSONSerialization.jsonObject(with: event.payload),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
            lines = String(decoding: pretty, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        var story: [EventSummary] = []
        if let correlation = event.metadata.correlationId {
            let near = (try? store.readAll(after: max(position - 1 - storyWindow.before, 0), limit: Int(storyWindow.before) + storyWindow.after)) ?? []
            for other in near where other.position != position && other.metadata.correlationId == correlation {
                guard story.count < storyLimit, let domain = try? codec.decode(other) else { continue }
                story.append(summary(other, domain))
            }
        }
        let domain = try? codec.decode(event)
        let causes = Provenance.causes(of: event, in: store)
        // What it led to: within its reservation's life, or else among the events near it.
        let conversation: [RecordedEvent] = if let reservation = domain.flatMap(Provenance.reservation(of:)) {
            (try? Provenance.conversation(of: reservation, in: store)) ?? []
        } else {
            (try? store.readAll(after: position, limit: storyWindow.after)) ?? []
        }
        let summarize = { (recorded: RecordedEvent) -> EventSummary? in (try? codec.decode(recorded)).map { Provenance.summary(recorded, $0) } }
        var details = EventDetails(
            event: domain.map { summary(event, $0) } ?? EventSummary(
                position: event.position, recordedAt: event.recordedAt, type: event.type, summary: "", actor: event.metadata.actor,
                correlationId: event.metadata.correlationId
            ),
            stream: event.streamId, streamVersion: event.streamVersion, causationId: event.metadata.causationId, payloadLines: lines, story: story
        )
        details.causedBy = causes.chain.compactMap(summarize)
        (details.rootCommand, details.rootActor) = (causes.root.metadata.commandId, causes.root.metadata.actor)
        details.led = Provenance.effects(of: event, among: conversation).compactMap(summarize)
        return .success(details)
    }

    private static func summary(_ event: RecordedEvent, _ domain: DomainEvent) -> EventSummary { Provenance.summary(event, domain) }
}

extension DomainEvent {
    /// The seats an inventory event names.
    var seatsNamed: [SeatID]? {
        switch self {
        case .seatsHeld(let e): e.seats
        case .seatsReleased(let e): e.seats
        case .seatsSold(let e): e.seats
        case .seatsBlocked(let e): e.seats
        case .seatsUnblocked(let e): e.seats
        default: nil
        }
    }
}

extension SubscriberFailure {
    init(_ record: FailureRecord) {
        self.init(
            id: record.id, subscriber: record.subscriber, position: record.position, eventType: record.eventType, error: record.error,
            attempts: record.attempts, lastAttemptAt: record.lastAttemptAt
        )
    }
}

extension BusHealth {
    public init(statuses: [EventBus.Status], storeProblem: String?) {
        self.init(storeProblem: storeProblem)
        for status in statuses {
            switch status.state {
            case .running: continue
            case .retrying(let attempt, _, let error):
                retrying += 1
                retryingLines.append("\(status.name) retrying (attempt \(attempt)) at #\(status.checkpoint + 1): \(error)")
            case .stopped: stopped += 1
            }
        }
    }
}
