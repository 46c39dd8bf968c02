import Foundation

/// Does a configuration's network learn label-independent background features — feature
/// contamination (Zhang et al., ICML 2024) — judged from its seeds, paired with the linear control
/// trained identically where the scenario has one. One rule for a configuration alone and inside a
/// sweep, with four outcomes; the condition that decided is kept so the report prints that reason.
///
/// The conditions, each on a 95% t-interval over seeds (`ThresholdTest`):
/// 1. with a control, the control fits its training set (train accuracy ≥ 0.99 on every seed);
///    otherwise it is no control: nothing is compared with it and the verdict is the one without a
///    control (`controlFits` false says so);
/// 2. background growth above `growthMargin` × the control's (per seed, log of the ratio; without a
///    control, above `growthMargin` × no growth);
/// 3. with a control and a shift, the OOD − ID risk gap under the primary shift above the control's (per seed);
/// 4. for "yes", the signed background projection above 0 (Thm 4.2's sign); otherwise "yes (unsigned)":
///    the background weights grew in both directions, which still couples the shift into the outputs.
/// A condition whose interval lies on the wrong side decides "no"; one whose interval straddles its
/// threshold decides "inconclusive", with the seeds that would likely decide it.
public struct ContaminationVerdict: Sendable {
    public enum Outcome: Sendable, Equatable {
        case yes, yesUnsigned, no, inconclusive
    }

    /// What the verdict tests, in the order it reads them.
    public enum Condition: Sendable, Equatable {
        case growth, riskGap
    }

    /// How much more the background projection must grow than the control's (or than not at all).
    public static let growthMargin = 1.2
    /// The train accuracy at which a network fits its training set; a control must reach it on every
    /// seed to count as one.
    public static let controlFit = 0.99

    public var outcome: Outcome
    /// For "no" and "inconclusive": the condition that decided; nil for "yes".
    public var decidedBy: Condition?
    /// For "inconclusive" on growth or risk: the seeds that would likely decide it.
    public var seedsNeeded: Int?
    /// Per paired seed, log(growth / control's growth), or log(growth) without a (fitting) control.
    public var logGrowthRatio: Estimate
    public var growthTest: ThresholdTest
    /// Per paired seed, the OOD − ID risk gap minus the control's; nil without a control.
    public var riskGapBeyondControl: Estimate?
    public var riskTest: ThresholdTest?
    public var signed: Estimate
    public var signedTest: ThresholdTest
    /// The control's train accuracy over its seeds; nil without a control.
    public var controlTrainAccuracy: Estimate?
    /// Whether the scenario's linear control fits its training set; nil without a control.
    public var controlFits: Bool?

    /// One run's numbers the verdict reads.
    public struct Run: Sendable {
        public var seed: UInt64
        public var growth: Double
        public var signed: Double
        /// OOD loss minus ID loss under the primary shift (NaN without a shift).
        public var riskGap: Double
        public var trainAccuracy: Double

        public init(seed: UInt64, growth: Double, signed: Double, riskGap: Double, trainAccuracy: Double) {
            self.seed = seed
            self.growth = growth
            self.signed = signed
            self.riskGap = riskGap
            self.trainAccuracy = trainAccuracy
        }
    }

    /// The verdict on `runs` (completed runs of one configuration), against the `control`'s runs when
    /// the scenario has a linear control trained identically; runs are paired by seed.
    public init(_ runs: [Run], control: [Run]?) {
        signed = Estimate(runs.map(\.signed))
        signedTest = ThresholdTest(signed, threshold: 0)
        let margin = log(Self.growthMargin)
        controlTrainAccuracy = control.map { Estimate($0.map(\.trainAccuracy)) }
        controlFits = control.map { !$0.isEmpty && $0.allSatisfy { $0.trainAccuracy >= Self.controlFit } }
        // Without a control, or with one that does not fit (no control): growth alone, no comparison.
        guard let control, controlFits == true else {
            logGrowthRatio = Estimate(runs.map { log($0.growth) })
            growthTest = ThresholdTest(logGrowthRatio, threshold: margin)
            (outcome, decidedBy, seedsNeeded) = Self.combine(growth: growthTest, risk: nil, signed: signedTest)
            return
        }
        let bySeed = Dictionary(control.map { ($0.seed, $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = runs.compactMap { run in bySeed[run.seed].map { (run, $0) } }
        logGrowthRatio = Estimate(pairs.map { log($0.0.growth / $0.1.growth) })
        growthTest = ThresholdTest(logGrowthRatio, threshold: margin)
        // Without a shift there is no risk gap: the condition is not assessed.
        let risk = Estimate(pairs.map { $0.0.riskGap - $0.1.riskGap })
        riskGapBeyondControl = risk.values.isEmpty ? nil : risk
        riskTest = risk.values.isEmpty ? nil : ThresholdTest(risk, threshold: 0)
        (outcome, decidedBy, seedsNeeded) = Self.combine(growth: growthTest, risk: riskTest, signed: signedTest)
    }

    /// The outcome, the condition that decided it and the seeds that would decide an undecided one.
    static func combine(growth: ThresholdTest, risk: ThresholdTest?, signed: ThresholdTest) -> (Outcome, Condition?, Int?) {
        if growth == .below { return (.no, .growth, nil) }
        if risk == .below { return (.no, .riskGap, nil) }
        if case let .undecided(seeds) = growth { return (.inconclusive, .growth, seeds) }
        if case let .undecided(seeds)? = risk { return (.inconclusive, .riskGap, seeds) }
        return (signed == .above ? .yes : .yesUnsigned, nil, nil)
    }

    /// The growth ratio and its interval as factors (exp of the log-scale estimate).
    public var growthFactor: (mean: Double, lower: Double, upper: Double) {
        (exp(logGrowthRatio.mean), exp(logGrowthRatio.lower), exp(logGrowthRatio.upper))
    }
}
