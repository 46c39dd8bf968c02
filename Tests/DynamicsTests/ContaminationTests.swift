import Dynamics
import GSL
import Numerics
import Testing

/// The science on a small, fast configuration: the paper's set-up shrunk (d = 48, 8 core + 8
/// background features, n = 200, width 64) with a larger learning rate so it trains in 1500 steps.
func smallConfiguration(
    _ activation: Activation, representation: Representation = .auto,
    steps: Int = 1500, batch: BatchSize = .full, sampling: Sampling = .fixed
) throws -> RunConfiguration {
    // Sign-coded core and background coefficients U(0, 1), one flip shift: the defaults of a scenario.
    var configuration = try RunConfiguration(
        json:
            #"""
            {"data": {"dimension": 48, "core": {"count": 8}, "background": {"count": 8}, "train_size": 200, "test_size": 200},
             "model": {"width": 64},
             "training": {"loss": "hinge", "optimizer": {"name": "sgd", "lr": 0.02, "momentum": 0.9, "weight_decay": 0.001}},
             "probes": {"every": 250}}
            """#)
    configuration.model.activation = activation
    configuration.training.steps = steps
    configuration.training.batch = batch
    configuration.training.sampling = sampling
    configuration.training.representation = representation
    return configuration
}

/// Each claim holds in both engine precisions (`training.precision`), with the same margins.
@Suite("Feature contamination (small configuration, seeds 0–4)")
struct ContaminationTests {
    static let seeds: [UInt64] = [0, 1, 2, 3, 4]

    static func finals(_ activation: Activation, _ precision: Precision) throws -> [[String: Double]] {
        var configuration = try smallConfiguration(activation)
        configuration.training.precision = precision
        return try seeds.map { try Simulation.run(configuration, seed: $0).final }
    }

    @Test("ReLU's background projection grows well above its initial scale; linear's does not", arguments: Precision.allCases)
    func backgroundGrowth(precision: Precision) throws {
        let relu = try Self.finals(.relu, precision), linear = try Self.finals(.linear, precision)
        let reluGrowth = relu.map { $0[Metric.backgroundGrowth] ?? 0 }
        let linearGrowth = linear.map { $0[Metric.backgroundGrowth] ?? 9 }
        // Theory: linear networks only see O(1/√n) background gradient noise plus weight decay, so the
        // projection stays at (or below) its initial scale; ReLU's grows linearly in time (Thm 4.2).
        // Measured over these seeds: ReLU 2.09–2.29×, linear 0.78–0.83× (weight decay only). The
        // assertion asks for > 1.5× and ≤ 1.05×, well outside both spreads.
        #expect(reluGrowth.allSatisfy { $0 > 1.5 }, "relu growth \(reluGrowth)")
        #expect(linearGrowth.allSatisfy { $0 <= 1.05 }, "linear growth \(linearGrowth)")
    }

    @Test("The signed background projection turns positive for ReLU and stays ~0 for linear", arguments: Precision.allCases)
    func signedProjection(precision: Precision) throws {
        let relu = try Self.finals(.relu, precision).map { $0[Metric.backgroundProjectionSigned] ?? 0 }
        let linear = try Self.finals(.linear, precision).map { $0[Metric.backgroundProjectionSigned] ?? 1 }
        // The initial scale of one projection ⟨w_r, m_j⟩ is the std of U(±1/√48): 1/√(3·48) ≈ 0.083.
        // Measured: ReLU +0.150…+0.160, linear within ±0.0055 (its O(1/√n) gradient noise). Assert
        // ReLU > half the initial scale and |linear| < a quarter of it.
        let initialScale = 1 / (3.0 * 48).squareRoot()
        #expect(relu.allSatisfy { $0 > initialScale / 2 }, "relu \(relu)")
        #expect(linear.allSatisfy { abs($0) < initialScale / 4 }, "linear \(linear)")
    }

    @Test("OOD risk under the flip is far above ID risk for ReLU and close to it for linear", arguments: Precision.allCases)
    func oodRisk(precision: Precision) throws {
        for final in try Self.finals(.relu, precision) {
            let id = final[Metric.idLoss] ?? 1, ood = final[Metric.oodLoss("flip")] ?? 0
            #expect(id < 0.05 && ood > 0.2 && ood > 10 * id, "relu id \(id) ood \(ood)")
            #expect((final[Metric.asymmetricFraction] ?? 0) > 0.5)
        }
        for final in try Self.finals(.linear, precision) {
            let id = final[Metric.idLoss] ?? 1, ood = final[Metric.oodLoss("flip")] ?? 1
            #expect(id < 0.05 && ood.isApproximatelyEqual(to: id, absoluteTolerance: 0.05), "linear id \(id) ood \(ood)")
        }
    }
}

@Suite("Adaptive optimisers (paper Fig. 3d)")
struct AdaptiveOptimizerTests {
    @Test(
        "Adam, AdamW, RMSProp and AdaGrad contaminate too: ReLU's OOD risk ≫ linear's, growth above the control's",
        arguments: [
            OptimizerConfiguration.adam(AdamConfiguration()), .adam(AdamConfiguration(decoupled: true)),
            .rmsprop(RMSPropConfiguration(learningRate: 1e-3)), .adagrad(AdaGradConfiguration()),
        ])
    func contaminates(optimizer: OptimizerConfiguration) throws {
        func run(_ activation: Activation) throws -> RunResult {
            var configuration = try smallConfiguration(activation)
            configuration.training.optimizer = optimizer
            return try Simulation.run(configuration, seed: 0)
        }
        let relu = try run(.relu), linear = try run(.linear)
        // Adaptive updates are not rotation-equivariant, so the engine trains in R^d.
        #expect(relu.representation == .ambient)
        // Per-coordinate normalisation inflates even the linear network's background *norm* (measured
        // ~1.8×, from amplified O(1/√n) gradient noise with no sign), so compare with that control:
        // ReLU measured 3.1–3.25×, and only ReLU's OOD risk rises (0.48 vs 0.0014).
        let reluGrowth = relu.final[Metric.backgroundGrowth] ?? 0, linearGrowth = linear.final[Metric.backgroundGrowth] ?? 9
        #expect(reluGrowth > 1.4 * linearGrowth, "relu \(reluGrowth) linear \(linearGrowth)")
        #expect((relu.final[Metric.oodLoss("flip")] ?? 0) > 0.2)
        #expect((linear.final[Metric.oodLoss("flip")] ?? 1) < 0.05)
    }
}

@Suite("Engine exactness and determinism")
struct EngineTests {
    @Test("The slope-asymmetry probe is the activation-rate gap for ReLU exactly, 0 for linear, and reads σ' for the rest")
    func slopeAsymmetry() throws {
        let relu = try Simulation.run(smallConfiguration(.relu, steps: 500), seed: 2)
        #expect(relu.series(Metric.slopeAsymmetry) == relu.series(Metric.asymmetryMean))
        #expect((relu.final[Metric.slopeAsymmetry] ?? 0) > 0.1)
        let linear = try Simulation.run(smallConfiguration(.linear, steps: 500), seed: 2)
        #expect(linear.series(Metric.slopeAsymmetry).allSatisfy { $0 == 0 })
        // For a smooth activation the slope gap is its own quantity, not the rate gap.
        let tanh = try Simulation.run(smallConfiguration(.tanh, steps: 500), seed: 2)
        #expect(tanh.final[Metric.slopeAsymmetry] != tanh.final[Metric.asymmetryMean])
    }

    @Test("Training in the feature basis equals training in R^d (SGD is rotation-equivariant)")
    func featureBasisIsExact() throws {
        for activation in [Activation.relu, .gelu, .linear] {
            let fast = try Simulation.run(smallConfiguration(activation, representation: .featureBasis, steps: 400), seed: 9)
            let full = try Simulation.run(smallConfiguration(activation, representation: .ambient, steps: 400), seed: 9)
            #expect(fast.representation == .featureBasis && full.representation == .ambient)
            for (a, b) in zip(fast.values.joined(), full.values.joined()) {
                #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-9, relativeTolerance: 1e-9), "\(activation): \(a) vs \(b)")
            }
        }
    }

    @Test("Same configuration and seed give bit-identical results; another seed does not")
    func determinism() throws {
        let configuration = try smallConfiguration(.relu, steps: 300, batch: .samples(32))
        let first = try Simulation.run(configuration, seed: 5), second = try Simulation.run(configuration, seed: 5)
        #expect(first == second)
        #expect(try Simulation.run(configuration, seed: 6) != first)
    }

    @Test("Mini-batch and fresh-sample (online) training also contaminate")
    func onlineTraining() throws {
        let online = try Simulation.run(smallConfiguration(.relu, steps: 3000, batch: .samples(20), sampling: .fresh), seed: 1)
        #expect((online.final[Metric.backgroundGrowth] ?? 0) > 1.5)
        #expect(online.steps.last == 3000)
    }

    @Test("Without background features a run completes (growth ratios are undefined, not divergent)")
    func noBackground() throws {
        var configuration = try smallConfiguration(.relu, steps: 100)
        configuration.data.backgroundCount = 0
        let result = try Simulation.run(configuration, seed: 0)
        #expect(result.status == .completed)
        #expect(result.final[Metric.backgroundGrowth]?.isNaN == true)
    }

    @Test("A diverging run is reported, not crashed")
    func divergence() throws {
        var configuration = try smallConfiguration(.linear, steps: 500)
        configuration.training.loss = .squared
        configuration.training.optimizer = .sgd(SGDConfiguration(learningRate: 50))
        let result = try Simulation.run(configuration, seed: 0)
        guard case .diverged = result.status else {
            Issue.record("expected divergence, got \(result.status)")
            return
        }
    }
}
