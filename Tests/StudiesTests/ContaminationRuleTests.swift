import Studies
import Testing

/// Today's two rules, checked on intervals built by hand (3 seeds: t(0.975, 2) = 4.303).
@Suite("Contamination rules")
struct ContaminationRuleTests {
    @Test("Alone: growth's lower bound above 1.2 and the signed projection's above 0; nil without runs")
    func alone() {
        let growing = Estimate([1.80, 1.82, 1.78]), signed = Estimate([0.05, 0.052, 0.054])
        #expect(growing.lower > 1.7)
        #expect(ContaminationRule.alone(growth: growing, signed: signed) == true)
        // Growth that is large on average but whose interval reaches below 1.2 does not decide it.
        #expect(ContaminationRule.alone(growth: Estimate([1.1, 2.0, 1.5]), signed: signed) == false)
        // Unsigned growth (|h|, h²) is not contamination for this rule.
        #expect(ContaminationRule.alone(growth: growing, signed: Estimate([0.01, -0.02, 0.005])) == false)
        #expect(ContaminationRule.alone(growth: Estimate([]), signed: signed) == nil)
    }

    @Test("Against the control: the growth interval lies entirely above the control's")
    func againstControl() {
        let control = Estimate([0.82, 0.83, 0.81])
        #expect(ContaminationRule.againstControl(growth: Estimate([1.2, 1.25, 1.22]), controlGrowth: control))
        #expect(!ContaminationRule.againstControl(growth: Estimate([0.7, 1.4, 1.0]), controlGrowth: control))
    }
}
