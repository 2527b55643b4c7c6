import Dispatch
import Synchronization

/// Where frames go: a real terminal (ncurses) or memory (tests). Narrow on purpose.
public protocol Backend: AnyObject {
    /// The drawable size in cells.
    var size: (width: Int, height: Int) { get }
    /// Draws changed cells; nothing shows until `flush`.
    func draw(_ changes: [Buffer.Change])
    func clear()
    func flush()
}

/// An in-memory backend: keeps what was drawn, counts what changed.
public final class TestBackend: Backend {
    public private(set) var buffer: Buffer
    public private(set) var cellsDrawn = 0
    public private(set) var flushes = 0

    public init(width: Int, height: Int) { buffer = Buffer(area: Rect(width: width, height: height)) }

    public var size: (width: Int, height: Int) { (buffer.area.width, buffer.area.height) }

    public func resize(width: Int, height: Int) { buffer = Buffer(area: Rect(width: width, height: height)) }

    public func draw(_ changes: [Buffer.Change]) {
        for change in changes {
            buffer.set(change.x, change.y, change.cell)
            cellsDrawn += 1
        }
    }

    public func clear() { buffer = Buffer(area: buffer.area) }
    public func flush() { flushes += 1 }
}

/// Where finished frames go: a terminal, or memory in tests and the bench. `present` may be
/// called from any thread.
public protocol Display: AnyObject, Sendable {
    var size: (width: Int, height: Int) { get }
    func present(_ frame: Buffer)
    /// Draws every later frame, and the current one again, with another theme.
    func use(theme: Theme)
}

extension Display {
    /// A display that draws no colours has nothing to change.
    public func use(theme: Theme) {}
}

/// Frames kept in memory, through the same `Terminal` and diff a real terminal uses: the one
/// in-memory display of the tests and the bench. Says when each frame arrived and how many
/// cells it changed.
public final class MemoryDisplay: Display, @unchecked Sendable {
    private struct State {
        var terminal: Terminal
        var backend: TestBackend
        var frames = 0
        var lastAt: UInt64 = 0
    }

    private let state: Mutex<State>
    public let size: (width: Int, height: Int)

    public init(width: Int, height: Int) {
        size = (width, height)
        let backend = TestBackend(width: width, height: height)
        state = Mutex(State(terminal: Terminal(backend: backend), backend: backend))
    }

    public func present(_ frame: Buffer) {
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { state in
            state.terminal.draw(frame: frame)
            state.frames += 1
            state.lastAt = now
        }
    }

    /// Frames presented so far.
    public var frames: Int { state.withLock { $0.frames } }
    /// What the screen shows now, line by line.
    public var lines: [String] { state.withLock { $0.backend.buffer.lines } }
    /// Cells the diffs have changed so far.
    public var cellsDrawn: Int { state.withLock { $0.backend.cellsDrawn } }

    /// Waits until more than `count` frames have been presented; returns when the last one was
    /// (`DispatchTime` uptime nanoseconds).
    public func waitForFrame(after count: Int) async -> UInt64 {
        while true {
            let (frames, lastAt) = state.withLock { ($0.frames, $0.lastAt) }
            if frames > count { return lastAt }
            try? await Task.sleep(for: .microseconds(200))
        }
    }

    /// Waits, up to `timeout` seconds, until the screen's text satisfies `condition`. Generous:
    /// a whole test suite on two cores can keep a console's loop off the CPU for seconds.
    public func waitFor(timeout: Double = 60, _ condition: (String) -> Bool) async -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            if frames > 0, condition(lines.joined(separator: "\n")) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

/// Keeps the last frame and sends a backend only what changed in the next one.
public final class Terminal {
    public let backend: any Backend
    private var previous: Buffer?

    public init(backend: any Backend) { self.backend = backend }

    /// Renders a frame at the backend's current size and draws the difference.
    @discardableResult
    public func draw(_ render: (inout Buffer) -> Void) -> Buffer {
        let size = backend.size
        var frame = Buffer(area: Rect(width: size.width, height: size.height))
        render(&frame)
        draw(frame: frame)
        return frame
    }

    /// Draws a finished frame: only what differs from the last one, everything when the size
    /// changed or after `invalidate()`. The one place a frame is diffed.
    public func draw(frame: Buffer) {
        if previous?.area != frame.area { backend.clear() }
        backend.draw(frame.diff(previous?.area == frame.area ? previous : nil))
        backend.flush()
        previous = frame
    }

    /// The frame last drawn (nil before the first, and after `invalidate()`).
    public var lastFrame: Buffer? { previous }

    /// Forgets the last frame, so the next draw repaints everything (after a resize or a glitch).
    public func invalidate() { previous = nil }
}
