import Foundation

/// How simulated buyers behave (`demo/scenarios/*.json`): how often they come, how many seats
/// they want and where, and what they do with a hold.
public struct Scenario: Codable, Sendable, Hashable {
    public struct Range: Codable, Sendable, Hashable {
        public var min: Double
        public var max: Double
    }

    /// A burst of buyers at the start: an on-sale rush.
    public struct Spike: Codable, Sendable, Hashable {
        public var buyers: Int
        public var withinSeconds: Double
    }

    public var name: String
    public var description: String
    /// Mean arrivals per simulated minute (Poisson).
    public var arrivalsPerMinute: Double
    /// Party size → weight.
    public var partySize: [String: Double]
    /// `best-first` (most buyers want the first section) or `price-balanced` (any section).
    public var sectionPreference: String
    /// Share of buyers who ask for best-available instead of choosing seats on the map.
    public var bestAvailableShare: Double
    public var payProbability: Double
    public var thinkTimeSeconds: Range
    public var abandonProbability: Double
    public var cancelBeforePayProbability: Double
    public var cancelAfterPayProbability: Double
    public var extendProbability: Double
    public var paymentFailureRate: Double
    public var spike: Spike?

    /// Checks ranges so a typo in a scenario file gets a clear message, not odd behaviour.
    public func validate() throws(DemoError) {
        func refuse(_ problem: String) -> DemoError { .invalidFile(kind: "scenario", name: name, problem: problem) }
        guard arrivalsPerMinute >= 0, arrivalsPerMinute <= 100_000 else { throw refuse("arrivalsPerMinute must be 0–100000") }
        guard !partySize.isEmpty, partySize.allSatisfy({ Int($0.key).map { (1...20).contains($0) } == true && $0.value >= 0 }),
              partySize.values.reduce(0, +) > 0 else {
            throw refuse("partySize must map sizes 1–20 to non-negative weights, e.g. {\"2\": 0.5, \"4\": 0.5}")
        }
        guard ["best-first", "price-balanced"].contains(sectionPreference) else {
            throw refuse("sectionPreference must be best-first or price-balanced, not \"\(sectionPreference)\"")
        }
        let probabilities = [
            ("bestAvailableShare", bestAvailableShare), ("payProbability", payProbability), ("abandonProbability", abandonProbability),
            ("cancelBeforePayProbability", cancelBeforePayProbability), ("cancelAfterPayProbability", cancelAfterPayProbability),
            ("extendProbability", extendProbability), ("paymentFailureRate", paymentFailureRate),
        ]
        for (key, value) in probabilities where !(0...1).contains(value) { throw refuse("\(key) must be between 0 and 1") }
        guard thinkTimeSeconds.min >= 0, thinkTimeSeconds.max >= thinkTimeSeconds.min else {
            throw refuse("thinkTimeSeconds needs 0 ≤ min ≤ max")
        }
        if let spike, spike.buyers < 0 || spike.buyers > 100_000 || spike.withinSeconds <= 0 {
            throw refuse("spike needs 0–100000 buyers within a positive number of seconds")
        }
    }
}

/// What went wrong finding or reading demo content.
public enum DemoError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingFolder
    case unknown(kind: String, name: String, available: [String])
    case invalidFile(kind: String, name: String, problem: String)

    public var description: String {
        switch self {
        case .missingFolder:
            "cannot find the demo/ folder (venues and scenarios); run marquee from the repository, or pass a path"
        case .unknown(let kind, let name, let available):
            "unknown \(kind) \"\(name)\"; available: \(available.joined(separator: ", "))"
        case .invalidFile(let kind, let name, let problem):
            "\(kind) \(name) is not usable: \(problem)"
        }
    }
}
