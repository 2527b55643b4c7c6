import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// The `:` command palette (as in k9s): a prompt at the bottom of the screen with completion
/// over verbs and ids, and the lines typed before.
public struct PaletteState: Hashable, Sendable {
    public var input = TextInputState("", limit: 120)
    /// Which earlier line ↑ recalled (an index into the history; nil: the line being typed).
    public var recalled: Int?
    /// What Tab found when more than one thing fits, or why the line was refused.
    public var note: String?
    public var isError = false

    public init() {}
}

/// What a palette line asks for.
public enum PaletteCommand: Hashable, Sendable {
    case show(String)
    case shows
    case orders(String)
    case reserve(Int, section: String?)
    case go(Int64)
    case theme(String)
    case help
    case quit
}

public enum Palette {
    /// Every verb, with what it takes and does (the help screen and an unknown verb list them).
    public static let verbs: [(verb: String, usage: String, help: String)] = [
        ("show", "show ID", "the dashboard on that show"),
        ("shows", "shows", "the shows screen"),
        ("orders", "orders [NAME]", "screen 4, searching for a customer, reservation, show or seat"),
        ("reserve", "reserve N [SECTION]", "best available: N seats together on the dashboard's show (asks the customer)"),
        ("go", "go #POSITION", "the event at that position in the log, in the feed and in full"),
        ("theme", "theme NAME", "colours from Themes/ (for this console only)"),
        ("help", "help", "every key and verb"),
        ("quit", "quit", "leave the console"),
    ]

    static var verbList: String { verbs.map(\.verb).joined(separator: ", ") }

    /// Reads a line; the error says what to type instead.
    public static func parse(_ line: String) -> Result<PaletteCommand, PaletteError> {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(PaletteError("type a verb: \(verbList)")) }
        let rest = Array(words.dropFirst())
        func usage() -> PaletteError { PaletteError("usage: " + (verbs.first { $0.verb == verb }?.usage ?? verb)) }
        switch verb {
        case "show":
            guard rest.count == 1 else { return .failure(usage()) }
            return .success(.show(rest[0]))
        case "shows", "help", "quit":
            guard rest.isEmpty else { return .failure(usage()) }
            return .success(verb == "shows" ? .shows : verb == "help" ? .help : .quit)
        case "orders":
            return .success(.orders(rest.joined(separator: " ")))
        case "reserve":
            guard (1...2).contains(rest.count), let count = Int(rest[0]), (1...TicketingError.maximumQuantity).contains(count) else {
                return .failure(PaletteError("usage: reserve N [SECTION], N from 1 to \(TicketingError.maximumQuantity)"))
            }
            return .success(.reserve(count, section: rest.count == 2 ? rest[1] : nil))
        case "go":
            guard rest.count == 1, let position = Int64(rest[0].hasPrefix("#") ? String(rest[0].dropFirst()) : rest[0]), position > 0 else {
                return .failure(PaletteError("usage: go #POSITION, a position in the log such as #120"))
            }
            return .success(.go(position))
        case "theme":
            guard rest.count == 1 else { return .failure(usage()) }
            return .success(.theme(rest[0]))
        default:
            return .failure(PaletteError("no verb \"\(verb)\"; there are \(verbList)"))
        }
    }

    /// Completes the word before the cursor: verbs first, then the ids a verb takes (`show`
    /// ids, section names for `reserve N`, theme names). Returns the new line, or the choices
    /// when several fit.
    public static func complete(_ line: String, shows: [String], sections: [String], themes: [String]) -> (line: String, choices: [String]) {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let current = words.last ?? ""
        let candidates: [String]
        switch words.count {
        case 0, 1: candidates = verbs.map(\.verb)
        case 2 where words[0].lowercased() == "show": candidates = shows
        case 2 where words[0].lowercased() == "theme": candidates = themes
        case 3 where words[0].lowercased() == "reserve": candidates = sections
        default: candidates = []
        }
        let fitting = candidates.filter { $0.lowercased().hasPrefix(current.lowercased()) }
        guard !fitting.isEmpty else { return (line, []) }
        if fitting.count == 1 {
            words[words.count == 0 ? 0 : words.count - 1] = fitting[0]
            return ((words.isEmpty ? fitting[0] : words.joined(separator: " ")) + " ", [])
        }
        // Several: the longest prefix they share, and the choices.
        var shared = fitting[0]
        for choice in fitting.dropFirst() {
            while !choice.lowercased().hasPrefix(shared.lowercased()) { shared.removeLast() }
        }
        if shared.count > current.count {
            if words.isEmpty { words = [shared] } else { words[words.count - 1] = shared }
        }
        return (words.joined(separator: " "), fitting)
    }
}

public struct PaletteError: Error, Hashable, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}
