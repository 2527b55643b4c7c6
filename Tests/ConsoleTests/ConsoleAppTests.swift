import Console
import ConsoleClient
import Foundation
import Synchronization
import Testing
import TerminalUI
import Ticketing

/// A client made of plain values: it records what the console asks and answers what a test
/// says, so the loop is tested without SQLite, a bus or a saga.
final class FakeClient: ConsoleClient {
    struct State {
        var snapshot: ConsoleSnapshot
        var answer: CommandOutcome = .failed("no answer set")
        var sent: [(CommandRequest, String)] = []
        var listeners: [@Sendable () -> Void] = []
        var firstFrames = 0
    }

    let state: Mutex<State>
    let clock = Date(timeIntervalSince1970: 1_800_000_000)

    init(_ snapshot: ConsoleSnapshot) { state = Mutex(State(snapshot: snapshot)) }

    func now() -> Date { clock }
    var speed: Double { 1 }
    func snapshot() -> ConsoleSnapshot { state.withLock { $0.snapshot } }
    func onChange(_ body: @escaping @Sendable () -> Void) { state.withLock { $0.listeners.append(body) } }

    func send(_ request: CommandRequest, as actor: String) async -> CommandOutcome {
        state.withLock { state in
            state.sent.append((request, actor))
            return state.answer
        }
    }

    func resolve(failure id: Int64, by action: FailureAction) async -> Result<SubscriberFailure, ClientError> { .failure(ClientError("none")) }
    func seatHistory(_ seat: SeatID, of show: ShowID) async -> Result<SeatProvenance, ClientError> { .success(SeatProvenance(events: [], reservations: [])) }
    func eventDetails(at position: Int64) async -> Result<EventDetails, ClientError> { .failure(ClientError("no event at #\(position)")) }
    func seatMap(of show: ShowID) async -> [AvailableSeats.Section] { [] }
    func history() async -> HistoryModels { HistoryModels() }
    func orders(_ query: OrderQuery) async -> Result<OrderSearch, ClientError> { .success(OrderSearch()) }
    func customer(_ name: String) async -> Result<CustomerRecord?, ClientError> { .success(nil) }
    func sagas() async -> Result<SagaBoard, ClientError> { .success(SagaBoard()) }
    func firstFrameShown() { state.withLock { $0.firstFrames += 1 } }

    /// Hands the console a new snapshot, as the engine does after each bus pass.
    func publish(_ change: (inout ConsoleSnapshot) -> Void) {
        let listeners = state.withLock { state in
            change(&state.snapshot)
            return state.listeners
        }
        for listener in listeners { listener() }
    }
}

@Suite("Console loop against a fake client")
struct ConsoleAppTests {
    static let show = ShowID("club-fri")

    /// One submitted show in a 10-seat club.
    static func snapshot(status: ShowStatus.Stage) -> ConsoleSnapshot {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let show = ShowQueue.Show(
            id: Self.show, name: "Friday Club", venueId: "club", venueName: "The Club", startsAt: at.addingTimeInterval(86_400), capacity: 10,
            status: status, createdBy: "ana", createdAt: at, submittedBy: "ana", submittedAt: at, updatedAt: at
        )
        let section = AvailableSeats.Section(showId: Self.show, name: "Floor", index: 0, rows: [Venue.Row(label: "A", seats: 10, tier: "std")])
        let models = ReadModels(
            seats: RowSet([AvailableSeats.key(Self.show.rawValue, "Floor"): section]), shows: RowSet([Self.show.rawValue: show])
        )
        return ConsoleSnapshot(models: models, head: 3)
    }

    @Test func aKeyBecomesARequestItsOutcomeAndTheNextSnapshotReachTheScreen() async throws {
        let client = FakeClient(Self.snapshot(status: .submitted))
        let display = MemoryDisplay(width: 120, height: 40)
        let app = ConsoleApp(client: client, display: display, operatorName: "ana", readOnly: false, timeZone: TimeZone(identifier: "UTC")!)
        let loop = Task { await app.run() }
        #expect(await display.waitFor { $0.contains("Friday Club") })
        #expect(client.state.withLock { $0.firstFrames } == 1, "the first frame tells the engine once")

        // Refused: the domain's reason, in the status line; nothing else changes.
        client.state.withLock { $0.answer = .refused(.invalidTransition(subject: "show club-fri", from: "submitted", action: "approve")) }
        app.send(.character("2"))
        app.send(.character("a"))
        #expect(await display.waitFor { $0.contains("cannot approve show club-fri: it is submitted") }, "\(display.lines.joined(separator: "\n"))")
        let sent = client.state.withLock { $0.sent.map { "\($0.0) as \($0.1)" } }
        #expect(sent == ["\(CommandRequest.command(.approveShow(Self.show))) as ana"])

        // Accepted, then the engine's next snapshot: the status says so and the list shows it on sale.
        client.state.withLock { $0.answer = .accepted(positions: [4], events: [], duplicate: false) }
        app.send(.character("a"))
        #expect(await display.waitFor { $0.contains("approved club-fri: on sale") }, "\(display.lines.joined(separator: "\n"))")
        client.publish { $0 = Self.snapshot(status: .approved) }
        #expect(await display.waitFor { text in text.split(separator: "\n").contains { $0.contains("Friday Club") && $0.contains("on sale") } }, "\(display.lines.joined(separator: "\n"))")
        #expect(client.state.withLock { $0.firstFrames } == 1)

        app.finish()
        await loop.value
    }
}
