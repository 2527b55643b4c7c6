import EventStore
import Foundation
import Synchronization

/// Where "now" comes from. Injected everywhere, so tests advance time instead of sleeping and
/// every process on one store shares one (possibly accelerated) clock.
///
/// - Important: times are whole milliseconds, as the store keeps them.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The machine's clock.
public struct SystemClock: TimeSource {
    public init() {}
    public func now() -> Date { Timestamp.rounded(Date()) }
}

/// A clock that moves only when told: tests set and advance it.
public final class ManualClock: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(Timestamp.rounded(start))
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = Timestamp.rounded($0.addingTimeInterval(seconds)) }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = Timestamp.rounded(date) }
    }
}

/// Simulated time running `speed` times faster than the machine's clock from a shared origin:
/// every process that knows (`origin`, `realOrigin`, `speed`) computes the same now.
public struct AcceleratedClock: TimeSource {
    public let origin: Date
    public let realOrigin: Date
    public let speed: Double

    public init(origin: Date, realOrigin: Date, speed: Double) {
        self.origin = origin
        self.realOrigin = realOrigin
        self.speed = speed
    }

    public func now() -> Date {
        Timestamp.rounded(origin.addingTimeInterval(Date().timeIntervalSince(realOrigin) * speed))
    }
}
