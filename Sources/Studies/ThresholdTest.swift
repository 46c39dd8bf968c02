import GSL

/// Where a quantity's 95% t-interval over seeds lies against a threshold — above it, below it, or
/// across it — and, across it, how many seeds would likely decide at the observed mean and spread.
/// A verdict built on it says "inconclusive" rather than reading low power as a negative.
public enum ThresholdTest: Sendable, Equatable {
    case above
    case below
    /// The interval contains the threshold, or there are fewer than two values (no interval).
    /// `seedsNeeded`: the smallest seed count whose interval, at the observed mean and standard
    /// deviation, would exclude the threshold; nil when no spread or distance gives one (up to 1000).
    case undecided(seedsNeeded: Int?)

    public init(_ estimate: Estimate, threshold: Double) {
        let n = estimate.values.count
        guard n >= 2, let halfWidth = estimate.halfWidth else {
            self = .undecided(seedsNeeded: nil)
            return
        }
        if estimate.mean - halfWidth > threshold {
            self = .above
        } else if estimate.mean + halfWidth < threshold {
            self = .below
        } else {
            self = .undecided(
                seedsNeeded: Self.seedsNeeded(distance: abs(estimate.mean - threshold), spread: estimate.standardDeviation, beyond: n))
        }
    }

    /// The smallest n > `count` with t(0.975, n − 1)·spread/√n < distance.
    static func seedsNeeded(distance: Double, spread: Double, beyond count: Int, limit: Int = 1000) -> Int? {
        guard distance > 0, spread > 0, distance.isFinite, spread.isFinite, count < limit else { return nil }
        return ((count + 1)...limit).first { n in
            Statistics.studentTQuantile(0.975, degreesOfFreedom: Double(n - 1)) * spread / Double(n).squareRoot() < distance
        }
    }
}
