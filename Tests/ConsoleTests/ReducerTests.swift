import BoxOffice
@testable import Console
import ConsoleClient
import EventStore
import Foundation
import Synchronization
import Testing
import TerminalUI
import Ticketing

@Suite("Console reducer: every key")
struct ReducerTests {
    @discardableResult
    func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { Reducer.reduce(into: &state, .key($0)) }
    }

    func world(show: String = "grand-hall-sat") async throws -> AppState {
        var state = try await ScreenFixture.state()
        state.show = ShowID(show)
        return state
    }

    /// Presses `keys` and checks the whole outcome: the state must be the one before with
    /// exactly `change` applied, and the effects exactly `effects`.
    func expect(
        _ state: inout AppState, pressing keys: [Key], effects: [Effect] = [], sourceLocation: SourceLocation = #_sourceLocation,
        _ change: (inout AppState) -> Void
    ) {
        var expected = state
        change(&expected)
        let returned = keys.flatMap { Reducer.reduce(into: &state, .key($0)) }
        #expect(returned == effects, sourceLocation: sourceLocation)
        if state != expected {
            // Name the fields that differ rather than printing two whole states.
            let differences = zip(Mirror(reflecting: state).children, Mirror(reflecting: expected).children).compactMap { got, want in
                String(describing: got.value) == String(describing: want.value)
                    ? nil : "\(got.label ?? "?"): got \(String(describing: got.value).prefix(300)), expected \(String(describing: want.value).prefix(300))"
            }
            Issue.record("the state differs: \(differences.joined(separator: "; "))", sourceLocation: sourceLocation)
        }
    }

    /// The same, with the keys listed.
    func expect(
        _ state: inout AppState, pressing keys: Key..., effects: [Effect] = [], sourceLocation: SourceLocation = #_sourceLocation,
        _ change: (inout AppState) -> Void
    ) {
        expect(&state, pressing: keys, effects: effects, sourceLocation: sourceLocation, change)
    }

    @Test func theKeymapCoversEveryCommandAndGeneratesHintsAndHelp() {
        #expect(Set(Keymap.bindings.map(\.command)) == Set(KeyCommand.allCases))
        let keys = Keymap.bindings.flatMap(\.keys)
        for binding in Keymap.bindings {
            for key in binding.keys {
                // No key is bound twice on one screen.
                let clashes = Keymap.bindings.filter { other in other.keys.contains(key) && (other.screens.isEmpty || binding.screens.isEmpty || !other.screens.isDisjoint(with: binding.screens)) }
                #expect(clashes.count == 1, "\(key) is bound \(clashes.count) times")
            }
        }
        #expect(keys.contains(.character("r")) && keys.contains(.character("c")) && keys.contains(.character("s")) && keys.contains(.character("a")) && keys.contains(.character("x")))
        #expect(Keymap.hints(on: .dashboard, readOnly: false).map(\.key).prefix(5) == ["?", ":", "q", "␣", "r"])
        #expect(!Keymap.hints(on: .dashboard, readOnly: true).contains { $0.key == "r" })
        #expect(Keymap.active(on: .dashboard, readOnly: true).allSatisfy { !$0.writes })
    }

    @Test func screensPanelsAndQuit() async throws {
        var state = try await world()
        state.autoShow = nil
        expect(&state, pressing: .character("2")) {
            $0.screen = .shows
            $0.history = nil
            $0.shows.selected = 0
        }
        expect(&state, pressing: .character("3")) { $0.screen = .failures }
        expect(&state, pressing: .character("?")) { $0.screen = .help }
        expect(&state, pressing: .function(1)) { $0.screen = .dashboard }
        expect(&state, pressing: .tab) { $0.focus = .holds }
        expect(&state, pressing: .tab, .tab) { $0.focus = .seats }
        expect(&state, pressing: .backTab) { $0.focus = .feed }
        expect(&state, pressing: .character("q"), effects: [.quit]) { $0.quit = true }
    }

    @Test func arrowsAndVimKeysMoveTheCursorAcrossRowsAndSections() async throws {
        var state = try await world()
        state.autoShow = nil
        expect(&state, pressing: .right, .character("l"), .down, .character("j")) { $0.cursor = .init(section: 0, row: 2, seat: 2) }
        #expect(state.cursorSeat == SeatID("Stalls-C-3"))
        expect(&state, pressing: .left, .character("h"), .up, .character("k")) { $0.cursor = .init(section: 0, row: 0, seat: 0) }
        press(&state, .pageDown, .pageDown)
        #expect(state.cursor.section == 2)
        press(&state, .left)
        #expect(state.cursor.seat == 0)
    }

    @Test func spaceSelectsFreeSeatsOnlyAndRReservesThemForACustomer() async throws {
        var state = try await world()
        state.autoShow = nil
        expect(&state, pressing: .right, .character(" ")) {
            $0.cursor.seat = 1
            $0.selection = [SeatID("Stalls-A-2")]
        }
        expect(&state, pressing: .character(" ")) { $0.selection = [] }
        expect(&state, pressing: .right, .right, .right, .right, .right, .character(" ")) {
            $0.cursor.seat = 6
            $0.status = .init(text: "Stalls-A-7 is held; choose a free seat (●)", isError: true)
        }
        let show = ShowID("grand-hall-sat"), seats = [SeatID("Stalls-A-2"), SeatID("Stalls-A-3")]
        expect(&state, pressing: .left, .left, .left, .left, .left, .character(" "), .right, .character(" "), .character("r")) {
            $0.cursor.seat = 2
            $0.selection = Set(seats)
            $0.dialog = .reserve(show: show, seats: seats, customer: TextInputState("", limit: 80), error: nil)
        }
        expect(&state, pressing: .enter) {
            $0.dialog = .reserve(show: show, seats: seats, customer: TextInputState("", limit: 80), error: "the customer's name is required")
        }
        expect(&state, pressing: .character("A"), .character("n"), .character("n"), .enter, effects: [.reserve(show, seats: seats, customer: "Ann")]) {
            $0.dialog = nil
            $0.selection = []
        }
    }


    @Test func reservingOnAShowThatIsNotOnSaleIsRefusedInPlace() async throws {
        var state = try await world(show: "grand-hall-sun")
        state.autoShow = nil
        let refusal = AppState.Status(text: "show grand-hall-sun is not on sale (it is submitted): approve it first", isError: true)
        let seat = try #require(state.cursorSeat)
        expect(&state, pressing: .character(" "), .character("r")) {
            $0.selection = [seat]
            $0.status = refusal
        }
        expect(&state, pressing: .character("b")) { _ in }
        expect(&state, pressing: .character("r")) { _ in }
    }


    @Test func bAsksQuantitySectionAndCustomer() async throws {
        var state = try await world()
        state.autoShow = nil
        let show = ShowID("grand-hall-sat")
        func dialog(_ quantity: String, _ section: String = "", _ customer: String = "", field: Int, error: String? = nil) -> AppState.Dialog {
            .best(show: show, quantity: TextInputState(quantity, limit: 3), section: TextInputState(section, limit: 32),
                  customer: TextInputState(customer, limit: 80), field: field, error: error)
        }
        expect(&state, pressing: .character("b")) { $0.dialog = dialog("2", field: 0) }
        expect(&state, pressing: .backspace, .character("0"), .enter) {
            $0.dialog = dialog("0", field: 0, error: "quantity must be a number from 1 to 20")
        }
        expect(&state, pressing: .backspace, .character("4"), .tab, .character("C"), .character("i"), .character("r"), .character("c"), .character("l"), .character("e"), .tab) {
            $0.dialog = dialog("4", "Circle", field: 2)
        }
        expect(&state, pressing: .enter) { $0.dialog = dialog("4", "Circle", field: 2, error: "the customer's name is required") }
        expect(&state, pressing: .character("B"), .character("o"), .enter, effects: [.best(show, quantity: 4, section: "Circle", customer: "Bo")]) {
            $0.dialog = nil
        }
    }


    @Test func pCExtendAndBlockActOnTheHighlightedHoldAndSelection() async throws {
        var state = try await world()
        press(&state, .tab, .down)
        let hold = try #require(state.highlightedHold)
        let id = hold.reservationId
        let summary = try #require({ () -> String? in
            var probe = state
            press(&probe, .character("c"))
            guard case .cancelHold(_, let summary)? = probe.dialog else { return nil }
            return summary
        }())
        expect(&state, pressing: .character("p"), effects: [.command(.requestPayment(id, method: .boxOffice), done: "box-office payment under way for \(id)")]) { _ in }
        expect(&state, pressing: .character("e"), effects: [.command(.extendHold(id, by: 120), done: "\(id) extended by 2 minutes")]) { _ in }
        expect(&state, pressing: .character("c")) { $0.dialog = .cancelHold(reservation: id, summary: summary) }
        expect(&state, pressing: .character("n")) { $0.dialog = nil }
        expect(&state, pressing: .character("c"), .character("y"), effects: [.command(.cancelReservation(id), done: "cancelled \(id)")]) { _ in }
        expect(&state, pressing: .tab, .tab, .right, .down, .character(" ")) {
            $0.focus = .seats
            $0.cursor = .init(section: 0, row: 1, seat: 1)
            $0.selection = [SeatID("Stalls-B-2")]
        }
        expect(&state, pressing: .character("B"), effects: [.command(.blockSeats(ShowID("grand-hall-sat"), seats: [SeatID("Stalls-B-2")]), done: "blocked 1 seat")]) {
            $0.selection = []
        }
        expect(&state, pressing: .left, .up, .character(" ")) {
            $0.cursor = .init(section: 0, row: 0, seat: 0)
            $0.selection = [SeatID("Stalls-A-1")]
        }
        expect(&state, pressing: .character("U"), effects: [.command(.unblockSeats(ShowID("grand-hall-sat"), seats: [SeatID("Stalls-A-1")]), done: "unblocked 1 seat")]) {
            $0.selection = []
        }
    }

    @Test func showKeysActOnTheDashboardShowOrTheHighlightedRow() async throws {
        var state = try await world(show: "blue-note-open-mic")
        state.autoShow = nil
        expect(&state, pressing: .character("s"), effects: [.command(.submitShow(ShowID("blue-note-open-mic")), done: "submitted blue-note-open-mic for approval")]) { _ in }
        expect(&state, pressing: .character("2")) {
            $0.screen = .shows
            $0.history = nil
            $0.shows.selected = 0
        }
        let first = try #require(state.targetShow)
        #expect(first.status == .submitted)
        expect(&state, pressing: .character("a"), effects: [.command(.approveShow(first.id), done: "approved \(first.id): on sale")]) { _ in }
        expect(&state, pressing: .character("o"), effects: [.command(.reopenShow(first.id), done: "reopened \(first.id) as a draft")]) { _ in }
        // Closing sales cannot be undone: `z` asks first, naming the show; `n` keeps it on sale.
        expect(&state, pressing: .character("z")) { $0.dialog = .closeSales(show: first.id, name: first.name) }
        expect(&state, pressing: .character("n")) { $0.dialog = nil }
        expect(&state, pressing: .character("z"), .character("y"), effects: [.command(.closeSales(first.id), done: "closed sales for \(first.id)")]) { _ in }
        press(&state, .down)
        #expect(state.targetShow?.id != first.id)
    }

    /// `E` edits a draft's name and start in a form prefilled with both, checked field by field
    /// in place; a show past draft is told so and no dialog opens.
    @Test func eEditsADraftsNameAndStartCheckedInPlace() async throws {
        var state = try await world(show: "blue-note-open-mic")
        state.autoShow = nil
        let draft = try #require(state.targetShow)
        #expect(draft.status == .draft)
        press(&state, .character("E"))
        guard case .editShow(let show, let name, let starts, _, 0, nil)? = state.dialog else { Issue.record("\(String(describing: state.dialog))"); return }
        #expect(show == draft.id && name.text == draft.name && ShowStart.parse(starts.text, timeZone: state.timeZone) != nil)
        // An empty name is refused in place, on the name field.
        for _ in 0..<draft.name.count { press(&state, .backspace) }
        press(&state, .enter)
        guard case .editShow(_, _, _, _, 0, let error?)? = state.dialog else { Issue.record("no error for an empty name"); return }
        #expect(error.contains("name"))
        press(&state, .paste("Open Mic Late"))
        // A start that is not a time, then one that has passed, are refused on the start field.
        press(&state, .tab)
        for _ in 0..<40 { press(&state, .backspace) }
        press(&state, .paste("soon"))
        press(&state, .enter)
        guard case .editShow(_, _, _, _, 1, let notATime?)? = state.dialog else { Issue.record("no error for a bad start"); return }
        #expect(notATime.contains("2026-12-24 20:00"))
        for _ in 0..<4 { press(&state, .backspace) }
        press(&state, .paste("2001-01-01 10:00"))
        press(&state, .enter)
        guard case .editShow(_, _, _, _, 1, let passed?)? = state.dialog else { Issue.record("no error for a past start"); return }
        #expect(passed.contains("passed"))
        for _ in 0..<16 { press(&state, .backspace) }
        let later = state.now.addingTimeInterval(30 * 86_400)
        press(&state, .paste(ShowStart.editable(later, timeZone: state.timeZone)))
        let effects = Reducer.reduce(into: &state, .key(.enter))
        guard case .command(.editShow(draft.id, name: "Open Mic Late", startsAt: let startsAt?, prices: [:]), done: "edited \(draft.id)")? = effects.first else {
            Issue.record("\(effects)")
            return
        }
        #expect(abs(startsAt.timeIntervalSince(later)) < 60 && state.dialog == nil)
        // The start left as prefilled is no change: only the name is sent.
        press(&state, .character("E"))
        press(&state, .paste("!"))
        #expect(Reducer.reduce(into: &state, .key(.enter)) == [.command(.editShow(draft.id, name: draft.name + "!", startsAt: nil), done: "edited \(draft.id)")])
        // A price changed in the third field is sent, the others are not.
        press(&state, .character("E"), .tab, .tab, .end, .paste(" standard=1.5"))
        let repriced = Reducer.reduce(into: &state, .key(.enter))
        #expect(repriced == [.command(.editShow(draft.id, name: draft.name, startsAt: nil, prices: ["standard": 150]), done: "edited \(draft.id)")], "\(repriced)")
        press(&state, .character("E"), .tab, .tab, .end, .paste(" vip"))
        press(&state, .enter)
        guard case .editShow(_, _, _, _, 2, let badPrice?)? = state.dialog else { Issue.record("no error for a bad price"); return }
        #expect(badPrice.contains("TIER=AMOUNT"))
        state.dialog = nil
        // Past draft: said so, no dialog.
        press(&state, .character("s"))
        state.shows.selected = 0
        press(&state, .character("2"))
        let submitted = try #require(state.targetShow)
        #expect(submitted.status != .draft)
        press(&state, .character("E"))
        #expect(state.dialog == nil && state.status?.text.contains("only a draft can be edited") == true)
    }

    @Test func theHighlightedShowStaysHighlightedWhenTheListReorders() async throws {
        let world = try await ConsoleFixture.world()
        var state = world.state
        press(&state, .character("2"))
        let first = try #require(state.targetShow)
        #expect(first.status == .submitted)
        _ = try await world.runtime.box.execute(.approveShow(first.id), CommandContext(actor: "ana"))
        await world.runtime.settle()
        _ = Reducer.reduce(into: &state, .modelsUpdated(world.runtime.read.snapshot(), head: 1, lag: 0, failures: []))
        #expect(state.targetShow?.id == first.id)
        #expect(state.targetShow?.status == .approved)
    }

    @Test func xRefusesAnEmptyReasonInPlaceAndRejectsWithOne() async throws {
        var state = try await world()
        state.autoShow = nil
        expect(&state, pressing: .character("2")) {
            $0.screen = .shows
            $0.history = nil
            $0.shows.selected = 0
        }
        let show = try #require(state.targetShow).id
        expect(&state, pressing: .character("x"), .character(" "), .enter) {
            $0.dialog = .reject(show: show, reason: TextInputState(" ", limit: 10_000), error: TicketingError.emptyReason.description)
        }
        expect(&state, pressing: .character("L"), .character("a"), .character("t"), .character("e"), .enter,
               effects: [.command(.rejectShow(show, reason: "Late"), done: "rejected \(show)")]) { $0.dialog = nil }
    }

    @Test func cancellingAShowNeedsItsIdTyped() async throws {
        var state = try await world(show: "blue-note-thu")
        state.autoShow = nil
        let show = ShowID("blue-note-thu")
        expect(&state, pressing: .character("X"), .character("n"), .character("o"), .enter) {
            $0.dialog = .cancelShow(show: show, typed: TextInputState("no", limit: 64), error: "type blue-note-thu exactly to confirm")
        }
        expect(&state, pressing: .escape) { $0.dialog = nil }
        expect(&state, pressing: [.character("X")] + "blue-note-thu".map { Key.character($0) } + [.enter],
               effects: [.command(.cancelShow(show, reason: nil), done: "cancelled blue-note-thu; its sales are being refunded")]) { $0.dialog = nil }
    }

    @Test func showSwitchingFeedFollowFilterAndDetails() async throws {
        var state = try await world()
        press(&state, .character(">"))
        #expect(state.show != ShowID("grand-hall-sat"))
        press(&state, .character("<"))
        #expect(state.show == ShowID("grand-hall-sat"))
        expect(&state, pressing: .character("f")) {
            $0.following = false
            $0.status = .init(text: "feed paused", isError: false)
        }
        expect(&state, pressing: .character("f")) {
            $0.following = true
            $0.feed = ListState()
            $0.status = .init(text: "feed follows the newest events", isError: false)
        }
        press(&state, .character("/"), .character("H"), .character("e"), .character("l"), .character("d"), .enter)
        #expect(state.feedFilter == "Held")
        #expect(state.visibleFeed.allSatisfy { $0.type.contains("Held") || $0.stream.lowercased().contains("held") })
        #expect(press(&state, .enter) == [.seatHistory(ShowID("grand-hall-sat"), SeatID("Stalls-A-1"))])
        press(&state, .backTab)
        let entry = try #require(state.visibleFeed.first)
        #expect(press(&state, .enter) == [.eventDetails(position: entry.position)])
        _ = Reducer.reduce(into: &state, .detailsLoaded(title: "#1", lines: ["x"]))
        press(&state, .escape)
        #expect(state.dialog == nil)
        press(&state, .character("2"), .enter)
        guard case .details? = state.dialog else {
            Issue.record("expected show details")
            return
        }
    }

    @Test func failureKeysRetryAndSkipTheHighlightedFailure() async throws {
        var state = try await world()
        let failure = FailureRecordFixture.make()
        _ = Reducer.reduce(into: &state, .modelsUpdated(state.models, head: 1, lag: 0, failures: [failure]))
        state.autoShow = nil
        expect(&state, pressing: .character("3")) {
            $0.screen = .failures
            $0.failureList.selected = 0
        }
        expect(&state, pressing: .character("R"), effects: [.retryFailure(id: failure.id, subscriber: "holds")]) { _ in }
        expect(&state, pressing: .character("S"), effects: [.skipFailure(id: failure.id, subscriber: "holds")]) { _ in }
    }

    @Test func busRetriesFailuresAndSkipsShowInTheFeed() async throws {
        var state = try await world()
        let notice = EventBus.Notice(at: state.now, subscriber: "holds", message: "stopped at #12 (SeatsHeld) after 8 attempts: boom")
        _ = Reducer.reduce(into: &state, .modelsUpdated(state.models, head: 12, lag: 0, failures: [FailureRecordFixture.make()], notices: [notice]))
        let lines = screen(state, width: 120, height: 40).lines
        let feedTop = try #require(lines.firstIndex { $0.hasPrefix("┌ FEED") })
        #expect(lines[feedTop + 1].contains("⚠ holds: stopped at #12 (SeatsHeld) after 8 attempts: boom"))
        let cell = screen(state, width: 120, height: 40)[10, feedTop + 1]
        #expect(cell.role.name == "feed.type.failure")
    }

    @Test func readOnlyRefusesEveryWriteKeyWithAClearMessage() async throws {
        var state = try await world()
        state.readOnly = true
        state.autoShow = nil
        let refusal = AppState.Status(text: "read-only: this console cannot change the store; restart without --read-only to act", isError: true)
        for key in Keymap.bindings.filter(\.writes).flatMap(\.keys) {
            state.status = nil
            // Nothing but the status line changes, and only for a key the dashboard knows.
            expect(&state, pressing: key) { if Keymap.command(for: key, on: .dashboard, readOnly: true) != nil { $0.status = refusal } }
        }
    }

    @Test func aClickOnASeatSelectsItAndAClickOnAPanelFocusesIt() async throws {
        var state = try await world()
        state.autoShow = nil
        _ = Reducer.reduce(into: &state, .resized(width: 120, height: 40))
        expect(&state, pressing: .mouse(x: 5, y: 4)) {
            $0.cursor = .init(section: 0, row: 1, seat: 1)
            $0.selection = [SeatID("Stalls-B-2")]
        }
        expect(&state, pressing: .mouse(x: 80, y: 5)) { $0.focus = .holds }
        expect(&state, pressing: .mouse(x: 10, y: 32)) { $0.focus = .feed }
        // A click on nothing (the status line) changes nothing.
        expect(&state, pressing: .mouse(x: 0, y: 39)) { _ in }
    }
}

enum FailureRecordFixture {
    static func make() -> SubscriberFailure {
        SubscriberFailure(id: 7, subscriber: "holds", position: 12, eventType: "SeatsHeld", error: "boom", attempts: 8, lastAttemptAt: ConsoleFixture.start)
    }
}

@Suite("Console: a closed show's seat map")
struct ClosedShowMapTests {
    @Test func aClosedShowsMapIsLoadedFromItsInventoryAndDrawnWithEverySeat() async throws {
        let world = try await ConsoleFixture.world()
        let show = ShowID("grand-hall-sat")
        var state = world.state
        state.show = show
        let open = state.sections
        #expect(Reducer.reduce(into: &state, .tick(state.now)).isEmpty, "an open show's map is in the read model")
        _ = try await world.runtime.box.execute(.closeSales(show), CommandContext(actor: "ana"))
        await world.runtime.settle()
        let effects = Reducer.reduce(into: &state, .modelsUpdated(world.runtime.read.snapshot(), head: 0, lag: 0, failures: []))
        #expect(effects == [.loadSeatMap(show)])
        #expect(state.sections.allSatisfy { $0.countsOnly == true })
        let waiting = screen(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(waiting.contains("loading map…") && waiting.contains("SALES CLOSED"), "\(waiting)")
        // Asked once while it loads.
        #expect(Reducer.reduce(into: &state, .tick(state.now)).isEmpty)
        let map = EngineClient.seatMap(of: show, store: world.runtime.store)
        _ = Reducer.reduce(into: &state, .seatMapLoaded(show, map))
        #expect(state.sections == open)
        let drawn = screen(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(!drawn.contains("loading map") && drawn.contains("■"), "\(drawn)")
    }
}

@Suite("Console: which show the dashboard opens on")
struct BusiestShowTests {
    @Test func beforeAnythingSellsTheLargestHouseIsShownAndTheDashboardFollowsTheBusiestUntilAKey() async throws {
        let world = try await ConsoleFixture.world()
        var models = world.state.models
        // Nothing taken anywhere: the largest show on sale.
        var empty = models
        empty.seats = RowSet()
        #expect(AppState.busiestOnSale(empty) == ShowID("harbour-live-fri"))
        var state = AppState(now: world.state.now, timeZone: world.state.timeZone, speed: 1, readOnly: false, operatorName: "ana")
        _ = Reducer.reduce(into: &state, .modelsUpdated(empty, head: 1, lag: 0, failures: []))
        #expect(state.show == ShowID("harbour-live-fri"))
        // Seats move: the dashboard follows the busiest show on its own…
        models = world.state.models
        _ = Reducer.reduce(into: &state, .modelsUpdated(models, head: 2, lag: 0, failures: []))
        #expect(state.show == AppState.busiestOnSale(models))
        // …until the operator presses a key; then it stays where the operator is.
        let chosen = state.show
        _ = Reducer.reduce(into: &state, .key(.down))
        _ = Reducer.reduce(into: &state, .modelsUpdated(empty, head: 3, lag: 0, failures: []))
        #expect(state.show == chosen)
    }
}

@Suite("Console: closed shows left in their tables")
struct HistoryOnDemandTests {
    /// The fixture's store with one show closed, opened again as the console opens it: closed
    /// shows' sections and sales left in their tables.
    func reopened() async throws -> (runtime: Runtime, state: AppState, closed: ShowID, full: ReadModels) {
        let world = try await ConsoleFixture.world()
        let closed = ShowID("grand-hall-sat")
        _ = try await world.runtime.box.execute(.closeSales(closed), CommandContext(actor: "ana"))
        await world.runtime.settle()
        let full = world.runtime.read.snapshot()
        world.runtime.shutdown()
        let path = try #require(world.runtime.store as? SQLiteEventStore).path
        let runtime = Runtime(store: try SQLiteEventStore(path: path), clock: world.clock, dispatch: .synchronous, leavingHistory: true)
        try runtime.start()
        var state = AppState(now: world.clock.now(), timeZone: world.state.timeZone, speed: 4, operatorName: "ana")
        _ = Reducer.reduce(into: &state, .modelsUpdated(runtime.read.snapshot(), head: 0, lag: 0, failures: []))
        return (runtime, state, closed, full)
    }

    @Test func theShowsScreenReadsClosedShowsWhenItOpensAndDrawsTheirCounts() async throws {
        var (runtime, state, closed, full) = try await reopened()
        #expect(state.isHistory(closed) && state.totals(closed) == nil)
        let effects = Reducer.reduce(into: &state, .key(.character("2")))
        #expect(state.screen == .shows && effects == [.loadHistory])
        let row = { (state: AppState) in screen(state, width: 120, height: 40).lines.first { $0.contains(closed.rawValue) } ?? "" }
        #expect(row(state).contains("…"), "\(row(state))")
        // Asked once while it loads.
        #expect(Reducer.reduce(into: &state, .tick(state.now)).isEmpty)
        _ = Reducer.reduce(into: &state, .historyLoaded(try runtime.read.history()))
        let expected = full.seats.totals(closed)
        #expect(state.totals(closed).map { [$0.available, $0.held, $0.sold] } == [expected.available, expected.held, expected.sold])
        #expect(row(state).contains("\(expected.available)/\(expected.held)/\(expected.sold)"), "\(row(state))")
        // Read again each time the screen opens.
        _ = Reducer.reduce(into: &state, .key(.character("1")))
        #expect(Reducer.reduce(into: &state, .key(.character("2"))) == [.loadHistory])
    }

    @Test func aClosedShowOnTheDashboardDrawsItsStoredSalesAndItsMap() async throws {
        var (runtime, state, closed, full) = try await reopened()
        state.show = closed
        let effects = Reducer.reduce(into: &state, .tick(state.now))
        #expect(Set(effects) == [.loadSeatMap(closed), .loadHistory])
        _ = Reducer.reduce(into: &state, .historyLoaded(try runtime.read.history()))
        _ = Reducer.reduce(into: &state, .seatMapLoaded(closed, EngineClient.seatMap(of: closed, store: runtime.store)))
        #expect(state.sales(closed) == full.sales[closed.rawValue])
        #expect(state.sections.map(\.sold) == full.seats.sections(of: closed).map(\.sold))
        let drawn = screen(state, width: 120, height: 40).lines.joined(separator: "\n")
        let sold = try #require(full.sales[closed.rawValue]?.sold)
        #expect(drawn.contains("\(sold) sold") && !drawn.contains("loading map"), "\(drawn)")
    }
}

struct StartUpTests {
    /// Opened on a store whose holds all fell due while nothing ran, the console draws before
    /// any of them expires, and they expire just after (its first frame starts the saga).
    @Test func holdsPastDueExpireAfterTheFirstFrameNotBeforeIt() async throws {
        let world = try await ConsoleFixture.world()
        let held = world.runtime.read.snapshot().holds.rows.count
        #expect(held > 0)
        world.runtime.shutdown()
        world.clock.advance(by: 3_600)
        let path = try #require(world.runtime.store as? SQLiteEventStore).path
        let store = try SQLiteEventStore(path: path)
        let runtime = Runtime(store: store, clock: world.clock, leavingHistory: true)
        try runtime.start(startingSaga: false)
        let head = try store.headPosition()
        try await Task.sleep(for: .milliseconds(300))
        #expect(try store.headPosition() == head, "nothing expires before the console draws")
        let display = MemoryDisplay(width: 120, height: 40)
        let app = ConsoleApp(client: EngineClient(runtime: runtime), display: display, operatorName: "ana", readOnly: false)
        let loop = Task { await app.run() }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, display.frames == 0 || !runtime.read.snapshot().holds.rows.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(display.frames > 0)
        #expect(runtime.read.snapshot().holds.rows.isEmpty, "every hold past due expired once the console drew")
        app.finish()
        await loop.value
        runtime.shutdown()
        #expect(try store.headPosition() >= head + Int64(held))
    }
}

/// What the client answers, as the reducer words it: whole state compared.
@Suite("Console reducer: the client's answers")
struct OutcomeTests {
    func expect(_ state: inout AppState, _ action: Action, sourceLocation: SourceLocation = #_sourceLocation, _ change: (inout AppState) -> Void) {
        var expected = state
        change(&expected)
        #expect(Reducer.reduce(into: &state, action).isEmpty, sourceLocation: sourceLocation)
        // The parts the reducer words, shown first when they differ (a whole state prints long).
        #expect(state.status == expected.status && state.dialog == expected.dialog, sourceLocation: sourceLocation)
        #expect(state == expected, sourceLocation: sourceLocation)
    }

    @Test func refusalsFailuresAndAcceptancesReachTheStatusLine() async throws {
        var state = try await ScreenFixture.state()
        let show = ShowID("grand-hall-sun")
        let approve = Effect.command(.approveShow(show), done: "approved \(show): on sale")
        expect(&state, .commandFinished(approve, .refused(.invalidTransition(subject: "show \(show)", from: "approved", action: "approve")))) {
            $0.status = .init(text: "cannot approve show \(show): it is approved", isError: true)
        }
        expect(&state, .commandFinished(approve, .failed("store busy: try again"))) { $0.status = .init(text: "store busy: try again", isError: true) }
        expect(&state, .commandFinished(approve, .accepted(positions: [9], events: [], duplicate: false))) {
            $0.status = .init(text: "approved \(show): on sale", isError: false)
        }
        expect(&state, .commandFinished(approve, .accepted(positions: [], events: [], duplicate: true))) { $0.status = .init(text: "already done", isError: false) }
        let until = state.now.addingTimeInterval(300)
        let seats = [SeatID("Stalls-A-1"), SeatID("Stalls-A-2")]
        let held = DomainEvent.reservationHeld(ReservationHeld(reservationId: ReservationID("R-1"), showId: show, seats: seats, expiresAt: until, by: "ana", at: state.now))
        expect(&state, .commandFinished(.reserve(show, seats: seats, customer: "Ann"), .accepted(positions: [10, 11], events: [held], duplicate: false))) {
            $0.status = .init(text: "R-1 holds \(Format.seats(seats, limit: 6)) for Ann until \(Format.clock(until, $0.timeZone))", isError: false)
        }
    }

    @Test func aSeatsHistoryAndAnEventsStoryOpenTheDetailsDialog() async throws {
        var state = try await ScreenFixture.state()
        let event = EventSummary(position: 7, recordedAt: state.now, type: "SeatsHeld", summary: "Stalls-A-1 held for R-1", actor: "buyer-1", correlationId: "C-1")
        let requested = EventSummary(position: 6, recordedAt: state.now, type: "ReservationRequested", summary: "Ann asks", actor: "buyer-1", correlationId: "C-1")
        let blocked = EventSummary(position: 20, recordedAt: state.now, type: "SeatsBlocked", summary: "Stalls-A-1 blocked", actor: "ana", correlationId: "C-9")
        let clock = Format.clock(state.now, state.timeZone)
        let story = ReservationStory(reservationId: "R-1", customer: "Ann", steps: [requested, event])
        expect(&state, .seatHistoryLoaded(SeatID("Stalls-A-1"), .success(SeatProvenance(events: [event, blocked], reservations: [story])))) {
            $0.dialog = .details(title: "Stalls-A-1: its whole history", lines: [
                "1 reservation held it, oldest first, each with every step of its life:", "", "R-1 for Ann · correlation C-1",
                "  \(clock) #6 ReservationRequested · Ann asks · by buyer-1", "  \(clock) #7 SeatsHeld · Stalls-A-1 held for R-1 · by buyer-1",
                "", "blocked and unblocked as a house seat:", "  \(clock) #20 SeatsBlocked · Stalls-A-1 blocked · by ana · C-9",
            ])
        }
        expect(&state, .seatHistoryLoaded(SeatID("Stalls-A-2"), .success(SeatProvenance(events: [], reservations: [])))) {
            $0.dialog = .details(title: "Stalls-A-2: its whole history", lines: ["never held, sold or blocked"])
        }
        let confirmed = EventSummary(position: 9, recordedAt: state.now, type: "ReservationConfirmed", summary: "confirmed", actor: "saga", correlationId: "C-1")
        let other = EventSummary(position: 8, recordedAt: state.now, type: "ReservationHeld", summary: "Stalls-A-1 held", actor: "saga", correlationId: "C-1")
        var details = EventDetails(event: event, stream: "inventory-x", streamVersion: 3, causationId: "6", payloadLines: ["{", "}"], story: [requested, other])
        (details.causedBy, details.rootCommand, details.rootActor, details.led) = ([requested], "cmd-1", "buyer-1", [confirmed])
        expect(&state, .eventLoaded(position: 7, .success(details))) {
            $0.dialog = .details(title: "#7", lines: [
                "SeatsHeld · inventory-x v3 · \(clock)", "actor buyer-1 · correlation C-1 · causation 6", "{", "}", "",
                "caused by:", "  ← \(clock) #6 ReservationRequested · Ann asks · by buyer-1 · C-1", "  ← command cmd-1 sent by buyer-1", "",
                "led to:", "  → \(clock) #9 ReservationConfirmed · confirmed · by saga · C-1", "",
                "the rest of its story (same correlation id):", "\(clock) #8 ReservationHeld · Stalls-A-1 held · by saga · C-1",
            ])
        }
        // A long dialog scrolls, and stops at its last line.
        _ = Reducer.reduce(into: &state, .key(.pageDown))
        #expect(state.detailsScroll == 10)
        _ = Reducer.reduce(into: &state, .key(.pageDown))
        #expect(state.detailsScroll == 13)
        _ = Reducer.reduce(into: &state, .key(.home))
        #expect(state.detailsScroll == 0)
        expect(&state, .eventLoaded(position: 99, .failure(ClientError("no event at #99")))) { $0.status = .init(text: "no event at #99", isError: true) }
    }

    @Test func theHoldsOrderFollowsTheSnapshotAndTheShowAndCountsWhatExpiresWithinAMinute() {
        // Many ties in expiry and two shows: the order kept in the state must be the full sort
        // of the show's holds, redone when the models or the show change and not otherwise.
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var generator = SystemRandomNumberGenerator()
        var holds = RowSet<Holds.Hold>()
        for n in 0..<300 {
            let id = ReservationID("R-\(Int.random(in: 0..<1_000_000, using: &generator))-\(n)")
            holds[id.rawValue] = Holds.Hold(
                reservationId: id, showId: ShowID(n % 3 == 0 ? "a" : "b"), customer: "c", seats: [], amount: Money(minor: 1, currency: "EUR"),
                heldAt: start, expiresAt: start.addingTimeInterval(Double(Int.random(in: 0..<120, using: &generator))), extended: false, heldBy: "t")
        }
        var state = AppState(now: start, timeZone: TimeZone(identifier: "UTC")!, operatorName: "ana")
        #expect(state.visibleHolds.isEmpty && state.holdsExpiring(within: 60) == 0)
        state.models = ReadModels(holds: holds)
        for show in [ShowID("a"), ShowID("b")] {
            state.show = show
            let all = holds.byExpiry(show: show)
            #expect(state.visibleHolds == all)
            for seconds in [-1.0, 0, 30, 60, 119, 500] {
                #expect(state.holdsExpiring(within: seconds) == all.count { $0.expiresAt <= start.addingTimeInterval(seconds) })
            }
        }
        // A later snapshot without the show's first hold reorders; a tick alone does not.
        let first = state.visibleHolds[0].reservationId
        holds[first.rawValue] = nil
        state.models = ReadModels(holds: holds)
        #expect(state.visibleHolds == holds.byExpiry(show: state.show) && !state.visibleHolds.contains { $0.reservationId == first })
        _ = Reducer.reduce(into: &state, .tick(start.addingTimeInterval(30)))
        #expect(state.holdsExpiring(within: 0) == holds.byExpiry(show: state.show).count { $0.expiresAt <= start.addingTimeInterval(30) })
    }
}

@Suite("Console reducer: screen 4, orders and customers")
struct OrdersScreenReducerTests {
    func loaded() async throws -> AppState { try await ScreenSnapshotTests.ordersState() }

    @Test func fourOpensTheScreenAndAsksForTheOrdersOnceUntilTheyAnswer() async throws {
        var state = try await ScreenFixture.state()
        let effects = Reducer.reduce(into: &state, .key(.character("4")))
        #expect(state.screen == .orders)
        #expect(effects == [.loadOrders(OrderQuery())])
        #expect(Reducer.reduce(into: &state, .tick(state.now.addingTimeInterval(10))).isEmpty, "one read in flight at a time")
        _ = Reducer.reduce(into: &state, .ordersLoaded(OrderQuery(), .success(OrderSearch(position: state.head))))
        #expect(Reducer.reduce(into: &state, .tick(state.now.addingTimeInterval(10))).isEmpty, "rows as of the head are not read again")
        let asked = try #require(state.ordersAskedAt)
        _ = Reducer.reduce(into: &state, .tick(asked.addingTimeInterval(1)))
        #expect(Reducer.reduce(into: &state, .modelsUpdated(state.models, head: state.head + 3, lag: 0, failures: [])).isEmpty,
                "at most once a second (×4: four store seconds)")
        #expect(Reducer.reduce(into: &state, .tick(asked.addingTimeInterval(4))) == [.loadOrders(OrderQuery())], "behind the head: read again")
        // A slow search (1.4 s on a million events) is asked again only ten times that later.
        _ = Reducer.reduce(into: &state, .ordersLoaded(OrderQuery(), .success(OrderSearch(position: state.head - 1, seconds: 1.4))))
        let slow = try #require(state.ordersAskedAt)
        #expect(Reducer.reduce(into: &state, .tick(slow.addingTimeInterval(4 * 13))).isEmpty, "13 s of 14")
        #expect(Reducer.reduce(into: &state, .tick(slow.addingTimeInterval(4 * 14))) == [.loadOrders(OrderQuery())])
    }

    @Test func slashSearchesAndAnOlderAnswerIsDropped() async throws {
        var state = try await loaded()
        _ = Reducer.reduce(into: &state, .key(.character("/")))
        for key in "okafor" { _ = Reducer.reduce(into: &state, .key(.character(key))) }
        let effects = Reducer.reduce(into: &state, .key(.enter))
        #expect(state.orderQuery == "okafor" && state.dialog == nil)
        #expect(effects == [.loadOrders(OrderQuery(text: "okafor"))])
        let before = state.orderSearch
        _ = Reducer.reduce(into: &state, .ordersLoaded(OrderQuery(text: "old"), .success(OrderSearch())))
        #expect(state.orderSearch == before, "an answer to an earlier search changes nothing")
    }

    @Test func cRefundsOnlyAConfirmedOrderAndOnlyOnceRefundIsTyped() async throws {
        var state = try await loaded()
        let orders = try #require(state.orderSearch?.orders)
        let held: Int = try #require(orders.firstIndex { $0.status == .held })
        state.orderList.selected = held
        #expect(Reducer.reduce(into: &state, .key(.character("c"))).isEmpty)
        #expect(state.dialog == nil && state.status?.isError == true && state.status?.text.contains("only a confirmed order") == true)
        let confirmed = try #require(orders.first { $0.status == .confirmed })
        let confirmedIndex: Int = try #require(orders.firstIndex { $0.status == .confirmed })
        state.orderList.selected = confirmedIndex
        _ = Reducer.reduce(into: &state, .key(.character("c")))
        for key in "refun" { _ = Reducer.reduce(into: &state, .key(.character(key))) }
        #expect(Reducer.reduce(into: &state, .key(.enter)).isEmpty, "a mistyped word refunds nothing")
        guard case .refund(_, _, _, let error?) = state.dialog else { Issue.record("the dialog should stay open with an error"); return }
        #expect(error.contains("type refund"))
        _ = Reducer.reduce(into: &state, .key(.character("d")))
        let effects = Reducer.reduce(into: &state, .key(.enter))
        #expect(state.dialog == nil)
        guard case .command(.cancelReservation(let id), _)? = effects.first else { Issue.record("expected a cancellation, got \(effects)"); return }
        #expect(id == confirmed.reservationId)
        var readOnly = try await loaded()
        readOnly.readOnly = true
        #expect(Reducer.reduce(into: &readOnly, .key(.character("c"))).isEmpty && readOnly.status?.text.contains("read-only") == true)
    }

    @Test func enterAsksForTheHighlightedCustomerAndShowsTheirHistory() async throws {
        var state = try await loaded()
        state.orderList.selected = 0
        let customer = try #require(state.highlightedOrder?.customer)
        #expect(Reducer.reduce(into: &state, .key(.enter)) == [.loadCustomer(customer)])
        let record = CustomerRecord(name: customer, history: CustomerHistory.Customer(name: customer, purchases: 1, tickets: 2), orders: [])
        _ = Reducer.reduce(into: &state, .customerLoaded(customer, .success(record)))
        guard case .details(let title, let lines)? = state.dialog else { Issue.record("no details dialog"); return }
        #expect(title.contains(customer) && lines.first?.hasPrefix("1 purchase · 2 tickets") == true)
        state.dialog = nil
        _ = Reducer.reduce(into: &state, .customerLoaded("Nobody", .success(nil)))
        #expect(state.dialog == nil && state.status?.isError == true)
    }
}

@Suite("Console reducer: screen 5, sagas")
struct SagasScreenReducerTests {
    @Test func fiveReadsTheLanesAndReadsThemAgainAsTheyAgeAndEnterOpensTheChain() async throws {
        var state = try await ScreenFixture.state()
        #expect(Reducer.reduce(into: &state, .key(.character("5"))) == [.loadSagas])
        #expect(state.screen == .sagas)
        state = try await ScreenSnapshotTests.sagasState()
        let asked = try #require(state.sagasAskedAt)
        #expect(Reducer.reduce(into: &state, .tick(asked.addingTimeInterval(4))).isEmpty, "the log stands still: not yet")
        #expect(Reducer.reduce(into: &state, .tick(asked.addingTimeInterval(20))) == [.loadSagas], "lanes age with the clock: read again")
        _ = Reducer.reduce(into: &state, .sagasLoaded(.success(try #require(state.sagaBoard))))
        #expect(Reducer.reduce(into: &state, .key(.enter)) == [.eventDetails(position: 100)])
        var empty = try await ScreenFixture.state()
        _ = Reducer.reduce(into: &empty, .key(.character("5")))
        _ = Reducer.reduce(into: &empty, .sagasLoaded(.success(SagaBoard(position: empty.head))))
        #expect(Reducer.reduce(into: &empty, .key(.enter)).isEmpty && empty.status?.text == "no saga in flight")
    }
}
