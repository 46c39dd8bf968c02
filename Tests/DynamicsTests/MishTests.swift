@testable import Dynamics
import Numerics
import Schema
import Testing

/// Mish, added in one file (Sources/Dynamics/Activation.swift: a case, its name, meaning and one
/// value-and-slope function); GradientTests checks its slope against finite differences with the others.
@Suite("Mish")
struct MishTests {
    @Test("Values against an independent evaluation of x·tanh(log1p(eˣ)); σ'(0) = tanh(ln 2) = 3/5")
    func values() {
        // Python: x * math.tanh(math.log1p(math.exp(x))).
        let reference: [(Double, Double)] = [
            (-3, -0.1456474612756246), (-1, -0.30340146137410895), (0, 0),
            (0.5, 0.3752452113048951), (1, 0.8650983882673103), (2, 1.9439589595339946), (25, 25),
        ]
        for (x, value) in reference {
            #expect(Activation.mish(x).value.isApproximatelyEqual(to: value, absoluteTolerance: 1e-15, relativeTolerance: 1e-14), "mish(\(x))")
        }
        #expect(Activation.mish(0).derivative.isApproximatelyEqual(to: 0.6, absoluteTolerance: 1e-15))
        // Non-monotone: the slope changes sign at the minimum, x ≈ −1.192 (mish ≈ −0.30884).
        #expect(Activation.mish(-1.25).derivative < 0 && Activation.mish(-1.15).derivative > 0)
        #expect(Activation.mish(-800).value == 0 && Activation.mish(800).value == 800)
    }

    @Test("In scenarios: \"mish\", no parameter, asymmetric slope like ReLU's")
    func scenarioForm() throws {
        #expect(try Activation.codec.decode(.string("mish"), at: "model.activation") == .mish)
        #expect(Activation.codec.encode(.mish) == .string("mish") && Activation.mish.label == "mish")
        #expect(Activation.mish.slopeSymmetry == .none && !Activation.mish.isLinear)
    }

    @Test("Mish contaminates: background growth, signed projection and OOD risk well above the linear control's, every seed")
    func contaminates() throws {
        // Measured (smallConfiguration, seeds 0–4): growth 1.87–2.11× vs the control's 0.78–0.83×, signed
        // projection 0.148–0.155 vs |·| ≤ 0.0055, OOD loss 0.32–0.36 vs ≤ 0.021; ID accuracy 1.
        for seed: UInt64 in 0..<3 {
            let mish = try Simulation.run(smallConfiguration(.mish), seed: seed).final
            let linear = try Simulation.run(smallConfiguration(.linear), seed: seed).final
            let growth = (mish[Metric.backgroundGrowth] ?? 0, linear[Metric.backgroundGrowth] ?? 9)
            let ood = (mish[Metric.oodLoss("flip")] ?? 0, linear[Metric.oodLoss("flip")] ?? 1)
            let signed = (mish[Metric.backgroundProjectionSigned] ?? 0, linear[Metric.backgroundProjectionSigned] ?? 1)
            #expect(growth.0 > 1.5 && growth.0 > 2 * growth.1, "seed \(seed): background growth \(growth)")
            #expect(signed.0 > 0.1 && signed.0 > 20 * abs(signed.1), "seed \(seed): signed projection \(signed)")
            #expect(ood.0 > 0.25 && ood.1 < 0.05, "seed \(seed): OOD loss \(ood)")
            #expect(mish["id_accuracy"] == 1)
        }
    }
}
