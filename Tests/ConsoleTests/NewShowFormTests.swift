@testable import Console
import ConsoleClient
import Foundation
import Testing
import TerminalUI
import Ticketing

@Suite("Console: the new-show form")
struct NewShowFormTests {
    static let venue = Venue(
        id: "hall", name: "Hall", currency: "EUR",
        tiers: [.init(id: "front", name: "Front", priceMinor: 5_000), .init(id: "back", name: "Back", priceMinor: 3_050)],
        sections: [.init(name: "Stalls", rows: [.init(label: "A", seats: 4, tier: "front"), .init(label: "B", seats: 4, tier: "back")])]
    )

    func press(_ state: inout AppState, _ keys: [Key]) -> [Effect] { keys.flatMap { Reducer.reduce(into: &state, .key($0)) } }
    func type(_ state: inout AppState, _ text: String) { for c in text { _ = Reducer.reduce(into: &state, .key(.character(c))) } }
    func form(_ state: AppState) -> NewShowForm? { if case .newShow(let form)? = state.dialog { form } else { nil } }

    /// The form open on the shows screen with a fixture that has shows.
    static func opened() async throws -> AppState {
        var state = try await ScreenFixture.state()
        state.venueNames = ["arena", "club", "theatre"]
        for key in [Key.character("2"), .character("n")] { _ = Reducer.reduce(into: &state, .key(key)) }
        return state
    }

    @Test func eachFieldIsCheckedWhenLeftAndTheVenueIsReadThenItsPricesFillIn() async throws {
        var state = try await Self.opened()
        #expect(form(state)?.field == .id)
        type(&state, "Bad Id")
        #expect(press(&state, [.tab]).isEmpty)
        #expect(form(state)?.errors[.id]?.contains("not a valid show id") == true && form(state)?.field == .name)
        _ = press(&state, [.backTab])
        for _ in 0..<6 { _ = press(&state, [.backspace]) }
        type(&state, "grand-hall-sat")
        _ = press(&state, [.tab])
        #expect(form(state)?.errors[.id] == "there is a show grand-hall-sat already; choose another id")
        _ = press(&state, [.backTab])
        type(&state, "-gala")
        _ = press(&state, [.tab])
        #expect(form(state)?.errors[.id] == nil)
        type(&state, "Gala Night")
        _ = press(&state, [.tab])
        type(&state, "hall")
        #expect(press(&state, [.tab]) == [.loadVenue("hall")])
        _ = Reducer.reduce(into: &state, .venueLoaded("hall", .success(Self.venue)))
        #expect(form(state)?.venue == Self.venue && form(state)?[.prices].text == "front=50 back=30.50")
        #expect(form(state)?.field == .starts)
        for _ in 0..<16 { _ = press(&state, [.backspace]) }
        type(&state, "2001-01-01 10:00")
        _ = press(&state, [.tab])
        #expect(form(state)?.errors[.starts] == "that time has passed: give a time to come")
    }

    @Test func enterCreatesTheDraftAtTheTypedPricesOrSaysWhichFieldIsWrong() async throws {
        var state = try await Self.opened()
        #expect(press(&state, [.enter]).isEmpty)
        #expect(form(state)?.field == .id && form(state)?.errors.count == 3, "id, name and venue are empty; the start is prefilled")
        type(&state, "gala")
        _ = press(&state, [.tab])
        type(&state, "Gala")
        _ = press(&state, [.tab])
        type(&state, "hall")
        // Enter before the venue is read: it is read, then the show is created.
        #expect(press(&state, [.enter]) == [.loadVenue("hall")])
        _ = Reducer.reduce(into: &state, .venueLoaded("hall", .success(Self.venue)))
        #expect(state.dialog == nil, "created as soon as the venue was read")
        var priced = try await Self.opened()
        type(&priced, "gala")
        _ = press(&priced, [.tab])
        type(&priced, "Gala")
        _ = press(&priced, [.tab])
        type(&priced, "hall")
        _ = press(&priced, [.tab])
        _ = Reducer.reduce(into: &priced, .venueLoaded("hall", .success(Self.venue)))
        _ = press(&priced, [.tab, .end])
        type(&priced, " vip=3")
        #expect(press(&priced, [.enter]).isEmpty)
        #expect(form(priced)?.field == .prices && form(priced)?.errors[.prices]?.contains("Hall has no price tier \"vip\"") == true)
        for _ in 0..<6 { _ = press(&priced, [.backspace]) }
        type(&priced, " front=12.5")
        let effects = press(&priced, [.enter])
        guard case .command(.createShow(let id, let name, let venue, _), _)? = effects.first else { Issue.record("no createShow: \(effects)"); return }
        #expect(id == ShowID("gala") && name == "Gala" && venue.tiers.map(\.priceMinor) == [1_250, 3_050])
    }

    @Test func anUnreadableVenueSaysWhyAndStaysOnTheField() async throws {
        var state = try await Self.opened()
        _ = press(&state, [.tab, .tab])
        type(&state, "nowhere")
        _ = press(&state, [.tab])
        _ = Reducer.reduce(into: &state, .venueLoaded("nowhere", .failure(ClientError("unknown venue \"nowhere\""))))
        #expect(form(state)?.field == .venue && form(state)?.errors[.venue] == "unknown venue \"nowhere\"" && form(state)?.venue == nil)
        _ = Reducer.reduce(into: &state, .venueLoaded("hall", .success(Self.venue)))
        #expect(form(state)?.venue == nil, "an answer for another name is dropped")
        var readOnly = try await ScreenFixture.state()
        readOnly.readOnly = true
        _ = press(&readOnly, [.character("2"), .character("n")])
        #expect(readOnly.dialog == nil && readOnly.status?.text.contains("read-only") == true)
    }
}
