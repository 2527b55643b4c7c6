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
        if previous?.area != frame.area { backend.clear() }
        backend.draw(frame.diff(previous?.area == frame.area ? previous : nil))
        backend.flush()
        previous = frame
        return frame
    }

    /// Forgets the last frame, so the next draw repaints everything (after a resize or a glitch).
    public func invalidate() { previous = nil }
}
