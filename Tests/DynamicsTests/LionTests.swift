@testable import Dynamics
import Numerics
import Schema
import Testing

/// Lion, added as one file (Sources/Dynamics/Optimizers/Lion.swift) plus its line in the registry.
@Suite("Lion")
struct LionTests {
    /// Two updates from θ = (1, −2) with gradients (0.5, 0.25) then (−0.03, 0.1).
    static func twoSteps(_ lion: LionConfiguration) -> [[Double]] {
        let optimizer = OptimizerConfiguration(lion)
        var theta = [1.0, -2.0], state = OptimizerState(count: 2, optimizer: optimizer), trajectory: [[Double]] = []
        for gradient in [[0.5, 0.25], [-0.03, 0.1]] {
            var g = gradient
            optimizer.step(&theta, gradient: &g, state: &state, count: 2, rate: optimizer.learningRate)
            trajectory.append(theta)
        }
        return trajectory
    }

    @Test("Two steps by hand: each coordinate moves by exactly lr, in the sign of β1·m + (1 − β1)·g, after decoupled decay")
    func steps() {
        // Step 1: m = 0, so the sign is the gradient's; θ ← θ·0.99 − 0.1. m ← 0.01·g = (0.005, 0.0025).
        // Step 2: c = 0.9·m + 0.1·g = (0.0015, 0.01225): the first coordinate still moves down although
        // its gradient turned negative — the momentum Lion interpolates with, which sign-SGD lacks.
        let lion = Self.twoSteps(LionConfiguration(learningRate: 0.1, weightDecay: 0.1))
        #expect(close(lion, [[0.89, -2.08], [0.7811, -2.1592]]))
        let signSGD = Self.twoSteps(LionConfiguration(learningRate: 0.1, beta1: 0, beta2: 0, weightDecay: 0.1))
        #expect(close(signSGD, [[0.89, -2.08], [0.9811, -2.1592]]))
    }

    @Test("The scenario form: lion-pytorch's defaults, betas in [0, 1], keys checked, and it round-trips")
    func scenarioForm() throws {
        let codec = OptimizerConfiguration.codec
        let defaults = try codec.decode(.object([("name", .string("lion"))]), at: "training.optimizer")
        #expect(defaults == OptimizerConfiguration(LionConfiguration(learningRate: 1e-4, beta1: 0.9, beta2: 0.99, weightDecay: 0)))
        #expect(try codec.decode(codec.encode(defaults), at: "") == defaults)
        #expect(defaults.label == "lion" && !defaults.isRotationEquivariant)
        #expect(defaults.summary == "Lion (lr 0.0001, β = (0.9, 0.99), weight decay 0 decoupled)")
        let wrongKey = #expect(throws: ScenarioError.self) {
            try codec.decode(.object([("name", .string("lion")), ("eps", .number(1e-8))]), at: "training.optimizer")
        }
        #expect(wrongKey?.path == "training.optimizer.eps" && wrongKey?.message.contains("unknown key for the 'lion' optimizer") == true)
        let badBeta = #expect(throws: ScenarioError.self) {
            try codec.decode(.object([("name", .string("lion")), ("betas", .array([.number(0.9), .number(1.5)]))]), at: "o")
        }
        #expect(badBeta?.path == "o.betas[1]")
    }

    @Test("Lion contaminates too: ReLU learns the background with a sign and fails OOD; the linear control does neither")
    func contaminates() throws {
        // Measured at lr 3e-4, seeds 0–4 (smallConfiguration, 1500 steps): ReLU's signed background
        // projection 0.32–0.42 vs the control's |·| ≤ 0.0074; OOD loss 0.16–0.32 vs 0; background norm
        // growth 4.5–5.9× vs 1.7–3.1× — sign updates move every coordinate by ±η, so the control's norm
        // grows too (as with Adam), and the sign and the OOD risk are what tell them apart.
        for seed: UInt64 in 0..<5 {
            func run(_ activation: Activation) throws -> RunResult {
                var configuration = try smallConfiguration(activation)
                configuration.training.optimizer = OptimizerConfiguration(LionConfiguration(learningRate: 3e-4))
                return try Simulation.run(configuration, seed: seed)
            }
            let relu = try run(.relu), linear = try run(.linear)
            #expect(relu.representation == .ambient)
            let signed = (relu.final[Metric.backgroundProjectionSigned] ?? 0, linear.final[Metric.backgroundProjectionSigned] ?? 1)
            let ood = (relu.final[Metric.oodLoss("flip")] ?? 0, linear.final[Metric.oodLoss("flip")] ?? 1)
            let growth = (relu.final[Metric.backgroundGrowth] ?? 0, linear.final[Metric.backgroundGrowth] ?? 9)
            #expect(signed.0 > 0.2 && signed.0 > 20 * abs(signed.1), "seed \(seed): signed projection \(signed)")
            #expect(ood.0 > 0.1 && ood.1 < 0.01, "seed \(seed): OOD loss \(ood)")
            #expect(growth.0 > 1.4 * growth.1, "seed \(seed): background growth \(growth)")
            #expect(relu.final["id_accuracy"] == 1 && linear.final["id_accuracy"] == 1)
        }
    }
}
