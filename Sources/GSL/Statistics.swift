import CGSL

/// Summary statistics for results over seeds.
public enum Statistics {
    /// The p-quantile of Student's t distribution with `degreesOfFreedom` (GSL's `gsl_cdf_tdist_Pinv`).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        ensureGSLReady()
        return gsl_cdf_tdist_Pinv(p, degreesOfFreedom)
    }

    /// Mean, sample standard deviation and the half-width of the two-sided 95% t-interval of the mean.
    /// With one value the spread is 0 and the half-width is `nil` (undefined).
    public static func summarize(_ values: [Double]) -> (mean: Double, standardDeviation: Double, halfWidth95: Double?) {
        let n = values.count
        guard n > 0 else { return (.nan, .nan, nil) }
        let mean = values.reduce(0, +) / Double(n)
        guard n > 1 else { return (mean, 0, nil) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let sd = variance.squareRoot()
        let t = studentTQuantile(0.975, degreesOfFreedom: Double(n - 1))
        return (mean, sd, t * sd / Double(n).squareRoot())
    }

    /// Pearson's correlation of paired values (GSL's `gsl_stats_correlation`); nil with fewer than
    /// three pairs, unequal counts, a non-finite value or a constant side (no correlation is defined).
    public static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count > 2, (x + y).allSatisfy(\.isFinite), Set(x).count > 1, Set(y).count > 1 else { return nil }
        ensureGSLReady()
        let r = x.withUnsafeBufferPointer { a in
            y.withUnsafeBufferPointer { b in gsl_stats_correlation(a.baseAddress, 1, b.baseAddress, 1, x.count) }
        }
        return r.isFinite ? r : nil
    }
}
