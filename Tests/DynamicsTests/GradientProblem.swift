@testable import Dynamics
import GSL

/// A small network on Gaussian inputs with enlarged output weights, so that some samples are past the
/// hinge (margin ≥ 1) and the backward pass takes its active-rows path: the gradient tests' problem.
struct GradientProblem {
    var network: TwoLayerNetwork
    let inputs: Matrix
    let labels: [Int]

    /// K = `classes` outputs for a multi-class loss (labels 0..<K), one output and labels 0/1 otherwise.
    init(activation: Activation, loss: Loss, trainOutput: Bool, samples n: Int, dimension d: Int, width: Int, classes: Int, seed: UInt64) {
        var g = RandomGenerator(seed: seed)
        let k = loss.isMulticlass ? classes : 1
        let model = ModelConfiguration(width: width, activation: activation, trainOutput: trainOutput)
        network = TwoLayerNetwork.initialized(model, inputDimension: d, outputs: k, generator: &g)
        network.outputWeights.storage = network.outputWeights.storage.map { $0 * 40 }
        inputs = Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in g.gaussian() })
        labels = (0..<n).map { k == 1 ? $0 % 2 : $0 % k }
    }
}
