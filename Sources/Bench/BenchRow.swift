import Foundation

/// One line of `marquee bench`: what was measured, against what, and whether it met its goal.
public struct BenchRow: Sendable {
    public var id: String
    public var measure: String
    /// The measured value, in `unit`; nil when the row was not measured in this build.
    public var value: Double?
    public var unit: String
    /// The baseline measured in the same run (or, where none is natural, the goal itself).
    public var baseline: Double?
    public var baselineLabel: String
    /// Whether bigger is better (throughput) or smaller (latency, bytes).
    public var higherIsBetter: Bool
    public var goal: String
    public var note: String
    /// The ratio the goal asks for (1 unless the goal is, say, "≥ 0.5 × the baseline").
    public var ratioGoal: Double = 1
    /// An absolute bound the value must also meet (in `unit`), when the goal has one.
    public var absoluteGoal: Double?
    /// Whether the goal's other conditions (besides the value) were met, e.g. P1 hot's
    /// "no command refused for a non-domain reason" and its latency bound.
    public var otherGoalsMet = true

    /// value ÷ baseline.
    public var ratio: Double? {
        guard let value, let baseline, baseline != 0 else { return nil }
        return value / baseline
    }

    /// Whether the goal is met: ratio ≥ 1 when higher is better, ≤ 1 otherwise.
    public var passed: Bool? {
        guard let ratio, let value else { return nil }
        let absolute = absoluteGoal.map { higherIsBetter ? value >= $0 : value <= $0 } ?? true
        return absolute && otherGoalsMet && (higherIsBetter ? ratio >= ratioGoal : ratio <= ratioGoal)
    }

    public var verdict: String {
        switch passed {
        case .some(true): "pass"
        case .some(false): "miss"
        case .none: "not measured"
        }
    }
}

/// Percentiles of a sample (nearest rank).
func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

/// Seconds from the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
