import Foundation
import GSL
import Numerics
import Studies
import Testing

/// The one contamination verdict, on per-seed numbers built by hand (t(0.975, 4) = 2.776 for five seeds).
@Suite("Contamination verdict")
struct ContaminationVerdictTests {
    /// Runs with these growths, signed projections and risk gaps (seeds 0, 1, …), each fitting its training set.
    static func runs(growth: [Double], signed: [Double], risk: [Double], fit: [Double]? = nil) -> [ContaminationVerdict.Run] {
        growth.indices.map { s in
            ContaminationVerdict.Run(
                seed: UInt64(s), growth: growth[s], signed: signed[s], riskGap: risk[s], trainAccuracy: fit?[s] ?? 1)
        }
    }

    static let control = runs(growth: [1.00, 1.05, 0.95, 1.02, 0.98], signed: [0, 0, 0, 0, 0], risk: [0.01, 0.02, 0.015, 0.01, 0.02])

    @Test("Interval tests: above, below, or across the threshold with the seeds that would decide it")
    func thresholdTest() {
        #expect(ThresholdTest(Estimate([2.0, 2.1, 1.9]), threshold: 1) == .above)
        #expect(ThresholdTest(Estimate([0.5, 0.6, 0.4]), threshold: 1) == .below)
        #expect(ThresholdTest(Estimate([3.0]), threshold: 1) == .undecided(seedsNeeded: nil))
        // Mean 1.5, sd 1 (values 0.5, 1.5, 2.5): half-width t(n−1)/√n drops below 0.5 first at n = 18
        // (t(0.975, 17) = 2.110, 2.110/√18 = 0.497; at n = 17, 2.120/√17 = 0.514).
        #expect(ThresholdTest(Estimate([0.5, 1.5, 2.5]), threshold: 1) == .undecided(seedsNeeded: 18))
    }

    @Test("Toy-regime tanh and sigmoid: large growth without a sign is 'yes (unsigned)', never 'no'")
    func unsigned() {
        // The measurements: tanh grows 11.2× (CI 4–18), sigmoid 19.9× (CI 15–24), signed ≈ 0.
        let tanh = Self.runs(
            growth: [6.0, 9.0, 11.0, 13.5, 16.5], signed: [0.004, -0.006, 0.002, -0.003, 0.001], risk: [0.30, 0.45, 0.52, 0.61, 0.70])
        let sigmoid = Self.runs(
            growth: [16.5, 18.5, 20.0, 21.5, 23.0], signed: [-0.002, 0.003, 0.001, -0.004, 0.002], risk: [0.5, 0.6, 0.55, 0.7, 0.65])
        for runs in [tanh, sigmoid] {
            #expect(ContaminationVerdict(runs, control: Self.control).outcome == .yesUnsigned)
            #expect(ContaminationVerdict(runs, control: nil).outcome == .yesUnsigned)
        }
        let signed = Self.runs(growth: [5, 6, 7, 6, 5], signed: [0.05, 0.06, 0.05, 0.07, 0.06], risk: [0.3, 0.4, 0.35, 0.3, 0.4])
        let verdict = ContaminationVerdict(signed, control: Self.control)
        #expect(verdict.outcome == .yes && verdict.decidedBy == nil)
        #expect(
            verdict.growthFactor.mean.isApproximatelyEqual(to: exp((log(5.0) + log(6 / 1.05) + log(7 / 0.95) + log(6 / 1.02) + log(5 / 0.98)) / 5)))
    }

    @Test("A straddling interval is 'inconclusive' with a seed estimate; low power is never 'no'")
    func inconclusive() {
        // Two seeds (t = 12.7): growth 1.42× on average, as GELU + Adam in the issue.
        let verdict = ContaminationVerdict(
            Self.runs(growth: [1.1, 1.8], signed: [0.01, 0.02], risk: [0.7, 0.8]), control: Array(Self.control.prefix(2)))
        #expect(verdict.outcome == .inconclusive && verdict.decidedBy == .growth)
        let seeds = verdict.seedsNeeded ?? 0
        #expect(seeds > 2 && seeds < 1000, "seeds needed \(seeds)")
        // At that many seeds, the same mean and spread would decide it.
        let spread = verdict.logGrowthRatio.standardDeviation, distance = abs(verdict.logGrowthRatio.mean - log(1.2))
        let halfWidth = { (n: Int) in Statistics.studentTQuantile(0.975, degreesOfFreedom: Double(n - 1)) * spread / Double(n).squareRoot() }
        #expect(halfWidth(seeds) < distance && halfWidth(seeds - 1) >= distance)
        // The risk gap decides when growth is settled but the risk interval straddles 0.
        let risky = ContaminationVerdict(
            Self.runs(growth: [3, 3.2, 2.9, 3.1, 3], signed: [0.05, 0.06, 0.05, 0.07, 0.06], risk: [0.2, -0.19, 0.1, -0.05, 0.0]),
            control: Self.control)
        #expect(risky.outcome == .inconclusive && risky.decidedBy == .riskGap)
    }

    @Test("'No' names the condition that failed: growth, or the risk gap")
    func reasons() {
        let flat = ContaminationVerdict(
            Self.runs(growth: [1.0, 1.02, 0.98, 1.01, 0.99], signed: [0.05, 0.06, 0.05, 0.07, 0.06], risk: [0.3, 0.4, 0.35, 0.3, 0.4]),
            control: Self.control)
        #expect(flat.outcome == .no && flat.decidedBy == .growth)
        let harmless = ContaminationVerdict(
            Self.runs(growth: [3, 3.2, 2.9, 3.1, 3], signed: [0.05, 0.06, 0.05, 0.07, 0.06], risk: [-0.3, -0.4, -0.35, -0.3, -0.4]),
            control: Self.control)
        #expect(harmless.outcome == .no && harmless.decidedBy == .riskGap)
        // Without a control, growth alone against 1.2 (no growth times the margin).
        let alone = ContaminationVerdict(Self.runs(growth: [1.0, 1.05, 0.97], signed: [0, 0, 0], risk: [0, 0, 0]), control: nil)
        #expect(alone.outcome == .no && alone.decidedBy == .growth && alone.riskTest == nil)
    }

    @Test("A control that does not fit its training set is no control: nothing is compared with it, the verdict is the one without")
    func failedControl() {
        let control = Self.runs(
            growth: [1, 1, 1, 1, 1], signed: [0, 0, 0, 0, 0], risk: [0, 0, 0, 0, 0], fit: [1, 1, 0.5, 1, 0.62])
        let verdict = ContaminationVerdict(
            Self.runs(growth: [5, 6, 7, 6, 5], signed: [0.05, 0.06, 0.05, 0.07, 0.06], risk: [0.3, 0.4, 0.35, 0.3, 0.4]), control: control)
        // Judged as without a control (growth alone against 1.2), and marked.
        #expect(verdict.controlFits == false && verdict.outcome == .yes && verdict.riskTest == nil)
        #expect(
            ContaminationVerdict(Self.runs(growth: [5, 6, 7, 6, 5], signed: Self.control.map(\.signed), risk: [0, 0, 0, 0, 0]), control: control)
                .outcome == .yesUnsigned)
    }
}
