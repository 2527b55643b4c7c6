import CNCurses
import Faults
import Foundation
import Synchronization
import TerminalUI

/// The real terminal, on a dedicated thread: ncursesw sets the terminal up and reads keys, and
/// the `Painter` writes frames as escape sequences from terminfo. The app hands it frames
/// (`Display`) and gets keys back; only this thread ever calls curses. It is a `Backend` of a `Terminal`, which
/// owns the last frame and the diff (as for every display). The thread sleeps in `poll` on the
/// input and on a wake-up pipe: a key is read when it arrives and a frame drawn when it is
/// handed over, with no timer in between. The terminal is restored by `stop()`, which the app
/// calls on quit, on error and on SIGINT/SIGTERM (delivered to the app's handler).
///
/// - Important: frames are coalesced: if several arrive while one is drawing, only the newest
///   is drawn, as a diff against what is on screen.
public final class CursesTerminal: Display, Backend, @unchecked Sendable {
    /// Where curses reads and writes: the process's terminal, or a given pair of descriptors
    /// (a pseudo-terminal in tests).
    public enum Device: Sendable {
        case standard
        case descriptors(input: Int32, output: Int32, term: String)
    }

    public enum Failure: Error, CustomStringConvertible {
        case notATerminal
        case cannotStart(String)

        public var description: String {
            switch self {
            case .notATerminal: "standard output is not a terminal"
            case .cannotStart(let why): "cannot start the terminal: \(why)"
            }
        }
    }

    private let device: Device
    private let baseTheme: Theme
    private let pending = Mutex<(frame: Buffer?, stop: Bool)>((nil, false))
    private let started = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let startError = Mutex<Failure?>(nil)
    private var onKey: (@Sendable (Key) -> Void)?
    private var onHangup: (@Sendable () -> Void)?
    private let sizeValue = Mutex((width: 0, height: 0))
    private let capabilityValue = Mutex(ColorCapability.none)
    private let running = Mutex(false)
    /// Set by SIGCONT (after Ctrl-Z and `fg`): the next pass repaints the whole screen.
    private let repaintRequested = Mutex(false)
    /// A theme to draw with from the next pass on (`use(theme:)`).
    private let themeRequested = Mutex<Theme?>(nil)
    private var continueSource: (any DispatchSourceSignal)?
    /// Deliberate defects (tests only; always empty in a normal run).
    private let faults = Faults.active
    /// Written to hand the curses thread a frame (or a stop, or a repaint); it polls the other end.
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    // Owned by the curses thread.
    private var terminal: Terminal?
    private var painter: Painter?
    /// Keys are read through a pad: reading from a pad never makes curses redraw the screen,
    /// which the painter owns.
    private var keyWindow: UnsafeMutablePointer<WINDOW>?
    /// What arrived since the terminal's start-of-paste mark, until its end mark (nil: not in a paste).
    private var pasted: String?

    public init(device: Device = .standard, theme: Theme) {
        self.device = device
        baseTheme = theme
    }

    deinit {
        // Closed only now: a descriptor closed earlier could be reused by another file, which
        // a late `present` would then write into.
        if wake.read >= 0 { close(wake.read) }
        if wake.write >= 0 { close(wake.write) }
    }

    public var size: (width: Int, height: Int) { sizeValue.withLock { $0 } }

    /// Whether this machine's terminfo database knows `term` (curses cannot draw without it).
    public static func knows(term: String) -> Bool {
        term.withCString { mq_terminfo_known($0) } == 1
    }
    public var colorCapability: ColorCapability { capabilityValue.withLock { $0 } }

    /// Starts curses on its own thread; returns once the screen is ready (or failed).
    public func start(onKey: @escaping @Sendable (Key) -> Void, onHangup: @escaping @Sendable () -> Void = {}) throws(Failure) {
        self.onKey = onKey
        self.onHangup = onHangup
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .cannotStart("no pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        wake = (ends[0], ends[1])
        let thread = Thread { [self] in run() }
        thread.name = "marquee-curses"
        thread.start()
        started.wait()
        if let error = startError.withLock({ $0 }) { throw error }
    }

    /// Draws with another theme: the curses thread repaints the whole screen with it.
    public func use(theme: Theme) {
        themeRequested.withLock { $0 = theme }
        nudge()
    }

    /// Queues a frame and wakes the curses thread, which draws the newest one at once.
    public func present(_ frame: Buffer) {
        pending.withLock { $0.frame = frame }
        nudge()
    }

    /// Wakes the curses thread (a full pipe already will: the byte is not needed).
    private func nudge() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    /// Restores the terminal and ends the thread; safe to call more than once.
    public func stop() {
        let wasRunning: Bool = pending.withLock { state in
            let running = !state.stop
            state.stop = true
            return running
        }
        nudge()
        if wasRunning, running.withLock({ $0 }) { finished.wait() }
    }

    // MARK: - The curses thread

    private func run() {
        guard begin() else {
            started.signal()
            finished.signal()
            return
        }
        running.withLock { $0 = true }
        watchContinue()
        started.signal()
        let input: Int32 = switch device {
        case .standard: STDIN_FILENO
        case .descriptors(let input, _, _): input
        }
        while !pending.withLock({ $0.stop }) {
            var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            // The timeout only catches a resize: curses learns of SIGWINCH (on whichever thread
            // takes it) at its next read, so the thread reads at least every 100 ms.
            _ = poll(&fds, 2, Self.resizeCheckMilliseconds)
            if fds[1].revents != 0 { drainWake() }
            // The terminal went away (a closed window, a dropped connection): what it still
            // held can no longer be answered.
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                onHangup?()
                break
            }
            readKeys()
            if let theme = themeRequested.withLock({ requested in defer { requested = nil }; return requested }) {
                painter?.use(theme.mapped(to: capabilityValue.withLock { $0 }))
                repaint()
            }
            if repaintRequested.withLock({ requested in defer { requested = false }; return requested }) { repaint() }
            drawPending()
        }
        continueSource?.cancel()
        if !faults.contains(.skipTerminalRestore) {
            painter?.send(Self.bracketedPasteOff)
            painter?.resetAttributes()
            painter?.flush()
            endwin()
        }
        running.withLock { $0 = false }
        finished.signal()
    }

    static let resizeCheckMilliseconds: Int32 = 100

    /// Key codes of our own for the terminal's bracketed-paste marks (`ESC [200~`, `ESC [201~`).
    static let pasteStart = KEY_MAX + 1, pasteEnd = KEY_MAX + 2
    static let pasteLimit = 65_536
    static let bracketedPasteOn = "\u{1B}[?2004h", bracketedPasteOff = "\u{1B}[?2004l"

    /// Every key waiting (curses does not block: the thread waits in `poll`).
    private func readKeys() {
        while true {
            var character: wint_t = 0
            let result = mq_get(keyWindow, &character)
            if result == ERR { return }
            if result == KEY_CODE_YES, Int32(bitPattern: character) == Self.pasteStart {
                pasted = ""
                continue
            }
            if var text = pasted {
                // Inside a paste everything is text, escapes included, until the end mark; past
                // a size no field takes, the rest is dropped (never run as keys).
                if result == KEY_CODE_YES, Int32(bitPattern: character) == Self.pasteEnd {
                    pasted = nil
                    onKey?(.paste(text))
                } else if result == OK, text.utf8.count < Self.pasteLimit, let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: character)) {
                    text.unicodeScalars.append(scalar)
                    pasted = text
                }
                continue
            }
            guard let key = KeyDecoder.decode(result: result, character: character) else { continue }
            if case .resize = key { refreshSize() }
            if key == .redraw { repaint() } else { onKey?(key) }
        }
    }

    private func drainWake() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &bytes, bytes.count) > 0 {}
    }

    private func begin() -> Bool {
        setlocale(LC_ALL, "")
        // The operator's locale says what the terminal shows: without UTF-8 (LANG=C) every cell
        // is drawn in ASCII. ncursesw still needs a wide-character locale to work in.
        let asciiOnly = mq_codeset_is_utf8() == 0
        if asciiOnly { setlocale(LC_CTYPE, "C.UTF-8") }
        switch device {
        case .standard:
            guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
                startError.withLock { $0 = .notATerminal }
                return false
            }
            guard initscr() != nil else {
                startError.withLock { $0 = .cannotStart("initscr failed (is TERM set?)") }
                return false
            }
        case .descriptors(let input, let output, let term):
            guard let inFile = fdopen(input, "r"), let outFile = fdopen(output, "w"), newterm(term, outFile, inFile) != nil else {
                startError.withLock { $0 = .cannotStart("newterm failed for \(term)") }
                return false
            }
        }
        cbreak()
        noecho()
        nonl()
        intrflush(mq_stdscr(), false)
        set_escdelay(25)
        curs_set(0)
        leaveok(mq_stdscr(), true)
        guard let capabilities = TerminalCapabilities.current(), let pad = newpad(1, 1) else {
            endwin()
            startError.withLock { $0 = .cannotStart("the terminal cannot move its cursor (TERM=\(String(cString: termname())))") }
            return false
        }
        keyWindow = pad
        keypad(pad, true)
        // Pasted text arrives between marks the terminal adds once asked (bracketed paste).
        define_key("\u{1B}[200~", Self.pasteStart)
        define_key("\u{1B}[201~", Self.pasteEnd)
        wtimeout(pad, 0)
        mousemask(mq_click_mask(), nil)
        mouseinterval(0)
        var capability = ColorCapability.none
        if has_colors() {
            start_color()
            use_default_colors()
            capability = ColorCapability.detect(colors: Int(mq_colors()), environment: ProcessInfo.processInfo.environment)
        }
        capabilityValue.withLock { $0 = capability }
        // Curses' one and only screen update: the alternate screen, cleared. From here on the
        // painter writes the screen.
        refresh()
        let output: Int32 = switch device {
        case .standard: STDOUT_FILENO
        case .descriptors(_, let output, _): output
        }
        painter = Painter(theme: baseTheme.mapped(to: capability), capability: capability, capabilities: capabilities, output: output, asciiOnly: asciiOnly)
        painter?.send(Self.bracketedPasteOn)
        terminal = Terminal(backend: self)
        refreshSize()
        return true
    }

    /// After Ctrl-Z and `fg` the terminal may hold anything: SIGCONT asks the curses thread to
    /// clear it and draw the whole frame again.
    private func watchContinue() {
        let source = DispatchSource.makeSignalSource(signal: SIGCONT, queue: .global())
        source.setEventHandler { [weak self] in
            self?.repaintRequested.withLock { $0 = true }
            self?.nudge()
        }
        source.resume()
        continueSource = source
    }

    /// Clears the physical screen and draws the last frame in full (Ctrl-L, SIGCONT).
    private func repaint() {
        painter?.clearScreen()
        let frame = terminal?.lastFrame
        terminal?.invalidate()
        if let frame { pending.withLock { if $0.frame == nil { $0.frame = frame } } }
    }

    private func refreshSize() {
        let size = (width: Int(mq_cols()), height: Int(mq_lines()))
        sizeValue.withLock { $0 = size }
        terminal?.invalidate()
    }

    private func drawPending() {
        guard let frame = pending.withLock({ state -> Buffer? in
            defer { state.frame = nil }
            return state.frame
        }), let terminal else { return }
        terminal.draw(frame: frame)
    }

    // MARK: - Backend (called by `terminal`, on the curses thread only)

    public func draw(_ changes: [Buffer.Change]) {
        guard let painter else { return }
        let screen = size
        for change in changes { painter.put(change, screen: screen) }
    }

    public func clear() { painter?.clearScreen() }

    public func flush() { painter?.flush() }
}
