import Schema

/// RMSProp (`torch.optim.RMSprop`): s ← αs + (1−α)g², θ ← θ − η g/(√s + ε), with optional momentum and
/// centring. PyTorch defaults: lr 0.01, α 0.99, ε 1e-8.
public struct RMSPropConfiguration: OptimizerRule {
    public var learningRate: Double
    public var alpha: Double
    public var epsilon: Double
    public var weightDecay: Double
    public var momentum: Double
    public var centered: Bool

    public init(
        learningRate: Double = 0.01, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0,
        momentum: Double = 0, centered: Bool = false
    ) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }

    public var name: String { "rmsprop" }

    public var summary: String {
        "RMSProp (lr \(learningRate.compact), α \(alpha.compact)\(momentum > 0 ? ", momentum \(momentum.compact)" : "")\(centered ? ", centred" : ""), weight decay \(weightDecay.compact))"
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func step<S: EngineScalar>(
        _ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double
    ) {
        state.steps += 1
        let (a, eps, decay, mu, centered) = (S(alpha), S(epsilon), S(weightDecay), S(momentum), centered)
        let rate = S(rate)
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.second.withUnsafeMutableBufferPointer { s in
                    state.average.withUnsafeMutableBufferPointer { avg in
                        state.first.withUnsafeMutableBufferPointer { buffer in
                            for i in 0..<count {
                                let gi = g[i] + decay * p[i]
                                s[i] = a * s[i] + (1 - a) * gi * gi
                                var denominator = s[i]
                                if centered {
                                    avg[i] = a * avg[i] + (1 - a) * gi
                                    denominator -= avg[i] * avg[i]
                                }
                                denominator = denominator.squareRoot() + eps
                                if mu > 0 {
                                    buffer[i] = mu * buffer[i] + gi / denominator
                                    p[i] -= rate * buffer[i]
                                } else {
                                    p[i] -= rate * gi / denominator
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension RMSPropConfiguration {
    private static let defaults = RMSPropConfiguration()
    private static let lr = OptimizerField.learningRate(default: defaults.learningRate)
    private static let alphaField = Field(
        "alpha", .number(.fraction), default: defaults.alpha,
        "Decay rate α of the squared-gradient average.")
    private static let eps = OptimizerField.epsilon(default: defaults.epsilon)
    private static let decay = OptimizerField.weightDecay(default: defaults.weightDecay)
    private static let momentumField = OptimizerField.momentum(default: defaults.momentum)
    private static let centeredField = Field(
        "centered", .boolean, default: defaults.centered,
        "Divide by the centred second moment (the gradient's variance estimate).")

    static let variant = Variant<OptimizerConfiguration>(
        "rmsprop", "RMSProp as torch.optim.RMSprop.",
        fields: [lr, alphaField, eps, decay, momentumField, centeredField],
        decode: { read throws(ScenarioError) in
            .rmsprop(
                RMSPropConfiguration(
                    learningRate: try read(lr), alpha: try read(alphaField), epsilon: try read(eps),
                    weightDecay: try read(decay), momentum: try read(momentumField), centered: try read(centeredField)))
        },
        encode: { optimizer in
            (optimizer.rule as? RMSPropConfiguration).map {
                [
                    lr.member($0.learningRate), alphaField.member($0.alpha), eps.member($0.epsilon), decay.member($0.weightDecay),
                    momentumField.member($0.momentum), centeredField.member($0.centered),
                ]
            }
        })
}
