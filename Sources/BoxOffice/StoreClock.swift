import EventStore
import Foundation

/// The clock a store runs on, recorded when the store is created so that every process that
/// attaches later — a second console, more simulators — computes the same "now".
public struct StoreClock: Sendable, Hashable {
    /// Simulated time at `realOrigin`.
    public var origin: Date
    public var realOrigin: Date
    /// How many simulated seconds pass per real second (1 to 60).
    public var speed: Double

    public static let speeds: ClosedRange<Double> = 1...60

    public var clock: AcceleratedClock { AcceleratedClock(origin: origin, realOrigin: realOrigin, speed: speed) }

    /// Reads the store's clock, recording one (starting now, at `speed`, default 1) if it has
    /// none. When the store already has a clock and `speed` is given and differs, it is refused.
    /// A read-only process (`record` false) uses the recorded clock, or real time when none was recorded.
    public static func attach(_ store: any EventStore, speed: Double?, record: Bool = true, now: Date = Date()) throws(StoreClockError) -> StoreClock {
        let requested = speed ?? 1
        guard speeds.contains(requested) else { throw .speedOutOfRange(requested) }
        let proposal = "\(Timestamp.string(now)) \(Timestamp.string(now)) \(requested)"
        let stored: String
        do throws(EventStoreError) {
            if let existing = try store.info("clock") {
                stored = existing
            } else if record {
                stored = try store.setInfoIfAbsent("clock", proposal)
            } else {
                stored = "\(Timestamp.string(now)) \(Timestamp.string(now)) 1"
            }
        } catch {
            throw .store(error)
        }
        let parts = stored.split(separator: " ")
        guard parts.count == 3, let origin = Timestamp.date(String(parts[0])), let realOrigin = Timestamp.date(String(parts[1])),
              let storedSpeed = Double(parts[2]) else { throw .unreadable(stored) }
        if let speed, speed != storedSpeed { throw .speedMismatch(requested: speed, store: storedSpeed) }
        return StoreClock(origin: origin, realOrigin: realOrigin, speed: storedSpeed)
    }
}

/// Why a store's clock cannot be used.
public enum StoreClockError: Error, Hashable, Sendable, CustomStringConvertible {
    case speedOutOfRange(Double)
    case speedMismatch(requested: Double, store: Double)
    case unreadable(String)
    case store(EventStoreError)

    public var description: String {
        switch self {
        case .speedOutOfRange(let speed):
            "speed ×\(Self.format(speed)) is out of range: choose 1 to 60"
        case .speedMismatch(let requested, let store):
            "this store runs at ×\(Self.format(store)); it cannot change to ×\(Self.format(requested))"
        case .unreadable(let text):
            "the store's clock setting \"\(text)\" is unreadable"
        case .store(let error):
            error.description
        }
    }

    public static func format(_ speed: Double) -> String {
        speed == speed.rounded() ? String(Int(speed)) : String(speed)
    }
}
