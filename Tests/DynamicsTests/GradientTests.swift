@testable import Dynamics
import GSL
import Testing

/// Central finite differences of the mean loss against the analytic gradient, every parameter.
@Suite("Gradients")
struct GradientTests {
    static let cases: [(Activation, Loss, Bool)] = Activation.allCases.flatMap { activation in
        Loss.allCases.flatMap { loss in [false, true].map { (activation, loss, $0) } }
    }

    @Test("Analytic gradient equals central finite differences", arguments: cases)
    func finiteDifferences(activation: Activation, loss: Loss, trainOutput: Bool) {
        var g = RandomGenerator(seed: 42)
        let n = 9, d = 5
        let model = ModelConfiguration(width: 6, activation: activation, trainOutput: trainOutput)
        var network = TwoLayerNetwork.initialized(model, inputDimension: d, generator: &g)
        // Larger output weights put some samples past the hinge (margin ≥ 1), so the backward pass
        // exercises its active-rows path.
        network.outputWeights = network.outputWeights.map { $0 * 40 }
        let inputs = Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in g.gaussian() })
        let labels = (0..<n).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        let (_, gradient) = network.lossAndGradient(inputs: inputs, labels: labels, loss: loss)
        let h = 1e-6
        func numeric(_ perturb: (inout TwoLayerNetwork, Double) -> Void) -> Double {
            var plus = network, minus = network
            perturb(&plus, h)
            perturb(&minus, -h)
            return (plus.meanLoss(inputs: inputs, labels: labels, loss: loss)
                    - minus.meanLoss(inputs: inputs, labels: labels, loss: loss)) / (2 * h)
        }
        var worst = 0.0
        for i in 0..<(network.weights.rows * d) {
            worst = max(worst, abs(numeric { $0.weights.storage[i] += $1 } - gradient.weights.storage[i]))
        }
        for r in 0..<model.width {
            worst = max(worst, abs(numeric { $0.hiddenBias[r] += $1 } - gradient.hiddenBias[r]))
            if trainOutput {
                worst = max(worst, abs(numeric { $0.outputWeights[r] += $1 } - gradient.outputWeights[r]))
            }
        }
        if trainOutput { worst = max(worst, abs(numeric { $0.outputBias[0] += $1 } - gradient.outputBias[0])) }
        // Central differences have O(h²) truncation and O(ε/h) rounding error: ~1e-10 here.
        #expect(worst < 1e-7, "max |analytic − numeric| = \(worst)")
    }

    @Test("The hinge test case really has inactive samples")
    func hingeCaseHasInactiveRows() {
        var g = RandomGenerator(seed: 42)
        let model = ModelConfiguration(width: 6, activation: .relu, trainOutput: false)
        var network = TwoLayerNetwork.initialized(model, inputDimension: 5, generator: &g)
        network.outputWeights = network.outputWeights.map { $0 * 40 }
        let inputs = Matrix(rows: 9, columns: 5, elements: (0..<45).map { _ in g.gaussian() })
        let labels = (0..<9).map { $0 % 2 == 0 ? 1.0 : -1.0 }
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
                for y in [-1.0, 1] where !(loss == .hinge && abs(y * f - 1) < 1e-3) {
                    let h = 1e-6
                    let numeric = (loss.value(f + h, y) - loss.value(f - h, y)) / (2 * h)
                    #expect(abs(numeric - loss.derivative(f, y)) < 1e-6, "\(loss) f=\(f) y=\(y)")
                }
            }
        }
        #expect(Loss.logistic.value(-800, 1) == 800)
        #expect(Loss.logistic.value(800, 1) == 0)
    }
}
