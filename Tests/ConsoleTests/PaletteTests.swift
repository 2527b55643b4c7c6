@testable import Console
import ConsoleClient
import Foundation
import Testing
import TerminalUI
import Ticketing

@Suite("Console: the : command palette")
struct PaletteTests {
    func type(_ state: inout AppState, _ text: String) -> [Effect] {
        var effects = Reducer.reduce(into: &state, .key(.character(":")))
        for character in text { effects += Reducer.reduce(into: &state, .key(.character(character))) }
        return effects
    }

    func enter(_ state: inout AppState, _ line: String) -> [Effect] {
        _ = type(&state, line)
        return Reducer.reduce(into: &state, .key(.enter))
    }

    var palette: (AppState) -> PaletteState? { { if case .palette(let p)? = $0.dialog { p } else { nil } } }

    @Test func everyVerbParsesAndBadLinesSayWhatToType() throws {
        #expect(try Palette.parse("show grand-hall-sat").get() == .show("grand-hall-sat"))
        #expect(try Palette.parse("  SHOWS ").get() == .shows)
        #expect(try Palette.parse("orders Ann Lee").get() == .orders("Ann Lee"))
        #expect(try Palette.parse("orders").get() == .orders(""))
        #expect(try Palette.parse("reserve 4 Stalls").get() == .reserve(4, section: "Stalls"))
        #expect(try Palette.parse("reserve 2").get() == .reserve(2, section: nil))
        #expect(try Palette.parse("go #120").get() == .go(120))
        #expect(try Palette.parse("go 7").get() == .go(7))
        #expect(try Palette.parse("theme mono").get() == .theme("mono"))
        #expect(try Palette.parse("help").get() == .help)
        func message(_ line: String) -> String { if case .failure(let e) = Palette.parse(line) { e.message } else { "" } }
        #expect(message("frob") == "no verb \"frob\"; there are show, shows, orders, reserve, go, theme, help, quit")
        #expect(message("").hasPrefix("type a verb"))
        #expect(message("reserve 0").contains("N from 1 to 20"))
        #expect(message("reserve many").contains("N from 1 to 20"))
        #expect(message("go #x").contains("go #POSITION"))
        #expect(message("go #0").contains("go #POSITION"))
        #expect(message("show").contains("usage: show ID"))
        #expect(message("shows now") == "usage: shows")
    }

    @Test func tabCompletesVerbsThenIdsAndListsTheChoicesWhenSeveralFit() {
        let shows = ["grand-hall-sat", "grand-hall-sun", "blue-note-thu"]
        #expect(Palette.complete("re", shows: shows, sections: [], themes: []) == ("reserve ", []))
        #expect(Palette.complete("sh", shows: shows, sections: [], themes: []) == ("show", ["show", "shows"]))
        #expect(Palette.complete("show g", shows: shows, sections: [], themes: []) == ("show grand-hall-s", ["grand-hall-sat", "grand-hall-sun"]))
        #expect(Palette.complete("show b", shows: shows, sections: [], themes: []) == ("show blue-note-thu ", []))
        #expect(Palette.complete("reserve 2 st", shows: [], sections: ["Stalls", "Circle"], themes: []) == ("reserve 2 Stalls ", []))
        #expect(Palette.complete("theme M", shows: [], sections: [], themes: ["mono", "light"]) == ("theme mono ", []))
        #expect(Palette.complete("zz", shows: shows, sections: [], themes: []) == ("zz", []))
    }

    @Test func showAndShowsAndOrdersAndHelpGoWhereTheySay() async throws {
        var state = try await ScreenFixture.state()
        state.show = ShowID("grand-hall-sat")
        #expect(enter(&state, "show blue-note-thu").isEmpty)
        #expect(state.show == ShowID("blue-note-thu") && state.screen == .dashboard && state.dialog == nil)
        #expect(enter(&state, "show nowhere").isEmpty)
        #expect(state.show == ShowID("blue-note-thu") && state.status?.isError == true && state.status?.text.contains("no show nowhere") == true)
        _ = enter(&state, "shows")
        #expect(state.screen == .shows)
        let effects = enter(&state, "orders Ines")
        #expect(state.screen == .orders && state.orderQuery == "Ines" && effects == [.loadOrders(OrderQuery(text: "Ines"))])
        _ = enter(&state, "help")
        #expect(state.screen == .help)
        #expect(state.paletteHistory == ["show blue-note-thu", "show nowhere", "shows", "orders Ines", "help"])
    }

    @Test func anUnknownVerbKeepsThePromptOpenWithTheListOfVerbs() async throws {
        var state = try await ScreenFixture.state()
        #expect(enter(&state, "frob").isEmpty)
        let open = try #require(palette(state))
        #expect(open.isError && open.note?.contains("there are show, shows") == true && open.input.text == "frob")
        #expect(state.paletteHistory.isEmpty, "a refused line is not remembered")
        _ = Reducer.reduce(into: &state, .key(.escape))
        #expect(state.dialog == nil)
    }

    @Test func upRecallsEarlierLinesAndDownComesBack() async throws {
        var state = try await ScreenFixture.state()
        _ = enter(&state, "shows")
        _ = enter(&state, "help")
        _ = Reducer.reduce(into: &state, .key(.character(":")))
        _ = Reducer.reduce(into: &state, .key(.up))
        #expect(palette(state)?.input.text == "help")
        _ = Reducer.reduce(into: &state, .key(.up))
        _ = Reducer.reduce(into: &state, .key(.up))
        #expect(palette(state)?.input.text == "shows", "the oldest line stays")
        _ = Reducer.reduce(into: &state, .key(.down))
        #expect(palette(state)?.input.text == "help")
        _ = Reducer.reduce(into: &state, .key(.down))
        #expect(palette(state)?.input.text == "", "past the newest: an empty line")
    }

    @Test func reserveOpensBestAvailablePrefilledAndGoOpensTheEvent() async throws {
        var state = try await ScreenFixture.state()
        state.show = ShowID("grand-hall-sat")
        _ = enter(&state, "reserve 3 Circle")
        guard case .best(let show, let quantity, let section, _, let field, nil)? = state.dialog else { Issue.record("no best dialog: \(String(describing: state.dialog))"); return }
        #expect(show == ShowID("grand-hall-sat") && quantity.text == "3" && section.text == "Circle" && field == 2)
        state.dialog = nil
        let position = try #require(state.visibleFeed.last?.position)
        #expect(enter(&state, "go #\(position)") == [.eventDetails(position: position)])
        #expect(state.focus == .feed && !state.following && state.feed.selected == state.visibleFeed.count - 1)
        #expect(enter(&state, "go #\(state.head + 1)").isEmpty && state.status?.text.contains("the log ends at #\(state.head)") == true)
        var readOnly = try await ScreenFixture.state()
        readOnly.readOnly = true
        _ = enter(&readOnly, "reserve 2")
        #expect(readOnly.dialog == nil && readOnly.status?.text.contains("read-only") == true)
    }

    @Test func themeAsksTheAppAndSaysWhatHappened() async throws {
        var state = try await ScreenFixture.state()
        _ = enter(&state, "theme mono")
        #expect(state.status?.text == "no themes to choose from here")
        state.themeNames = ["default", "mono"]
        #expect(enter(&state, "theme mono") == [.useTheme("mono")])
        _ = Reducer.reduce(into: &state, .themeApplied("mono", error: nil))
        #expect(state.themeName == "mono" && state.status?.text == "theme mono")
        _ = Reducer.reduce(into: &state, .themeApplied("nope", error: "no theme nope"))
        #expect(state.themeName == "mono" && state.status?.isError == true)
    }
}
