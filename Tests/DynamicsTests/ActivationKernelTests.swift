@testable import Dynamics
import Foundation
import GSL
import Testing

/// The vectorised transcendental activations (Sources/CVectorMath) against the exact functions
/// evaluated in 80-bit extended precision, and the properties determinism rests on.
@Suite("Activation kernels")
struct ActivationKernelTests {
    static let transcendental: [Activation] = [
        .elu(alpha: 1), .elu(alpha: 0.5), .gelu, .silu, .softplus(beta: 1), .softplus(beta: 3), .tanh, .sigmoid, .mish,
    ]

    /// σ and σ' in Float80 from the textbook definitions (erfc for Φ, so that the tail is exact).
    static func exact(_ activation: Activation, _ x: Double) -> (value: Float80, slope: Float80) {
        let h = Float80(x)
        let logistic = 1 / (1 + expl(-h))
        switch activation {
        case let .elu(alpha):
            return h > 0 ? (h, 1) : (Float80(alpha) * expm1l(h), Float80(alpha) * expl(h))
        case .gelu:
            let cdf = erfcl(-h / sqrtl(2)) / 2
            return (h * cdf, cdf + h * expl(-h * h / 2) / sqrtl(2 * Float80.pi))
        case .silu:
            return (h * logistic, logistic * (1 + h * (1 - logistic)))
        case let .softplus(beta):
            // βx rounded as the kernel gets it: e^(βx)'s condition number |βx| would amplify that rounding.
            let z = Float80(beta * x)
            return z > 20 ? (h, 1) : (log1pl(expl(z)) / Float80(beta), 1 / (1 + expl(-z)))
        case .tanh:
            let t = tanhl(h)
            return (t, 1 - t * t)
        case .sigmoid:
            return (logistic, logistic * (1 - logistic))
        case .mish:
            let s = tanhl(h > 20 ? h : log1pl(expl(h)))
            return (h * s, s + h * (1 - s * s) * logistic)
        default:
            return (0, 0)
        }
    }

    /// 20 001 points on [−40, 40], dense where the functions bend.
    static let grid: [Double] = (-10_000...10_000).map { i in 40 * pow(Double(i) / 10_000, 3) }

    /// Bounds, with the measured worst case over the grid (2026-12, libmvec AVX2): a value is within
    /// 6 ulp of itself (measured ≤ 3.8, Mish: libmvec's functions measured ≤ 3 ulp against Float80, plus
    /// the formula's few roundings). GELU's x·(1 + erf(x/√2))/2 cancels for x ≪ 0, as PyTorch's formula
    /// does, so its error is bounded by |x|·ε instead (measured ≤ 0.52). A slope is a sum of terms of
    /// size up to 1 + |x| with a few roundings each: within 3·(1 + |x|)·ε (measured ≤ 1.2, Mish).
    @Test("σ and σ' agree with the exact functions in extended precision", arguments: transcendental)
    func accuracy(activation: Activation) {
        let x = Self.grid
        var values = [Double](repeating: 0, count: x.count), slopes = values
        activation.applyWithSlopes(x, count: x.count, values: &values, slopes: &slopes)
        var worst: (value: Double, slope: Double) = (0, 0)
        for i in x.indices {
            let (value, slope) = Self.exact(activation, x[i])
            let valueError = abs(Double(Float80(values[i]) - value)), size = max(abs(Double(value)), .leastNormalMagnitude)
            let valueUnit = activation == .gelu ? size.ulp + abs(x[i]) * .ulpOfOne : size.ulp
            worst.value = max(worst.value, valueError / valueUnit)
            worst.slope = max(worst.slope, abs(Double(Float80(slopes[i]) - slope)) / ((1 + abs(x[i])) * .ulpOfOne))
        }
        #expect(worst.value <= (activation == .gelu ? 2 : 6), "\(activation.label): value error \(worst.value)")
        #expect(worst.slope <= 3, "\(activation.label): slope error \(worst.slope)")
    }

    @Test(
        "An element's bits do not depend on its position, its array's length, the outputs asked for or in-place use",
        arguments: transcendental)
    func positionIndependence(activation: Activation) {
        var g = RandomGenerator(seed: 7)
        let x = (0..<1_003).map { _ in 6 * g.gaussian() }
        var values = [Double](repeating: 0, count: x.count), slopes = values
        activation.applyWithSlopes(x, count: x.count, values: &values, slopes: &slopes)
        // Alone (count 1, the padded tail), at every offset of a short array, values or slopes only.
        for i in stride(from: 0, to: x.count, by: 37) {
            let (value, slope) = activation(x[i])
            #expect(value.bitPattern == values[i].bitPattern && slope.bitPattern == slopes[i].bitPattern, "x = \(x[i])")
        }
        for offset in 0..<5 {
            let part = Array(x[offset..<(offset + 7)])
            var partValues = [Double](repeating: 0, count: 7), partSlopes = partValues
            activation.apply(part, count: 7, values: &partValues)
            activation.slopes(part, count: 7, into: &partSlopes)
            #expect(partValues == Array(values[offset..<(offset + 7)]) && partSlopes == Array(slopes[offset..<(offset + 7)]))
        }
        var inPlace = x
        inPlace.withUnsafeMutableBufferPointer { h in
            activation.apply(h.baseAddress!, count: h.count, values: h.baseAddress!)
        }
        #expect(inPlace == values)
    }

    @Test("NaN stays NaN (a diverged run is not hidden), infinities give the limits", arguments: transcendental)
    func nonFinite(activation: Activation) {
        let (value, slope) = activation(.nan)
        #expect(value.isNaN && slope.isNaN)
        let large = activation(.infinity)
        #expect(large.value == (activation == .tanh || activation == .sigmoid ? 1 : .infinity))
    }

    @Test(
        "Storing σ' in the forward pass or recomputing it for the active samples gives the same gradient, bit for bit",
        arguments: [(Activation.gelu, Loss.hinge), (.gelu, .crossEntropy), (.tanh, .hinge), (.relu, .hinge)])
    func slopeStorageIsInvisible(activation: Activation, loss: Loss) {
        let problem = GradientProblem(
            activation: activation, loss: loss, trainOutput: true, samples: 40, dimension: 7, width: 9, classes: 3, seed: 3)
        let (network, inputs, labels) = (problem.network, problem.inputs, problem.labels)
        let n = 40, d = 7, k = network.outputCount, model = network.configuration
        var gradients: [Gradient] = [], losses: [Double] = []
        for predictedActive in [1.0, 0.0] {
            var forward = ForwardWorkspace(capacity: n, width: model.width, outputs: k, activation: activation)
            var backward = BackwardWorkspace(capacity: n, width: model.width, inputDimension: d, outputs: k)
            backward.lastActiveFraction = predictedActive
            losses.append(network.computeGradient(inputs: inputs, labels: labels, loss: loss, forward: &forward, backward: &backward))
            #expect(forward.slopesStored == (predictedActive > activation.slopeStorageThreshold))
            gradients.append(backward.gradient)
        }
        #expect(losses[0].bitPattern == losses[1].bitPattern)
        #expect(gradients[0].weights.storage == gradients[1].weights.storage)
        #expect(gradients[0].hiddenBias == gradients[1].hiddenBias && gradients[0].outputWeights.storage == gradients[1].outputWeights.storage)
    }
}
