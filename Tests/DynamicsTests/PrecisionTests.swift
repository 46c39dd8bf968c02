@testable import Dynamics
import Foundation
import GSL
import Numerics
import Schema
import Testing

/// The float32 engine (`training.precision`): it trains in single precision, deterministically, and
/// tracks the float64 engine within what float32 rounding explains.
@Suite("Float32 engine")
struct PrecisionTests {
    static func configuration(
        _ activation: Activation, _ precision: Precision, optimizer: String? = nil, representation: Representation = .auto,
        batch: BatchSize = .full, sampling: Sampling = .fixed, steps: Int = 1500
    ) throws -> RunConfiguration {
        var configuration = try smallConfiguration(activation, representation: representation, steps: steps, batch: batch, sampling: sampling)
        if let optimizer {
            configuration.training.optimizer = try RunConfiguration(json: #"{"training": {"optimizer": \#(optimizer)}}"#).training.optimizer
        }
        configuration.training.precision = precision
        return configuration
    }

    /// The largest difference between two runs' probe values (absolute, or relative above 1), and
    /// whether any value differs at all.
    static func difference(_ a: RunResult, _ b: RunResult) -> (largest: Double, differs: Bool) {
        var largest = 0.0, differs = false
        for (x, y) in zip(a.values.joined(), b.values.joined()) where x.isFinite || y.isFinite {
            largest = max(largest, abs(x - y) / max(1, abs(y)))
            differs = differs || x != y
        }
        return (largest, differs)
    }

    @Test("\"precision\" decodes, defaults to float64, and rejects other names with the allowed ones")
    func decoding() throws {
        #expect(try RunConfiguration(json: "{}").training.precision == .float64)
        #expect(try RunConfiguration(json: #"{"training": {"precision": "float32"}}"#).training.precision == .float32)
        #expect(throws: ScenarioError.self) { try RunConfiguration(json: #"{"training": {"precision": "float16"}}"#) }
        do {
            _ = try RunConfiguration(json: #"{"training": {"precision": "half"}}"#)
        } catch {
            #expect(error.path == "training.precision" && "\(error)".contains("float32"), "\(error)")
        }
    }

    /// Over 1 500 steps of momentum SGD every probe of the float32 run stays within 2e-3 (absolute,
    /// or relative for values above 1) of the float64 run's — measured ≤ 3.2e-4 here; the seed spread of
    /// ReLU's background growth is 0.2 (ContaminationTests), 100× this margin. The runs must differ
    /// (else the precision was not applied) and be deterministic.
    @Test(
        "Float32 runs track float64 within float32 rounding and differ from it, for SGD in the feature basis, Adam in R^d and its span, mini-batches, fresh samples and GELU",
        arguments: [
            (Activation.relu, nil as String?, BatchSize.full, Sampling.fixed),
            (.relu, #"{"name": "adam", "lr": 0.002}"#, .full, .fixed),
            (.gelu, #"{"name": "adam", "lr": 0.002}"#, .samples(50), .fixed),
            (.relu, nil, .samples(32), .fresh),
            (.tanh, #"{"name": "rmsprop", "lr": 0.001}"#, .samples(150), .fresh),
        ])
    func tracksFloat64(activation: Activation, optimizer: String?, batch: BatchSize, sampling: Sampling) throws {
        let single = try Self.configuration(activation, .float32, optimizer: optimizer, batch: batch, sampling: sampling)
        let double = try Self.configuration(activation, .float64, optimizer: optimizer, batch: batch, sampling: sampling)
        let a = try Simulation.run(single, seed: 3), b = try Simulation.run(double, seed: 3)
        #expect(a == (try Simulation.run(single, seed: 3)), "float32 runs are deterministic")
        #expect(a.status == .completed && a.steps == b.steps)
        let (largest, differs) = Self.difference(a, b)
        #expect(largest < 2e-3, "\(activation) \(optimizer ?? "sgd"): largest difference \(largest)")
        #expect(differs, "the float32 run gave the float64 run's bits")
    }

    /// Softmax cross-entropy, a trained head and mini-batches of 100 over K = 5 classes with a long-tailed
    /// prior: the same margin as the binary runs, and the final analyses (calibration, absorbed prior) run
    /// on the float32 network measured in float64.
    @Test("K-class float32 runs (cross-entropy, trained head) track float64 within float32 rounding")
    func multiclassTracksFloat64() throws {
        var single = try multiclassConfiguration(steps: 600)
        single.training.precision = .float32
        let double = try multiclassConfiguration(steps: 600)
        let a = try Simulation.run(single, seed: 2), b = try Simulation.run(double, seed: 2)
        #expect(a.status == .completed && a.steps == b.steps)
        let (largest, differs) = Self.difference(a, b)
        #expect(largest < 2e-3 && differs, "largest difference \(largest)")
    }

    @Test("In float32 the span gradient equals the R^d path within float32 rounding (Adam, full batch)")
    func spanInFloat32() throws {
        let configuration = try Self.configuration(
            .relu, .float32, optimizer: #"{"name": "adam", "lr": 0.002}"#, representation: .ambient, steps: 300)
        let experiment = try Experiment(configuration, seed: 4)
        var initStream = RandomGenerator(seed: 4, stream: "init")
        let network = TwoLayerNetwork.initialized(
            configuration.model, inputDimension: configuration.data.dimension, outputs: 1, generator: &initStream)
        let sets = ProbeSets(
            train: experiment.train, idTest: experiment.idTest, ood: experiment.ood, data: experiment.data, initialOrthogonalNorms: [])
        func run(span: Bool) -> (RunResult, Bool) {
            var trainer = Trainer<Float>(
                configuration: configuration, network: network, data: experiment.data, train: experiment.train, seed: 4, spanAllowed: span)
            return (trainer.train(sets: sets, progress: { _ in }, representation: .ambient), trainer.span != nil)
        }
        let (fast, usedSpan) = run(span: true), (plain, _) = run(span: false)
        #expect(usedSpan)
        for (x, y) in zip(fast.values.joined(), plain.values.joined()) where x.isFinite || y.isFinite {
            #expect(x.isApproximatelyEqual(to: y, absoluteTolerance: 2e-3, relativeTolerance: 2e-3), "\(x) vs \(y)")
        }
    }

    /// Each float32 transcendental is the float64 kernel's result rounded, so within ½ float32 ulp of
    /// the float64 kernel and, with the kernels' few float64 ulp, within 1 float32 ulp of the exact
    /// function of the float32 input (values; slopes within (1 + |x|) ulp of 1).
    @Test("Float32 transcendental activations are the float64 kernels rounded: within 1 ulp of the exact function")
    func transcendentalInFloat32() {
        let grid = ActivationKernelTests.grid.map { Float($0) }
        for activation in ActivationKernelTests.transcendental {
            var values = [Float](repeating: 0, count: grid.count), slopes = values
            grid.withUnsafeBufferPointer { h in
                values.withUnsafeMutableBufferPointer { v in
                    slopes.withUnsafeMutableBufferPointer { s in
                        activation.evaluate(h.baseAddress!, count: grid.count, values: v.baseAddress!, slopes: s.baseAddress!)
                    }
                }
            }
            var worstValue: Float80 = 0, worstSlope: Float80 = 0
            for (i, x) in grid.enumerated() {
                let exact = ActivationKernelTests.exact(activation, Double(x))
                let ulp = Float80(Float(exact.value).ulp)
                if activation == .gelu {
                    // GELU's 1 + erf cancellation (see ActivationKernelTests): |x|·ε64 on top.
                    worstValue = max(worstValue, (abs(Float80(values[i]) - exact.value) - Float80(abs(x)) * 0x1p-52) / ulp)
                } else {
                    worstValue = max(worstValue, abs(Float80(values[i]) - exact.value) / ulp)
                }
                worstSlope = max(worstSlope, abs(Float80(slopes[i]) - exact.slope) / (Float80(1 + abs(x)) * Float80(Float.ulpOfOne)))
            }
            #expect(worstValue <= 1, "\(activation.label): values within \(worstValue) ulp")
            #expect(worstSlope <= 1, "\(activation.label): slopes within \(worstSlope)·(1 + |x|) ulp")
        }
    }
}
