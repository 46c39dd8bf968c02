@testable import Reports
import Studies
import Testing

/// The verdict's sentence names the condition that decided, with that condition's numbers.
@Suite("Verdict sentences")
struct VerdictTextTests {
    static func runs(growth: [Double], signed: [Double], risk: [Double], fit: Double = 1) -> [ContaminationVerdict.Run] {
        growth.indices.map {
            ContaminationVerdict.Run(seed: UInt64($0), growth: growth[$0], signed: signed[$0], riskGap: risk[$0], trainAccuracy: fit)
        }
    }

    static let control = runs(growth: [1, 1.05, 0.95, 1.02, 0.98], signed: [0, 0, 0, 0, 0], risk: [0.01, 0.02, 0.015, 0.01, 0.02])
    static let signed = [0.05, 0.06, 0.05, 0.07, 0.06]

    func sentence(_ runs: [ContaminationVerdict.Run], control: [ContaminationVerdict.Run]? = Self.control) -> String {
        VerdictText(verdict: ContaminationVerdict(runs, control: control), shift: "flip").sentence
    }

    @Test("Each outcome's sentence gives its reason")
    func reasons() {
        let yes = sentence(Self.runs(growth: [5, 6, 7, 6, 5], signed: Self.signed, risk: [0.3, 0.4, 0.35, 0.3, 0.4]))
        #expect(yes.hasPrefix("**Verdict: feature contamination**") && yes.contains("the linear control's") && yes.contains("`flip`"))
        let unsigned = sentence(Self.runs(growth: [5, 6, 7, 6, 5], signed: [0.01, -0.01, 0.005, -0.004, 0], risk: [0.3, 0.4, 0.35, 0.3, 0.4]))
        #expect(unsigned.contains("unsigned") && unsigned.contains("sign is not established"))
        let opposite = sentence(
            Self.runs(growth: [5, 6, 7, 6, 5], signed: [-0.05, -0.06, -0.05, -0.07, -0.06], risk: [0.3, 0.4, 0.35, 0.3, 0.4]))
        #expect(opposite.contains("unsigned") && opposite.contains("signed projection is negative") && !opposite.contains("reaches 0"))
        let flat = sentence(Self.runs(growth: [1, 1.02, 0.98, 1.01, 0.99], signed: Self.signed, risk: [0.3, 0.4, 0.35, 0.3, 0.4]))
        #expect(flat.contains("no contamination") && flat.contains("growth interval lies below 1.2×"))
        let harmless = sentence(Self.runs(growth: [3, 3.2, 2.9, 3.1, 3], signed: Self.signed, risk: [-0.3, -0.4, -0.35, -0.3, -0.4]))
        #expect(harmless.contains("no contamination") && harmless.contains("risk gap is below the linear control's"))
        let low = sentence(Self.runs(growth: [1.1, 1.8], signed: [0.01, 0.02], risk: [0.7, 0.8]), control: Array(Self.control.prefix(2)))
        #expect(low.contains("inconclusive") && low.contains("growth interval straddles 1.2×") && low.contains("seeds would likely decide"))
        let risky = sentence(Self.runs(growth: [3, 3.2, 2.9, 3.1, 3], signed: Self.signed, risk: [0.2, -0.19, 0.1, -0.05, 0]))
        #expect(risky.contains("inconclusive") && risky.contains("risk gap's interval straddles 0"))
        let failed = sentence(
            Self.runs(growth: [5, 6, 7, 6, 5], signed: Self.signed, risk: [0.3, 0.4, 0.35, 0.3, 0.4]),
            control: Self.runs(growth: [1, 1, 1, 1, 1], signed: [0, 0, 0, 0, 0], risk: [0, 0, 0, 0, 0], fit: 0.6))
        #expect(failed.contains("control does not fit its training set") && failed.contains("**no control**") && failed.contains("judged alone"))
        #expect(failed.contains("feature contamination") && !failed.contains("the linear control's ("))
        let alone = sentence(Self.runs(growth: [1, 1.05, 0.97], signed: [0, 0, 0], risk: [0, 0, 0]), control: nil)
        #expect(alone.contains("no linear control to compare with"))
        let linear = VerdictText(
            verdict: ContaminationVerdict(Self.runs(growth: [1, 1.05, 0.97], signed: [0, 0, 0], risk: [0, 0, 0]), control: nil), shift: "flip",
            ofLinearNetwork: true)
        #expect(linear.sentence.contains("a linear network is the control") && !linear.sentence.contains("no linear control"))
    }

    @Test("Table labels: yes, yes (unsigned), no, inconclusive with a seed estimate or a failed control")
    func labels() {
        let low = VerdictText(
            verdict: ContaminationVerdict(
                Self.runs(growth: [1.1, 1.8], signed: [0.01, 0.02], risk: [0.7, 0.8]), control: Array(Self.control.prefix(2))), shift: "flip")
        #expect(low.label.hasPrefix("inconclusive (≈") && low.label.hasSuffix(" seeds)"))
        let failed = VerdictText(
            verdict: ContaminationVerdict(
                Self.runs(growth: [5, 6, 7], signed: [0.05, 0.06, 0.05], risk: [0.3, 0.4, 0.35]),
                control: Self.runs(growth: [1, 1, 1], signed: [0, 0, 0], risk: [0, 0, 0], fit: 0.5)), shift: "flip")
        #expect(failed.label == "**yes** (control fails)")
    }
}
