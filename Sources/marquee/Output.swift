import Foundation
import TerminalUI

/// Where a subcommand's words go. Human-readable text is sanitised (an escape sequence stored in
/// a reason or a venue file never reaches the operator's terminal raw); JSON keeps exact data,
/// escaped by JSON. Every write goes straight to the descriptor and is checked: a closed pipe
/// (`| head`) ends the process quietly with exit 0, any other failure (a full disk, `> /dev/full`)
/// exits 2 with one line on standard error — never a trap, never a silent loss.
enum Output {
    /// One or more lines for a person on standard output.
    static func say(_ text: String) {
        write(readable(text) + "\n", to: STDOUT_FILENO)
    }

    /// Exact text (JSON, or output already made safe) on standard output, then a newline.
    static func exact(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    /// Exact bytes on standard output, with no newline added.
    static func raw(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// `marquee: message` on standard error, sanitised.
    static func complain(_ message: String) {
        write("marquee: \(readable(message))\n", to: STDERR_FILENO)
    }

    /// Exact bytes on standard error (a progress bar's own control sequences).
    static func rawError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// `text` with every control character but the line breaks made visible (see `sanitize`).
    static func readable(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0)) }.joined(separator: "\n")
    }

    /// A closed pipe must end a writer quietly rather than kill it with SIGPIPE.
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written >= 0 {
                offset += written
                continue
            }
            let code = errno
            if code == EINTR || code == EAGAIN { continue }
            // Nothing more can be said where the words were going; standard error may still listen.
            if descriptor != STDOUT_FILENO { return }
            if code == EPIPE { exit(0) }
            let reason = String(cString: strerror(code))
            bytes = Array("marquee: cannot write the output: \(reason); send it somewhere with room (a file on another disk, or a pipe)\n".utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(2)
        }
    }
}
