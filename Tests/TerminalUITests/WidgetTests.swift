import Testing
@testable import TerminalUI

/// Renders a widget into a fresh buffer of the given size.
func render(_ widget: some Widget, width: Int, height: Int) -> Buffer {
    var buffer = Buffer(area: Rect(width: width, height: height))
    widget.render(in: buffer.area, into: &buffer)
    return buffer
}

@Suite("Widgets")
struct WidgetTests {
    static let sizes = [(0, 0), (1, 1), (0, 5), (3, 0)]

    static var all: [any Widget] {
        [
            Panel(title: "Holds", focused: true, note: "7"), Label("Grand Hall"),
            Table(columns: [.init("A", width: .fixed(3)), .init("B", width: .fill)], rows: [[.init("x"), .init("y")]], state: ListState(selected: 0)),
            Gauge(ratio: 0.5, label: "50 %"), Sparkline([1, 2, 3]), TextInput(state: TextInputState("abc")),
            Dialog(title: "Reject", message: ["Why?"], input: TextInputState(""), choices: [("Enter", "ok")]), HintBar([("q", "quit")]),
        ]
    }

    @Test func everyWidgetSurvivesZeroAndTinyAreas() {
        for widget in Self.all {
            for (width, height) in Self.sizes {
                var buffer = Buffer(area: Rect(width: width, height: height))
                widget.render(in: buffer.area, into: &buffer)
                widget.render(in: Rect(x: 50, y: 50, width: 10, height: 10), into: &buffer)
            }
        }
    }

    @Test func aPanelDrawsItsBorderTitleAndFocus() {
        #expect(render(Panel(title: "SEAT MAP", note: "Stalls"), width: 24, height: 3).lines == [
            "┌ SEAT MAP ─── Stalls ─┐",
            "│                      │",
            "└──────────────────────┘",
        ])
        let focused = render(Panel(title: "HOLDS", focused: true), width: 10, height: 3)
        #expect(focused.lines[0] == "┏ HOLDS ─┓")
        #expect(focused[0, 0].role == .borderFocus)
        #expect(focused[2, 0].role == .title)
        #expect(render(Panel(title: "A very long title"), width: 8, height: 2).lines == ["┌ A v… ┐", "└──────┘"])
    }

    @Test func aTableShowsHeaderRowsSelectionAndScrollsToTheSelection() {
        let rows = (1...10).map { [Table.Item("R-\($0)"), Table.Item("€\($0 * 10)")] }
        let table = Table(columns: [.init("ID", width: .fixed(6)), .init("AMOUNT", width: .fill, alignRight: true)], rows: rows, state: ListState(selected: 7))
        let buffer = render(table, width: 14, height: 4)
        #expect(buffer.lines == ["ID     AMOUNT ", "R-6       €60 ", "R-7       €70 ", "R-8       €80 "])
        #expect(buffer[0, 3].role == .selection)
        #expect(buffer[0, 2].role == .text)
        #expect(render(Table(columns: [.init("ID", width: .fill)], rows: [], emptyMessage: "no holds"), width: 12, height: 2).lines == ["ID          ", "no holds    "])
        var state = ListState()
        state.move(1, count: 3)
        #expect(state.selected == 0)
        state.move(5, count: 3)
        #expect(state.selected == 2)
        state.move(-9, count: 3)
        #expect(state.selected == 0)
    }

    @Test func aGaugeFillsInEighthsAndASparklineScalesToItsPeak() {
        #expect(render(Gauge(ratio: 0.55), width: 10, height: 1).lines == ["█████▌░░░░"])
        #expect(render(Gauge(ratio: 1, label: "100 %"), width: 10, height: 1).lines == ["████ 100 %"])
        #expect(render(Gauge(ratio: .nan), width: 4, height: 1).lines == ["░░░░"])
        #expect(render(Sparkline([0, 1, 2, 4, 8]), width: 5, height: 1).lines == [" ▂▃▅█"])
        #expect(render(Sparkline(Array(1...20)), width: 4, height: 1).lines == ["▇▇██"])
    }

    @Test func aPasteIsInsertedAsTextWithoutItsControlCharactersUpToTheLimit() {
        var state = TextInputState("ab")
        state.handle(.left)
        state.handle(.paste("X\u{1B}[31mY\u{07}\nZ"))
        #expect(state.text == "aX[31mY Zb" && state.cursor == 9)
        var limited = TextInputState("abc", limit: 5)
        state = limited
        limited.handle(.paste("0123"))
        #expect(limited.text == "abc01" && limited.cursor == 5)
        #expect(state.handle(.paste("")) && state.text == "abc")
        // A combining mark joins the letter before it: the cursor stays inside the text, and the
        // next key is inserted, not a crash.
        var accent = TextInputState("e")
        accent.handle(.character("\u{301}"))
        #expect(accent.text == "é" && accent.cursor == 1)
        accent.handle(.character("x"))
        accent.handle(.paste("\u{301}\u{301}y"))
        #expect(accent.cursor <= accent.text.count && accent.text.hasPrefix("é"))
    }

    @Test func aTextInputEditsAndKeepsTheCursorVisible() {
        var state = TextInputState("Ben")
        state.handle(.left)
        state.handle(.character("e"))
        state.handle(.end)
        state.handle(.backspace)
        state.handle(.home)
        state.handle(.delete)
        #expect(state.text == "ee")
        #expect(state.cursor == 0)
        let usedEnter = state.handle(.enter)
        #expect(!usedEnter)
        let long = TextInputState("abcdefghijkl")
        let buffer = render(TextInput(state: long), width: 6, height: 1)
        #expect(buffer.lines == ["hijkl "])
        #expect(buffer[5, 0].role == .cursor)
        var limited = TextInputState("", limit: 2)
        for c in "abc" { limited.handle(.character(c)) }
        #expect(limited.text == "ab")
        #expect(render(TextInput(state: TextInputState("\u{1B}[2J")), width: 8, height: 1).lines == ["␛[2J    "])
    }

    @Test func aDialogIsCentredWithItsMessageInputErrorAndChoices() {
        let dialog = Dialog(title: "Reject show", message: ["Why reject it?"], input: TextInputState("x"), error: "a reason is required", choices: [("Enter", "reject"), ("Esc", "cancel")], width: 30)
        let buffer = render(dialog, width: 40, height: 12)
        #expect(buffer.lines[2].hasPrefix("     ┏ Reject show ─"))
        #expect(buffer.lines[3].contains("│ Why reject it?"))
        #expect(buffer.lines[5].contains("x "))
        #expect(buffer.lines[6].contains("a reason is required"))
        #expect(buffer.lines[8].contains("Enter reject  Esc cancel"))
    }

    @Test func aHintBarDropsWholeHintsThatDoNotFit() {
        let bar = HintBar([("s", "submit"), ("a", "approve"), ("q", "quit")])
        #expect(render(bar, width: 20, height: 1).lines == ["s submit  a approve "])
        #expect(render(bar, width: 20, height: 1)[0, 0].role == .hintKey)
        #expect(render(bar, width: 20, height: 1)[2, 0].role == .hintText)
    }
}
