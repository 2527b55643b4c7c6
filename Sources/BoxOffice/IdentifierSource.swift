import Synchronization
import Ticketing

/// Where new ids come from: random in production, seeded in tests and demos so one seed gives
/// one log.
public protocol IdentifierSource: Sendable {
    /// `count` characters of Crockford base32 (no I, L, O or U, so ids read aloud well).
    func next(_ count: Int) -> String
}

extension IdentifierSource {
    /// `R-` and eight characters: 40 random bits, unique across processes in practice, and
    /// checked by the store (a clash is retried with a new id).
    public func reservationID() -> ReservationID { ReservationID("R-" + next(8)) }

    public func correlationID() -> String { "C-" + next(10) }
}

let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

/// Ids from the system's random number generator.
public struct RandomIdentifiers: IdentifierSource {
    public init() {}
    public func next(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in crockford[Int(generator.next() % 32)] })
    }
}

/// Ids from a seeded generator: the same seed gives the same sequence.
public final class SeededIdentifiers: IdentifierSource {
    private let generator: Mutex<SplitMix64>

    public init(seed: UInt64) { generator = Mutex(SplitMix64(seed: seed)) }

    public func next(_ count: Int) -> String {
        generator.withLock { generator in String((0..<count).map { _ in crockford[Int(generator.next() % 32)] }) }
    }
}

/// SplitMix64: a tiny, fast, well-distributed seeded generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
