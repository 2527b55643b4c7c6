import CProcess
import Foundation

/// A private tmux server running one command in a pane of a fixed size: send keys by name,
/// read the screen as text, wait for text with a generous deadline.
final class Tmux {
    let server = "marquee-\(UUID().uuidString.prefix(8))"
    let folder: String

    init(command: String, width: Int = 120, height: Int = 40, folder: String) throws {
        self.folder = folder
        let status = run(["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), "sh", "-c", command])
        guard status == 0 else { throw TmuxError.cannotStart(status) }
    }

    deinit { run(["kill-server"]) }

    @discardableResult
    func run(_ arguments: [String], output: String? = nil) -> Int32 {
        let argv = ["tmux", "-L", server, "-f", "/dev/null"] + arguments
        var pointers = argv.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return mq_run(pointers, output)
    }

    /// Presses keys by tmux name (`Space`, `Enter`, `Tab`, `Escape`) or types literal text.
    func send(_ keys: String...) { run(["send-keys", "-t", "main"] + keys) }
    func type(_ text: String) { run(["send-keys", "-t", "main", "-l", text]) }
    /// Pastes text as a terminal does, inside bracketed-paste marks when the program asked for them.
    func paste(_ text: String) {
        run(["set-buffer", "-b", "test", text])
        run(["paste-buffer", "-p", "-d", "-b", "test", "-t", "main"])
    }

    /// The visible screen, one line per row.
    func screen() -> String {
        let path = folder + "/capture-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        run(["capture-pane", "-p", "-t", "main"], output: path)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Waits until the screen contains `text` (generous deadline; returns the last screen).
    @discardableResult
    /// Waits until `text` is on the screen. With `acrossLines`, text that wrapped at the pane's
    /// edge counts too (output written wherever a curses program left the cursor).
    func wait(for text: String, timeout: TimeInterval = 15, acrossLines: Bool = false) -> (found: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if (acrossLines ? last.replacingOccurrences(of: "\n", with: "") : last).contains(text) { return (true, last) }
            usleep(50_000)
        }
        return (false, last)
    }

    enum TmuxError: Error { case cannotStart(Int32) }
}
