import Foundation
import Schema

/// Adam (`torch.optim.Adam`, coupled L2 decay g ← ∇ + λθ) or AdamW (`torch.optim.AdamW`, decoupled
/// decay θ ← θ(1 − ηλ) before the Adam step). PyTorch defaults: lr 1e-3, β = (0.9, 0.999), ε = 1e-8,
/// weight decay 0 (Adam) or 0.01 (AdamW).
public struct AdamConfiguration: OptimizerRule {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// AdamW when true.
    public var decoupled: Bool

    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double? = nil, decoupled: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay ?? (decoupled ? 0.01 : 0)
        self.decoupled = decoupled
    }

    public var name: String { decoupled ? "adamw" : "adam" }

    public var summary: String {
        "\(decoupled ? "AdamW" : "Adam") (lr \(learningRate.compact), β = (\(beta1.compact), \(beta2.compact)), weight decay \(weightDecay.compact)\(decoupled ? " decoupled" : ""))"
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func step<S: EngineScalar>(
        _ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double
    ) {
        state.steps += 1
        let t = Double(state.steps)
        let correction1 = S(1 - pow(beta1, t)), correction2 = S(1 - pow(beta2, t))
        let (b1, b2, eps, decay, decoupled) = (S(beta1), S(beta2), S(epsilon), S(weightDecay), decoupled)
        let rate = S(rate)
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { v in
                        for i in 0..<count {
                            var gi = g[i]
                            if decoupled { p[i] *= 1 - rate * decay } else { gi += decay * p[i] }
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi
                            p[i] -= rate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}

extension AdamConfiguration {
    static let adamVariant = variant(decoupled: false)
    static let adamWVariant = variant(decoupled: true)

    private static func variant(decoupled: Bool) -> Variant<OptimizerConfiguration> {
        let defaults = AdamConfiguration(decoupled: decoupled)
        let lr = OptimizerField.learningRate(default: defaults.learningRate)
        let beta = Codec<Double>.number(.fraction)
        let betas = Field(
            "betas", .pair(beta, beta, names: "[β1, β2]"), default: (defaults.beta1, defaults.beta2),
            "Decay rates (β1, β2) of the first- and second-moment averages.")
        let eps = OptimizerField.epsilon(default: defaults.epsilon)
        let decay = OptimizerField.weightDecay(default: defaults.weightDecay, decoupled: decoupled)
        return Variant(
            defaults.name,
            decoupled ? "AdamW (torch.optim.AdamW): Adam with decoupled weight decay." : "Adam as torch.optim.Adam (coupled L2 decay).",
            fields: [lr, betas, eps, decay],
            decode: { read throws(ScenarioError) in
                let (beta1, beta2) = try read(betas)
                return .adam(
                    AdamConfiguration(
                        learningRate: try read(lr), beta1: beta1, beta2: beta2, epsilon: try read(eps),
                        weightDecay: try read(decay), decoupled: decoupled))
            },
            encode: { optimizer in
                guard let adam = optimizer.rule as? AdamConfiguration, adam.decoupled == decoupled else { return nil }
                return [
                    lr.member(adam.learningRate), betas.member((adam.beta1, adam.beta2)), eps.member(adam.epsilon),
                    decay.member(adam.weightDecay),
                ]
            })
    }
}
