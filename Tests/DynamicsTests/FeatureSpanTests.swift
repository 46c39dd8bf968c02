@testable import Dynamics
import GSL
import Numerics
import Testing

/// The exact R^d gradient computed in k dimensions (`FeatureSpanGradient`), against the plain R^d path.
@Suite("The gradient in the features' span")
struct FeatureSpanTests {
    /// A run trained by hand as `Experiment.trainNetwork` does, with the span gradient on or off.
    func trained(_ configuration: RunConfiguration, seed: UInt64, span: Bool) throws -> (result: RunResult, usedSpan: Bool) {
        let experiment = try Experiment(configuration, seed: seed)
        var initStream = RandomGenerator(seed: seed, stream: "init")
        let network = TwoLayerNetwork.initialized(
            configuration.model, inputDimension: configuration.data.dimension, outputs: configuration.data.outputCount, generator: &initStream)
        let sets = ProbeSets(
            train: experiment.train, idTest: experiment.idTest, ood: experiment.ood, data: experiment.data, initialOrthogonalNorms: [])
        var trainer = Trainer<Double>(
            configuration: configuration, network: network, data: experiment.data, train: experiment.train, seed: seed, spanAllowed: span)
        return (trainer.train(sets: sets, progress: { _ in }, representation: .ambient), trainer.span != nil)
    }

    @Test(
        "Adam, RMSProp and AdaGrad in R^d with the gradient computed in the span equal the plain R^d path within 1e-9 (full batch, mini-batches, fresh samples)"
    )
    func spanIsExact() throws {
        let cases: [(String, Activation, BatchSize, Sampling)] = [
            (#"{"name": "adam", "lr": 0.002, "weight_decay": 0.001}"#, .relu, .full, .fixed),
            (#"{"name": "rmsprop", "lr": 0.001}"#, .gelu, .samples(100), .fixed),
            (#"{"name": "adagrad", "lr": 0.01}"#, .tanh, .samples(150), .fresh),
            (#"{"name": "sgd", "lr": 0.02, "momentum": 0.9}"#, .relu, .full, .fixed),
        ]
        for (optimizer, activation, batch, sampling) in cases {
            var configuration = try smallConfiguration(activation, representation: .ambient, steps: 300, batch: batch, sampling: sampling)
            configuration.training.optimizer = try RunConfiguration(json: #"{"training": {"optimizer": \#(optimizer)}}"#).training.optimizer
            let fast = try trained(configuration, seed: 4, span: true), plain = try trained(configuration, seed: 4, span: false)
            #expect(fast.usedSpan, "\(optimizer): the span path was not taken")
            #expect(!plain.usedSpan)
            #expect(fast.result == (try Simulation.run(configuration, seed: 4)), "\(optimizer): Simulation.run takes the span path")
            #expect(fast.result.steps == plain.result.steps && fast.result.status == plain.result.status)
            for (a, b) in zip(fast.result.values.joined(), plain.result.values.joined()) where a.isFinite || b.isFinite {
                #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-9, relativeTolerance: 1e-9), "\(optimizer), \(activation): \(a) vs \(b)")
            }
        }
    }

    @Test("The span path is not taken where it cannot pay or is not exact: input noise, small batches, the feature basis")
    func spanChoice() throws {
        var noisy = try smallConfiguration(.relu, representation: .ambient, steps: 10)
        noisy.data.noise = 0.1
        #expect(try !trained(noisy, seed: 0, span: true).usedSpan)
        #expect(try !trained(smallConfiguration(.relu, representation: .ambient, steps: 10, batch: .samples(8)), seed: 0, span: true).usedSpan)
        #expect(!FeatureSpanGradient<Double>.pays(try smallConfiguration(.relu, representation: .featureBasis), inFeatureBasis: true, batchSize: 200))
    }
}
