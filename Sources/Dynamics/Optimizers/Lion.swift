import Schema

/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), as lion-pytorch writes it:
/// θ ← θ(1 − ηλ); θ ← θ − η·sign(β1·m + (1 − β1)·g); m ← β2·m + (1 − β2)·g. Every coordinate moves by
/// exactly ±η (or 0), so the update is not rotation-equivariant. With β1 = β2 = 0 it is sign-SGD.
/// Defaults as lion-pytorch: lr 1e-4, β = (0.9, 0.99), weight decay 0 (decoupled).
public struct LionConfiguration: OptimizerRule {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var weightDecay: Double

    public init(learningRate: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
    }

    public var name: String { "lion" }

    public var summary: String {
        "Lion (lr \(learningRate.compact), β = (\(beta1.compact), \(beta2.compact)), weight decay \(weightDecay.compact) decoupled)"
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func step<S: EngineScalar>(
        _ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double
    ) {
        state.steps += 1
        let (b1, b2, shrink, rate) = (S(beta1), S(beta2), S(1 - rate * weightDecay), S(rate))
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    for i in 0..<count {
                        let c = b1 * m[i] + (1 - b1) * g[i]
                        p[i] = p[i] * shrink - rate * (c > 0 ? 1 : c < 0 ? -1 : 0)
                        m[i] = b2 * m[i] + (1 - b2) * g[i]
                    }
                }
            }
        }
    }
}

extension LionConfiguration {
    private static let defaults = LionConfiguration()
    private static let lr = OptimizerField.learningRate(default: defaults.learningRate)
    private static let beta = Codec<Double>.number(.probability)
    private static let betas = Field(
        "betas", .pair(beta, beta, names: "[β1, β2]"), default: (defaults.beta1, defaults.beta2),
        "β1 mixes the gradient into the sign's argument, β2 is the momentum's decay (0, 0: sign-SGD).")
    private static let decay = OptimizerField.weightDecay(default: defaults.weightDecay, decoupled: true)

    static let variant = Variant<OptimizerConfiguration>(
        "lion", "Lion (Chen et al. 2023): the sign of an interpolated momentum; sign-SGD with betas [0, 0].",
        fields: [lr, betas, decay],
        decode: { read throws(ScenarioError) in
            let (beta1, beta2) = try read(betas)
            return OptimizerConfiguration(LionConfiguration(learningRate: try read(lr), beta1: beta1, beta2: beta2, weightDecay: try read(decay)))
        },
        encode: { optimizer in
            (optimizer.rule as? LionConfiguration).map {
                [lr.member($0.learningRate), betas.member(($0.beta1, $0.beta2)), decay.member($0.weightDecay)]
            }
        })
}
