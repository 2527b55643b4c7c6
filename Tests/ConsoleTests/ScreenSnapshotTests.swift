import BoxOffice
import Console
import ConsoleClient
import Foundation
import SnapshotTesting
import Testing
import TerminalUI
import Ticketing

/// Every screen as text and style layer. Re-record after an intended change with
/// `SNAPSHOT_TESTING_RECORD=all swift test --filter ScreenSnapshotTests` and review the diff.
@Suite("Screen snapshots", .serialized)
struct ScreenSnapshotTests {
    func press(_ state: inout AppState, _ keys: [Key]) {
        for key in keys { _ = Reducer.reduce(into: &state, .key(key)) }
    }

    @Test(arguments: ["default", "mono"])
    func dashboard(_ themeName: String) async throws {
        var state = try await ScreenFixture.state()
        state.show = ShowID("grand-hall-sat")
        press(&state, [.right, .right, .down, .character(" "), .right, .character(" ")])
        let theme = try ConsoleFixture.theme(themeName)
        assertSnapshot(of: screen(state, width: 120, height: 40), as: .screen(theme), named: "120x40-\(themeName)")
        assertSnapshot(of: screen(state, width: 80, height: 24), as: .screen(theme), named: "80x24-\(themeName)")
    }

    @Test func arenaDashboardAt200x60() async throws {
        var state = try await ScreenFixture.state()
        state.show = ShowID("harbour-live-fri")
        press(&state, [.tab])
        assertSnapshot(of: screen(state, width: 200, height: 60), as: .screen(try ConsoleFixture.theme("default")), named: "arena")
    }

    @Test(arguments: ["shows", "failures", "help"])
    func otherScreens(_ name: String) async throws {
        var state = try await ScreenFixture.state()
        press(&state, [.character(name == "shows" ? "2" : name == "failures" ? "3" : "?")])
        for themeName in ["default", "mono"] {
            let theme = try ConsoleFixture.theme(themeName)
            assertSnapshot(of: screen(state, width: 120, height: 40), as: .screen(theme), named: "\(name)-120x40-\(themeName)")
            assertSnapshot(of: screen(state, width: 80, height: 24), as: .screen(theme), named: "\(name)-80x24-\(themeName)")
        }
    }

    @Test func dialogs() async throws {
        let fixture = try await ScreenFixture.state()
        let theme = try ConsoleFixture.theme("default")
        var reject = fixture
        press(&reject, [.character("2"), .character("x"), .character("N"), .character("o")])
        assertSnapshot(of: screen(reject, width: 120, height: 40), as: .screen(theme), named: "reject")
        var reserve = fixture
        reserve.show = ShowID("grand-hall-sat")
        press(&reserve, [.right, .down, .character(" "), .right, .character(" "), .character("r"), .character("A"), .character("n"), .character("n")])
        assertSnapshot(of: screen(reserve, width: 120, height: 40), as: .screen(theme), named: "reserve")
        var cancel = fixture
        cancel.show = ShowID("grand-hall-sat")
        press(&cancel, [.tab, .character("c")])
        assertSnapshot(of: screen(cancel, width: 120, height: 40), as: .screen(theme), named: "cancel")
        var close = fixture
        close.show = ShowID("grand-hall-sat")
        press(&close, [.character("z")])
        assertSnapshot(of: screen(close, width: 120, height: 40), as: .screen(theme), named: "close-sales")
    }

    /// Screen 4 with the fixture's holds as held orders and one order of every other state.
    static func ordersState() async throws -> AppState {
        var state = try await ScreenFixture.state()
        _ = Reducer.reduce(into: &state, .key(.character("4")))
        var orders = state.models.holds.byExpiry().map { hold in
            Orders.Order(
                reservationId: hold.reservationId, showId: hold.showId, customer: hold.customer, seats: hold.seats, amount: hold.amount,
                status: .held, heldAt: hold.heldAt, expiresAt: hold.expiresAt
            )
        }
        let ended: [Orders.Status] = [.paid, .confirmed, .refundPending, .refunded, .cancelled, .expired, .compensated, .requested]
        for (index, status) in ended.enumerated() {
            let heldAt = state.now.addingTimeInterval(Double(-600 - 60 * index))
            orders.append(Orders.Order(
                reservationId: ReservationID("R-ENDED00\(index)"), showId: ShowID("grand-hall-sat"), customer: "Ines Okafor",
                seats: [SeatID(section: "Stalls", row: "C", number: 4 + index), SeatID(section: "Stalls", row: "C", number: 5 + index)],
                amount: Money(minor: 13_000, currency: "EUR"), status: status, heldAt: heldAt, expiresAt: heldAt.addingTimeInterval(300),
                paidAt: [.paid, .confirmed, .refundPending, .refunded].contains(status) ? heldAt.addingTimeInterval(40) : nil
            ))
        }
        let search = OrderSearch.select(orders, OrderQuery(), position: state.head)
        _ = Reducer.reduce(into: &state, .ordersLoaded(OrderQuery(), .success(search)))
        return state
    }

    @Test(arguments: ["default", "mono"])
    func ordersScreen(_ themeName: String) async throws {
        var state = try await Self.ordersState()
        press(&state, [.down, .down])
        let theme = try ConsoleFixture.theme(themeName)
        assertSnapshot(of: screen(state, width: 120, height: 40), as: .screen(theme), named: "120x40-\(themeName)")
        assertSnapshot(of: screen(state, width: 80, height: 24), as: .screen(theme), named: "80x24-\(themeName)")
    }

    @Test func ordersDialogs() async throws {
        let fixture = try await Self.ordersState()
        let theme = try ConsoleFixture.theme("default")
        var search = fixture
        press(&search, [.character("/"), .character("I"), .character("n")])
        assertSnapshot(of: screen(search, width: 120, height: 40), as: .screen(theme), named: "search")
        var refund = fixture
        let confirmed = try #require(refund.orderSearch?.orders.firstIndex { $0.status == .confirmed })
        refund.orderList.selected = confirmed
        press(&refund, [.character("c"), .character("r"), .character("e"), .enter])
        assertSnapshot(of: screen(refund, width: 120, height: 40), as: .screen(theme), named: "refund-mistyped")
        var customer = fixture
        let orders = try #require(customer.orderSearch?.orders.filter { $0.customer == "Ines Okafor" })
        let history = CustomerHistory.Customer(
            name: "Ines Okafor", purchases: 2, tickets: 4, spentMinor: 26_000, currency: "EUR", showTickets: ["grand-hall-sat": 4],
            sectionTickets: ["Stalls": 4]
        )
        _ = Reducer.reduce(into: &customer, .customerLoaded("Ines Okafor", .success(CustomerRecord(name: "Ines Okafor", history: history, orders: orders))))
        assertSnapshot(of: screen(customer, width: 120, height: 40), as: .screen(theme), named: "customer")
    }

    @Test(arguments: ["default", "mono"])
    func newShowForm(_ themeName: String) async throws {
        var state = try await NewShowFormTests.opened()
        for character in "gala" { _ = Reducer.reduce(into: &state, .key(.character(character))) }
        press(&state, [.tab])
        for character in "Gala Night" { _ = Reducer.reduce(into: &state, .key(.character(character))) }
        press(&state, [.tab])
        for character in "hall" { _ = Reducer.reduce(into: &state, .key(.character(character))) }
        press(&state, [.tab])
        _ = Reducer.reduce(into: &state, .venueLoaded("hall", .success(NewShowFormTests.venue)))
        for _ in 0..<4 { press(&state, [.backspace]) }
        press(&state, [.tab])
        let theme = try ConsoleFixture.theme(themeName)
        assertSnapshot(of: screen(state, width: 120, height: 40), as: .screen(theme), named: "120x40-\(themeName)")
        assertSnapshot(of: screen(state, width: 80, height: 24), as: .screen(theme), named: "80x24-\(themeName)")
    }

    /// Screen 5 with three lanes: a stuck payment first, a hold on time, a refund under way.
    static func sagasState() async throws -> AppState {
        var state = try await ScreenFixture.state()
        _ = Reducer.reduce(into: &state, .key(.character("5")))
        let now = state.now
        func lane(_ id: String, _ step: String, ago: Double, expected: Double, stuck: String?) -> SagaLane {
            SagaLane(
                reservationId: ReservationID(id), showId: ShowID("grand-hall-sat"), amount: Money(minor: 8_500, currency: "EUR"), step: step,
                since: now.addingTimeInterval(-ago), expected: expected, stuck: stuck, expiresAt: now.addingTimeInterval(200), correlationId: "C-\(id)",
                lastPosition: 100
            )
        }
        let lanes = SagaLane.ordered([
            lane("R-ONTIME01", "held, awaiting payment", ago: 40, expected: 310, stuck: nil),
            lane("R-STUCK001", "payment requested", ago: 95, expected: 30, stuck: "payment requested 95 s ago and no outcome (a gateway answers within 30 s)"),
            lane("R-REFUND01", "refunding the payment", ago: 2, expected: 10, stuck: nil),
        ], now: now)
        _ = Reducer.reduce(into: &state, .sagasLoaded(.success(SagaBoard(lanes: lanes, position: state.head))))
        return state
    }

    @Test(arguments: ["default", "mono"])
    func sagasScreen(_ themeName: String) async throws {
        let state = try await Self.sagasState()
        #expect(state.sagaBoard?.lanes.first?.reservationId == ReservationID("R-STUCK001"), "stuck first")
        let theme = try ConsoleFixture.theme(themeName)
        assertSnapshot(of: screen(state, width: 120, height: 40), as: .screen(theme), named: "120x40-\(themeName)")
        assertSnapshot(of: screen(state, width: 80, height: 24), as: .screen(theme), named: "80x24-\(themeName)")
    }

    @Test func palette() async throws {
        let fixture = try await ScreenFixture.state()
        let theme = try ConsoleFixture.theme("default")
        var choices = fixture
        press(&choices, [.character(":"), .character("s"), .character("h"), .tab])
        assertSnapshot(of: screen(choices, width: 120, height: 40), as: .screen(theme), named: "choices")
        var refused = fixture
        press(&refused, [.character(":"), .character("z"), .enter])
        assertSnapshot(of: screen(refused, width: 80, height: 24), as: .screen(theme), named: "refused-80x24")
    }

    @Test func tooSmallAndReadOnly() async throws {
        let fixture = try await ScreenFixture.state()
        let theme = try ConsoleFixture.theme("default")
        assertSnapshot(of: screen(fixture, width: 79, height: 30), as: .screen(theme), named: "too-small")
        var readOnly = fixture
        readOnly.readOnly = true
        assertSnapshot(of: screen(readOnly, width: 120, height: 40), as: .screen(theme), named: "read-only")
    }
}

@Suite("Console: a read side in trouble")
struct ReadSideTroubleTests {
    @Test func subscribersBackingOffWithoutARecordShowInTheHeaderAndOnTheFailuresScreen() async throws {
        let world = try await ConsoleFixture.world()
        var state = world.state
        let statuses = [
            EventBus.Status(name: "holds", checkpoint: 135, lag: 1, state: .retrying(attempt: 9, next: state.now, error: "disk full; the failure could not be recorded either")),
            EventBus.Status(name: "showQueue", checkpoint: 136, lag: 0, state: .running),
        ]
        _ = Reducer.reduce(into: &state, .modelsUpdated(state.models, head: 136, lag: 1, failures: [], health: BusHealth(statuses: statuses, storeProblem: nil)))
        let dashboard = screen(state, width: 120, height: 40).lines
        #expect(dashboard[0].contains("⚠ 1 RETRYING"), "\(dashboard[0])")
        _ = Reducer.reduce(into: &state, .key(.character("3")))
        let failures = screen(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(failures.contains("holds retrying (attempt 9) at #136: disk full"), "\(failures)")
        #expect(failures.contains("no failure recorded yet") && !failures.contains("every subscriber is running"))
    }
}
