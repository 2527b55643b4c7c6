import Foundation
import Ticketing

/// Takes money for a reservation. The outcome must depend only on the payment (its id,
/// amount, method), so every saga runner that asks gets the same answer.
public protocol PaymentGateway: Sendable {
    func charge(_ payment: PaymentID, amount: Money, method: PaymentMethod) -> PaymentOutcome
}

/// What the gateway answered and how long it took (in simulated seconds).
public struct PaymentOutcome: Sendable, Hashable {
    public var succeeded: Bool
    public var reason: String?
    public var latency: TimeInterval
}

/// A gateway that succeeds at a configurable rate after a configurable delay, drawn from a
/// generator seeded by the gateway's seed and the payment id.
public struct SimulatedGateway: PaymentGateway {
    public var seed: UInt64
    /// Share of card payments declined (0…1).
    public var failureRate: Double
    /// Share of box-office payments declined (0…1); cash and counter cards rarely fail.
    public var boxOfficeFailureRate: Double
    /// Latency in seconds, uniformly between these.
    public var latency: ClosedRange<Double>

    public init(seed: UInt64 = 1, failureRate: Double = 0.07, boxOfficeFailureRate: Double = 0, latency: ClosedRange<Double> = 0.5...3) {
        self.seed = seed
        self.failureRate = failureRate
        self.boxOfficeFailureRate = boxOfficeFailureRate
        self.latency = latency
    }

    static let reasons = ["card declined", "insufficient funds", "card expired", "authentication failed"]

    public func charge(_ payment: PaymentID, amount: Money, method: PaymentMethod) -> PaymentOutcome {
        var generator = SplitMix64(seed: seed ^ Self.hash(payment.rawValue))
        let roll = Double(generator.next() >> 11) / Double(1 << 53)
        let wait = latency.lowerBound + Double(generator.next() >> 11) / Double(1 << 53) * (latency.upperBound - latency.lowerBound)
        let rate = method == .boxOffice ? boxOfficeFailureRate : failureRate
        if roll < rate {
            return PaymentOutcome(succeeded: false, reason: Self.reasons[Int(generator.next() % UInt64(Self.reasons.count))], latency: wait)
        }
        return PaymentOutcome(succeeded: true, reason: nil, latency: wait)
    }

    /// FNV-1a: stable across processes and runs, unlike `Hasher`.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}
