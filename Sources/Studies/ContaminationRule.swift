/// The contamination rules the reports apply today, as they are (the next step replaces them with one
/// verdict): one for a configuration on its own and one for a configuration beside its linear control.
public enum ContaminationRule {
    /// The growth a configuration on its own must exceed, with 95% confidence.
    public static let growthThreshold = 1.2

    /// A configuration on its own contaminates when the lower 95% bound of its background growth
    /// exceeds `growthThreshold` and its signed background projection is positive beyond its CI;
    /// nil without a completed run.
    public static func alone(growth: Estimate, signed: Estimate) -> Bool? {
        guard !growth.values.isEmpty else { return nil }
        return growth.lower > growthThreshold && signedPositive(signed)
    }

    /// Beside its linear control (trained identically): the 95% interval of background growth lies
    /// above the control's.
    public static func againstControl(growth: Estimate, controlGrowth: Estimate) -> Bool {
        growth.lower > controlGrowth.upper
    }

    /// Thm 4.2's signature: the signed background projection's interval excludes 0 upwards.
    public static func signedPositive(_ signed: Estimate) -> Bool { signed.lower > 0 }
}
