@testable import Dynamics
import Foundation
import GSL
import Numerics
import Testing

/// K classes with class-block core features, a long-tailed training prior, softmax cross-entropy.
func multiclassConfiguration(
    classes: Int = 5, ratio: Double = 20, steps: Int = 1500, width: Int = 64,
    representation: Representation = .auto, trainOutput: Bool = true
) throws -> RunConfiguration {
    try RunConfiguration(
        json: #"""
            {"data": {"dimension": 48, "classes": \#(classes), "prior": {"long_tailed": \#(ratio)},
                      "core": {"relation": "class_blocks", "count": \#(2 * classes), "coefficients": {"constant": 2}, "noise": 1},
                      "background": {"count": 10}, "train_size": 4000, "test_size": 2000},
             "model": {"width": \#(width), "output": {"trained": \#(trainOutput)}},
             "training": {"loss": "cross_entropy", "steps": \#(steps), "batch": 100, "representation": "\#(representation.rawValue)",
                          "optimizer": {"name": "sgd", "lr": 0.05, "momentum": 0.9}, "schedule": {"name": "cosine"}},
             "probes": {"every": 500}}
            """#)
}

@Suite("Multi-class data and training")
struct MulticlassTests {
    @Test("Class priors: exact long-tailed ratio, counts that sum to n and follow π (largest remainder)")
    func priors() {
        let p = ClassPrior.longTailed(ratio: 50).probabilities(classes: 10)
        #expect(
            p.reduce(0, +).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15)
                && (p[0] / p[9]).isApproximatelyEqual(to: 50, absoluteTolerance: 1e-9))
        #expect(zip(p, p.dropFirst()).allSatisfy { $0 > $1 })
        // 10 samples, weights 1:2:2 → shares 2, 4, 4 exactly; 11 samples → 2.2, 4.4, 4.4: the extra goes to class 1.
        #expect(ClassPrior.weights([1, 2, 2]).counts(total: 10, classes: 3) == [2, 4, 4])
        #expect(ClassPrior.weights([1, 2, 2]).counts(total: 11, classes: 3) == [2, 5, 4])
        let counts = ClassPrior.longTailed(ratio: 50).counts(total: 20_000, classes: 10)
        #expect(counts.reduce(0, +) == 20_000)
        for (count, share) in zip(counts, p) { #expect(Double(count).isApproximatelyEqual(to: 20_000 * share, absoluteTolerance: 1)) }
        #expect(ClassPrior.uniform.counts(total: 7, classes: 3) == [3, 2, 2])
    }

    @Test("Class-block samples: the own block carries the signal, other blocks only noise")
    func classBlocks() throws {
        var configuration = try multiclassConfiguration(classes: 4)
        configuration.data.core = .classBlocks(signal: .constant(3), noise: 0)
        var g = RandomGenerator(seed: 1)
        let dictionary = try SyntheticData.makeDictionary(configuration.data, generator: &g)
        let data = SyntheticData(configuration: configuration.data, dictionary: dictionary, inFeatureBasis: true)
        let set = data.sample(count: 400, prior: configuration.data.prior, generator: &g)
        #expect(set.labels == data.labels(count: 400, prior: configuration.data.prior))
        for i in 0..<set.count {
            let y = set.labels[i]
            for j in 0..<8 { #expect(set.coefficients[i, j] == (j / 2 == y ? 3 : 0)) }
        }
    }

    @Test("K-class training in the feature basis equals training in R^d")
    func featureBasisIsExact() throws {
        let fast = try Simulation.run(multiclassConfiguration(steps: 200, representation: .featureBasis), seed: 3)
        let full = try Simulation.run(multiclassConfiguration(steps: 200, representation: .ambient), seed: 3)
        for (a, b) in zip(fast.values.joined(), full.values.joined()) {
            #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-9, relativeTolerance: 1e-9), "\(a) vs \(b)")
        }
    }

    @Test("A long-tailed prior is absorbed: the network under-predicts rare classes, and the probes see class structure")
    func priorIsAbsorbed() throws {
        let configuration = try multiclassConfiguration()
        let (experiment, model, result) = try Simulation.train(configuration, seed: 0)
        let final = result.final
        #expect(result.status == .completed)
        // Every class is learnt (chance is 0.2) …
        #expect((final[Metric.idAccuracy] ?? 0) > 0.7)
        // … and neurons specialise: their favourite class's core block outweighs the other blocks.
        #expect((final[Metric.coreProjectionAligned] ?? 0) > 0.1)
        #expect((0..<5).allSatisfy { (final[Metric.classCoreProjection($0)] ?? 0) > 0 })
        // Predictions on the balanced test set lean to the training prior (ratio 20 between head and tail).
        // Without absorption every share would be 1/K = 0.2 up to sampling noise (sd ≈ 0.009 on 2000
        // samples), so a head-minus-tail gap above 0.05 is more than 5 sd away from that null.
        guard let id = model?.outputs(on: experiment.evaluationSets)[.id] else {
            Issue.record("no ID outputs")
            return
        }
        var predicted = [Double](repeating: 0, count: 5)
        for i in 0..<id.logits.rows {
            var best = 0
            for k in 1..<5 where id.logits[i, k] > id.logits[i, best] { best = k }
            predicted[best] += 1 / Double(id.logits.rows)
        }
        #expect(predicted[0] > 0.2 && predicted[4] < 0.2 && predicted[0] - predicted[4] > 0.05, "predicted class shares \(predicted)")
    }

    @Test("A frozen K-class head (neuron r feeds class r mod K) also learns")
    func frozenHead() throws {
        let result = try Simulation.run(multiclassConfiguration(steps: 1500, trainOutput: false), seed: 1)
        #expect((result.final[Metric.idAccuracy] ?? 0) > 0.5)
    }
}
