import Calibration
import Dynamics
import GSL
import Numerics
@testable import Studies
import Testing

@Suite("Prior estimation on trained networks")
struct PriorStudyTests {
    /// 10 classes, ratio 50, as Scenarios/gla-prior.json but smaller (8000 samples, 2000 steps).
    static func configuration() throws -> RunConfiguration {
        try RunConfiguration(
            json: #"""
                {"data": {"dimension": 48, "classes": 10, "prior": {"long_tailed": 50},
                          "core": {"relation": "class_blocks", "count": 20, "coefficients": {"constant": 2}, "noise": 1},
                          "background": {"count": 10}, "train_size": 8000, "test_size": 3000},
                 "model": {"width": 64, "output": {"trained": true}},
                 "training": {"loss": "cross_entropy", "steps": 2000, "batch": 128,
                              "optimizer": {"name": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 0},
                              "schedule": {"name": "cosine"}},
                 "probes": {"every": 1000},
                 "prior_estimation": {"labelled_per_class": [5, 100], "unlabelled_size": 2000,
                                      "partner": {"prior": "uniform", "train_size": 300}}}
                """#)
    }

    @Test("GLA's estimate from 100 labelled samples per class recovers most of the oracle's debiasing gain")
    func glaRecoversTheGain() throws {
        let configuration = try Self.configuration()
        for seed in [0, 1] as [UInt64] {
            let outputs = try RunStudy.train(configuration, seed: seed).outputs
            let metrics = Dictionary(
                uniqueKeysWithValues: PriorStudyProbe.measure(outputs, configuration: configuration).map { ($0.metric.name, $0.value) })
            let plain = metrics["balanced_accuracy_plain"] ?? .nan, oracle = metrics["balanced_accuracy_oracle"] ?? .nan
            // The prior is absorbed: removing it helps, most of all on the tail.
            #expect(oracle > plain + 0.02, "plain \(plain), oracle \(oracle)")
            #expect((metrics["tail_accuracy_oracle"] ?? 0) > (metrics["tail_accuracy_plain"] ?? 1) + 0.05)
            // The issue's acceptance bar (≥ 80% of the gain at 100 per class; the prototype reaches ~98%).
            #expect((metrics["gain_recovery_gla_100"] ?? 0) >= 0.8, "recovery \(metrics["gain_recovery_gla_100"] ?? .nan)")
            // 5 per class is a rough estimate; 100 per class a close one (uniform would be L1 ≈ 1.1).
            #expect((metrics["prior_l1_gla_100"] ?? 1) < 0.4 && (metrics["prior_l1_gla_100"] ?? 1) < (metrics["prior_l1_gla_5"] ?? 0))
            #expect((metrics["prior_l1_mlls_100"] ?? 1) < 0.2 && (metrics["prior_l1_bbse_100"] ?? 1) < 0.3)
            // The GLA ensemble beats each model alone and the plain average.
            let gla = metrics["ensemble_gla_id"] ?? 0
            for other in ["a", "b", "average"] {
                #expect(gla > (metrics["ensemble_\(other)_id"] ?? 1), "GLA ensemble \(gla) vs \(other) \(metrics["ensemble_\(other)_id"] ?? .nan)")
            }
        }
    }

    @Test("The binary calibration probe reads one output as the logits (0, f)")
    func binaryLogits() {
        let outputs = Matrix(rows: 2, columns: 1, elements: [1.5, -2])
        #expect(CalibrationProbe.classLogits(outputs).rowArrays == [[0, 1.5], [0, -2]])
    }
}

@Suite("Probe names")
struct ProbeNameTests {
    @Test("The metrics a report can refer to are exactly the ones the probes produce; names render as the CSVs have them")
    func namesMatchMeasurements() throws {
        var configuration = try PriorStudyTests.configuration()
        configuration.training.steps = 50
        configuration.data.trainSize = 1000
        configuration.priorStudy = PriorStudyConfiguration(
            labelledPerClass: [3], unlabelledSize: 200,
            partner: .init(prior: .uniform, trainSize: 100))
        let outputs = try RunStudy.train(configuration, seed: 0).outputs
        #expect(CalibrationProbe.measure(outputs, configuration: configuration).map(\.metric) == CalibrationProbe.metrics(configuration))
        #expect(PriorStudyProbe.measure(outputs, configuration: configuration).map(\.metric) == PriorStudyProbe.metrics(configuration))
        // The study computes every metric it declares, and nothing else.
        #expect(Set(PriorStudyProbe.compute(outputs, configuration: configuration).keys) == Set(PriorStudyProbe.metrics(configuration)))
        #expect(PriorStudyProbe.metrics(configuration).count == 4 + 1 + 4 * 5 + 2 * 6)
        #expect(FinalMetric.estimator(.priorL1, .gla, labelledPerClass: 20).name == "prior_l1_gla_20")
        #expect(FinalMetric.calibration(.priorDrift, set: .shift("flip2")).name == "prior_drift_flip2")
        #expect(FinalMetric.reference(.tail, .oracle).name == "tail_accuracy_oracle")
        #expect(FinalMetric.glaTemperature(labelledPerClass: 5).name == "gla_temperature_5")
        #expect(FinalMetric.ensemble(.aDebiased, set: .id).name == "ensemble_a_debiased_id")
        #expect(FinalMetric.ensemble(.gla, set: .partner(of: .labelled(perClass: 5))).name == "ensemble_gla_partner:labelled5")
        #expect(EvaluationSet.standard(for: configuration.data).map(\.label) == ["ID"] + configuration.data.shifts.map(\.name))
        let base = try RunConfiguration(
            json: #"""
                {"data": {"dimension": 24, "core": {"count": 4}, "background": {"count": 4}, "train_size": 60, "test_size": 60},
                 "model": {"width": 16}, "training": {"loss": "hinge", "steps": 50, "optimizer": {"name": "sgd", "lr": 0.05}},
                 "probes": {"every": 25}}
                """#)
        let binary = try RunStudy.train(base, seed: 0).outputs
        #expect(CalibrationProbe.measure(binary, configuration: base).map(\.metric) == CalibrationProbe.metrics(base))
        #expect(PriorStudyProbe.metrics(base).isEmpty)
        #expect(try RunStudy.run(base, seed: 0).finalExtras.map(\.name) == RunStudy.finalMetrics(base).map(\.name))
        // Reliability bins partition each evaluation set, and reproduce its ECE (15 equal-width bins).
        let rows = CalibrationProbe.reliability(binary, configuration: base)
        let extras = Dictionary(uniqueKeysWithValues: CalibrationProbe.measure(binary, configuration: base).map { ($0.metric.name, $0.value) })
        for set in ["id", "flip"] {
            let bins = rows.filter { $0.set == set }
            let n = bins.reduce(0) { $0 + $1.count }
            #expect(n == base.data.testSize && bins.allSatisfy { $0.count > 0 && $0.bin < 15 })
            var weighted = 0.0
            for bin in bins { weighted += Double(bin.count) * abs(bin.accuracy - bin.confidence) }
            let expected = extras["ece_\(set)"] ?? .nan
            #expect((weighted / Double(n)).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
        }
    }
}
