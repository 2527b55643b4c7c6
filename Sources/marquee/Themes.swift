import ArgumentParser
import Console
import CursesTerminal
import Foundation
import TerminalUI

extension Marquee {
    struct Themes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the themes, check one, or preview it in this terminal (← → switch themes, q quits).",
            discussion: "A theme is a name from Themes/ or a path to a .toml file."
        )

        @Option(help: ArgumentHelp("Show this theme on a preview screen.", valueName: "name|path")) var preview: String?
        @Option(help: ArgumentHelp("Load this theme and report problems, without opening the terminal.", valueName: "name|path")) var check: String?

        func run() async throws {
            guard let folder = themesFolder() else { throw failure("cannot find the Themes/ folder; run marquee from the repository") }
            let names = ThemeLoader.available(in: folder)
            if let check {
                do { _ = try ConsoleTheme.load(check, folder: folder) } catch { throw failure(error) }
                Output.say("\(check): ok")
                return
            }
            guard let preview else {
                for name in names { Output.say(name) }
                return
            }
            do { _ = try ConsoleTheme.load(preview, folder: folder) } catch { throw failure(error) }
            try requireTerminal()
            try await ThemePreviewSession(folder: folder, names: names, first: preview).run()
        }
    }
}

/// Refuses to start a full-screen program without a usable terminal (exit 2), pointing at the
/// commands that work without one.
func requireTerminal() throws {
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    if isatty(STDOUT_FILENO) != 1 || isatty(STDIN_FILENO) != 1 {
        throw failure("standard output is not a terminal; for a plain log use `marquee events --follow`, for figures `marquee monitor`")
    }
    if term.isEmpty || term == "dumb" {
        throw failure("TERM is \(term.isEmpty ? "unset" : "dumb"), so the screen cannot be drawn; set TERM (e.g. xterm-256color) or use `marquee events --follow`")
    }
    if !CursesTerminal.knows(term: term) {
        throw failure("this machine has no terminfo entry for TERM=\(term), so the screen cannot be drawn; set TERM to one it knows (e.g. TERM=xterm-256color), install that terminal's terminfo, or use `marquee events --follow`")
    }
}

/// The preview loop: draws the chosen theme, switches with ← →, quits with q or Esc.
struct ThemePreviewSession {
    let folder: URL
    let names: [String]
    let first: String

    func run() async throws {
        let keys = AsyncStream<Key>.makeStream()
        var index = names.firstIndex(of: first) ?? 0
        var current = try ConsoleTheme.load(first, folder: folder)
        var terminal = CursesTerminal(theme: current)
        try terminal.start(onKey: { keys.continuation.yield($0) }, onHangup: { keys.continuation.finish() })
        let signals = SignalWatcher { keys.continuation.finish() }
        defer {
            signals.cancel()
            terminal.stop()
        }
        func draw() {
            var frame = Buffer(area: Rect(width: terminal.size.width, height: terminal.size.height))
            let description = current.name == first ? "theme file \(first)" : current.name
            ThemePreview(themeName: current.name, description: description, capability: terminal.colorCapability).render(in: frame.area, into: &frame)
            terminal.present(frame)
        }
        draw()
        for await key in keys.stream {
            switch key {
            case .character("q"), .escape: return
            case .left, .right, .tab:
                guard !names.isEmpty else { continue }
                index = (index + (key == .left ? names.count - 1 : 1)) % names.count
                guard let next = try? ConsoleTheme.load(names[index], folder: folder) else { continue }
                // Colour pairs belong to a curses session: restart it with the new theme.
                terminal.stop()
                current = next
                terminal = CursesTerminal(theme: current)
                try terminal.start(onKey: { keys.continuation.yield($0) }, onHangup: { keys.continuation.finish() })
                draw()
            default:
                draw()
            }
        }
    }
}

/// Calls `handler` on SIGINT or SIGTERM, delivered through DispatchSource (never inside a
/// signal handler), so the terminal can be restored.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
