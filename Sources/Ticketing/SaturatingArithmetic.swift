/// Sums kept by read models, which must fold whatever the log holds (a store written before
/// prices were bounded may hold absurd ones): at the limit they stay there instead of trapping.
extension Int64 {
    /// `self + other`, held at `Int64.max` or `Int64.min` instead of overflowing.
    public func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self * other`, held at the limit instead of overflowing.
    public func saturatingMultiply(_ other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
