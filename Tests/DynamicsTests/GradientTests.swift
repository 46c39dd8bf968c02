@testable import Dynamics
import Foundation
import GSL
import Numerics
import Testing

/// Central finite differences of the mean loss against the analytic gradient, every parameter.
@Suite("Gradients")
struct GradientTests {
    static let cases: [(Activation, Loss, Bool)] = Activation.all.flatMap { activation in
        Loss.allCases.flatMap { loss in [false, true].map { (activation, loss, $0) } }
    }

    /// Cross-entropy runs with K = 4 outputs (labels 0..3), the binary losses with one output and ±1.
    @Test("Analytic gradient equals central finite differences", arguments: cases)
    func finiteDifferences(activation: Activation, loss: Loss, trainOutput: Bool) {
        let problem = GradientProblem(
            activation: activation, loss: loss, trainOutput: trainOutput, samples: 9, dimension: 5, width: 6, classes: 4, seed: 42)
        let (network, inputs, labels) = (problem.network, problem.inputs, problem.labels)
        let d = 5, k = network.outputCount, model = network.configuration
        let (_, gradient) = network.lossAndGradient(inputs: inputs, labels: labels, loss: loss)
        let h = 1e-6
        func numeric(_ perturb: (inout TwoLayerNetwork, Double) -> Void) -> Double {
            var plus = network, minus = network
            perturb(&plus, h)
            perturb(&minus, -h)
            return
                (plus.meanLoss(inputs: inputs, labels: labels, loss: loss)
                - minus.meanLoss(inputs: inputs, labels: labels, loss: loss)) / (2 * h)
        }
        var worst = 0.0
        for i in 0..<(network.weights.rows * d) {
            worst = max(worst, abs(numeric { $0.weights.storage[i] += $1 } - gradient.weights.storage[i]))
        }
        for r in 0..<model.width {
            worst = max(worst, abs(numeric { $0.hiddenBias[r] += $1 } - gradient.hiddenBias[r]))
        }
        if trainOutput {
            for i in 0..<(model.width * k) {
                worst = max(worst, abs(numeric { $0.outputWeights.storage[i] += $1 } - gradient.outputWeights.storage[i]))
            }
            for j in 0..<k { worst = max(worst, abs(numeric { $0.outputBias[j] += $1 } - gradient.outputBias[j])) }
        }
        // Central differences have O(h²) truncation and O(ε/h) rounding error: ~1e-10 here.
        #expect(worst < 1e-7, "max |analytic − numeric| = \(worst)")
    }

    @Test(
        "Every activation's derivative equals central finite differences",
        arguments: Activation.all + [.leakyReLU(slope: 0.3), .elu(alpha: 0.5), .softplus(beta: 3)])
    func activationDerivatives(activation: Activation) {
        for x in [-25.0, -3.1, -1.2, -0.4, -0.05, 0.07, 0.3, 1.1, 2.7, 8.2, 30] {
            let h = 1e-6
            let numeric = (activation(x + h).value - activation(x - h).value) / (2 * h)
            let analytic = activation(x).derivative
            #expect(
                numeric.isApproximatelyEqual(to: analytic, absoluteTolerance: 1e-7, relativeTolerance: 1e-7),
                "\(activation.label) at \(x): \(analytic) vs \(numeric)")
            // The fused forward path (σ and σ' together) agrees with the separate ones.
            var input = x, value = 0.0, slope = 0.0
            activation.applyWithSlopes(&input, count: 1, values: &value, slopes: &slope)
            #expect(
                value.isApproximatelyEqual(to: activation(x).value, absoluteTolerance: 1e-15, relativeTolerance: 1e-15)
                    && slope.isApproximatelyEqual(to: analytic, absoluteTolerance: 1e-15, relativeTolerance: 1e-15))
        }
    }

    @Test("Activation values at reference points (PyTorch's definitions)")
    func activationValues() {
        #expect(Activation.gelu(1).value.isApproximatelyEqual(to: 0.8413447460685429, absoluteTolerance: 1e-15))  // Φ(1), to 1 ulp
        // GELU's erf (the C library's) agrees with GSL's gsl_sf_erf to a few ulp over the range that matters.
        for x in stride(from: -8.0, through: 8.0, by: 0.01) {
            let reference = 0.5 * x * (1 + SpecialFunctions.erf(x / 2.0.squareRoot()))
            #expect(Activation.gelu(x).value.isApproximatelyEqual(to: reference, absoluteTolerance: 1e-15, relativeTolerance: 1e-15))
        }
        #expect(Activation.silu(1).value.isApproximatelyEqual(to: 0.7310585786300049, absoluteTolerance: 1e-15))
        #expect((Activation.softplus(beta: 1)(0).value).isApproximatelyEqual(to: log(2), absoluteTolerance: 1e-15))
        #expect(Activation.softplus(beta: 2)(30).value == 30)
        #expect((Activation.elu(alpha: 1)(-1).value).isApproximatelyEqual(to: (exp(-1) - 1), absoluteTolerance: 1e-15))
        #expect(Activation.leakyReLU(slope: 0.01)(-2).value == -0.02)
        #expect(Activation.absolute(-3).value == 3 && Activation.quadratic(-3).value == 9)
        #expect(Activation(name: "swish") == .silu && Activation(name: "leaky_relu", parameter: 0.1) == .leakyReLU(slope: 0.1))
    }

    @Test("The hinge test case really has inactive samples")
    func hingeCaseHasInactiveRows() {
        var g = RandomGenerator(seed: 42)
        let model = ModelConfiguration(width: 6, activation: .relu, trainOutput: false)
        var network = TwoLayerNetwork.initialized(model, inputDimension: 5, generator: &g)
        network.outputWeights.storage = network.outputWeights.storage.map { $0 * 40 }
        let inputs = Matrix(rows: 9, columns: 5, elements: (0..<45).map { _ in g.gaussian() })
        let labels = (0..<9).map { $0 % 2 }
        let losses = (0..<9).map { i -> Double in
            let x = Matrix(rows: 1, columns: 5, elements: inputs.row(i))
            return network.meanLoss(inputs: x, labels: [labels[i]], loss: .hinge)
        }
        #expect(losses.contains(0) && losses.contains { $0 > 0 })
    }

    @Test("Loss derivatives match finite differences, including the stable logistic tails")
    func lossDerivatives() {
        for loss in Loss.allCases {
            for f in [-30.0, -2, -0.3, 0.4, 3, 30] {
                for y in [-1.0, 1] where !(loss == .hinge && (y * f).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-3)) {
                    let h = 1e-6
                    let numeric = (loss.value(f + h, y) - loss.value(f - h, y)) / (2 * h)
                    #expect(numeric.isApproximatelyEqual(to: loss.derivative(f, y), absoluteTolerance: 1e-6), "\(loss) f=\(f) y=\(y)")
                }
            }
        }
        #expect(Loss.logistic.value(-800, 1) == 800)
        #expect(Loss.logistic.value(800, 1) == 0)
    }

    @Test("Softmax cross-entropy: hand values, stable for large logits, equal to logistic on (0, f)")
    func crossEntropyValues() {
        func ce(_ z: [Double], _ y: Int) -> (Double, [Double]) {
            var gradient = [Double](repeating: 0, count: z.count)
            let value = Loss.crossEntropy(z, classes: z.count, label: y, gradient: &gradient, scale: 1)
            return (value, gradient)
        }
        let (uniform, g0) = ce([0, 0, 0, 0], 2)
        #expect(uniform.isApproximatelyEqual(to: log(4), absoluteTolerance: 1e-15) && g0 == [0.25, 0.25, -0.75, 0.25])
        let (large, g1) = ce([1000, 0, -1000], 0)
        #expect(large == 0 && g1[0] == 0 && g1[1] >= 0 && g1[1] < 1e-300 && g1[2] == 0)
        #expect((ce([1000, 0], 1).0).isApproximatelyEqual(to: 1000, absoluteTolerance: 1e-12))
        for f in [-5.0, -0.2, 0.7, 12] {
            #expect((ce([0, f], 1).0).isApproximatelyEqual(to: Loss.logistic.value(f, 1), absoluteTolerance: 1e-14))
            #expect((ce([0, f], 0).0).isApproximatelyEqual(to: Loss.logistic.value(f, -1), absoluteTolerance: 1e-14))
        }
    }
}
