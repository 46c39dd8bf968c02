import Schema

/// AdaGrad (`torch.optim.Adagrad`): S ← S + g², θ ← θ − η_t g/(√S + ε), η_t = η/(1 + (t−1)·decay).
/// PyTorch defaults: lr 0.01, lr_decay 0, initial accumulator 0, ε 1e-10.
public struct AdaGradConfiguration: OptimizerRule {
    public var learningRate: Double
    public var learningRateDecay: Double
    public var weightDecay: Double
    public var initialAccumulator: Double
    public var epsilon: Double

    public init(
        learningRate: Double = 0.01, learningRateDecay: Double = 0, weightDecay: Double = 0,
        initialAccumulator: Double = 0, epsilon: Double = 1e-10
    ) {
        self.learningRate = learningRate
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.initialAccumulator = initialAccumulator
        self.epsilon = epsilon
    }

    public var name: String { "adagrad" }
    public var initialSecondMoment: Double { initialAccumulator }

    public var summary: String {
        "AdaGrad (lr \(learningRate.compact), lr decay \(learningRateDecay.compact), weight decay \(weightDecay.compact))"
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func step<S: EngineScalar>(
        _ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double
    ) {
        state.steps += 1
        let clr = S(rate / (1 + Double(state.steps - 1) * learningRateDecay))
        let (decay, eps) = (S(weightDecay), S(epsilon))
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.second.withUnsafeMutableBufferPointer { sum in
                    for i in 0..<count {
                        let gi = g[i] + decay * p[i]
                        sum[i] += gi * gi
                        p[i] -= clr * gi / (sum[i].squareRoot() + eps)
                    }
                }
            }
        }
    }
}

extension AdaGradConfiguration {
    private static let defaults = AdaGradConfiguration()
    private static let lr = OptimizerField.learningRate(default: defaults.learningRate)
    private static let lrDecay = Field(
        "lr_decay", .number(.nonNegative), default: defaults.learningRateDecay,
        "Learning-rate decay: η_t = η/(1 + (t−1)·lr_decay).")
    private static let decay = OptimizerField.weightDecay(default: defaults.weightDecay)
    private static let accumulator = Field(
        "initial_accumulator_value", .number(.nonNegative), default: defaults.initialAccumulator,
        "Starting value of the squared-gradient sum S.")
    private static let eps = OptimizerField.epsilon(default: defaults.epsilon)

    static let variant = Variant<OptimizerConfiguration>(
        "adagrad", "AdaGrad as torch.optim.Adagrad.",
        fields: [lr, lrDecay, decay, accumulator, eps],
        decode: { read throws(ScenarioError) in
            .adagrad(
                AdaGradConfiguration(
                    learningRate: try read(lr), learningRateDecay: try read(lrDecay), weightDecay: try read(decay),
                    initialAccumulator: try read(accumulator), epsilon: try read(eps)))
        },
        encode: { optimizer in
            (optimizer.rule as? AdaGradConfiguration).map {
                [
                    lr.member($0.learningRate), lrDecay.member($0.learningRateDecay), decay.member($0.weightDecay),
                    accumulator.member($0.initialAccumulator), eps.member($0.epsilon),
                ]
            }
        })
}
