import GSL

/// Mean, spread and 95% t-interval of one quantity over a cell's seeds.
public struct Estimate: Sendable {
    public var values: [Double]
    public var mean: Double
    public var standardDeviation: Double
    /// Half-width of the 95% t-interval; nil with a single seed.
    public var halfWidth: Double?

    /// Values that are NaN (an estimate undefined for that seed) are left out and counted here.
    public var undefinedCount: Int

    public init(_ values: [Double]) {
        self.values = values.filter { !$0.isNaN }
        undefinedCount = values.count - self.values.count
        let summary = Statistics.summarize(self.values)
        mean = summary.mean
        standardDeviation = summary.standardDeviation
        halfWidth = summary.halfWidth95
    }

    public var lower: Double { mean - (halfWidth ?? 0) }
    public var upper: Double { mean + (halfWidth ?? 0) }
}
