import GSL
import Schema

/// Stochastic gradient descent with PyTorch's `torch.optim.SGD` semantics: coupled L2 weight decay
/// (g ← ∇ + λθ), heavy-ball momentum with the first buffer equal to the first gradient, optional
/// dampening and Nesterov. Defaults equal PyTorch's.
public struct SGDConfiguration: OptimizerRule {
    public var learningRate: Double
    public var momentum: Double
    public var dampening: Double
    public var nesterov: Bool
    public var weightDecay: Double

    public init(
        learningRate: Double, momentum: Double = 0, dampening: Double = 0,
        nesterov: Bool = false, weightDecay: Double = 0
    ) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public var name: String { "sgd" }

    /// `sgd`, `sgd_momentum` or `nesterov`.
    public var label: String { momentum == 0 ? "sgd" : nesterov ? "nesterov" : "sgd_momentum" }

    public var isRotationEquivariant: Bool { true }

    public var summary: String {
        "SGD (lr \(learningRate.compact)\(momentum > 0 ? ", momentum \(momentum.compact)" : "")\(nesterov ? ", Nesterov" : ""), weight decay \(weightDecay.compact))"
    }

    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func step<S: EngineScalar>(
        _ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double
    ) {
        defer { state.steps += 1 }
        if weightDecay != 0 { BLAS.axpy(S(weightDecay), parameter, &gradient, count: count) }
        guard momentum != 0 else {
            BLAS.axpy(S(-rate), gradient, &parameter, count: count)
            return
        }
        if state.started {
            BLAS.scale(&state.first, by: S(momentum), count: count)
            BLAS.axpy(S(1 - dampening), gradient, &state.first, count: count)
        } else {
            // PyTorch initialises the buffer with the first gradient (no dampening).
            for i in 0..<count { state.first[i] = gradient[i] }
        }
        if nesterov {
            BLAS.axpy(S(momentum), state.first, &gradient, count: count)
            BLAS.axpy(S(-rate), gradient, &parameter, count: count)
        } else {
            BLAS.axpy(S(-rate), state.first, &parameter, count: count)
        }
    }

    /// The same step for a parameter that is a scalar multiple α·v of a fixed vector v whose loss
    /// gradient is zero (the part of W orthogonal to the dictionary): only weight decay moves it.
    /// `coefficient` is α and `buffer` the momentum buffer's multiple of v.
    func stepOrthogonalScale(coefficient: inout Double, buffer: inout Double, started: Bool, rate: Double) {
        let gradient = weightDecay * coefficient
        guard momentum != 0 else {
            coefficient -= rate * gradient
            return
        }
        buffer = started ? momentum * buffer + (1 - dampening) * gradient : gradient
        coefficient -= rate * (nesterov ? gradient + momentum * buffer : buffer)
    }
}

extension SGDConfiguration {
    /// PyTorch's defaults; the learning rate, which PyTorch requires, defaults to 1e-3 here.
    private static let defaults = SGDConfiguration(learningRate: 1e-3)
    private static let lr = OptimizerField.learningRate(default: defaults.learningRate)
    private static let momentumField = OptimizerField.momentum(default: defaults.momentum)
    private static let dampeningField = Field(
        "dampening", .number(.probability), default: defaults.dampening,
        "Dampening of the momentum buffer's gradient term.")
    private static let nesterovField = Field(
        "nesterov", .boolean, default: defaults.nesterov,
        "Nesterov momentum (needs momentum > 0 and dampening 0).")
    private static let decay = OptimizerField.weightDecay(default: defaults.weightDecay)

    static let variant = Variant<OptimizerConfiguration>(
        "sgd", "Stochastic gradient descent as torch.optim.SGD.",
        fields: [lr, momentumField, dampeningField, nesterovField, decay],
        decode: { read throws(ScenarioError) in
            let sgd = SGDConfiguration(
                learningRate: try read(lr), momentum: try read(momentumField), dampening: try read(dampeningField),
                nesterov: try read(nesterovField), weightDecay: try read(decay))
            if sgd.nesterov && (sgd.momentum == 0 || sgd.dampening != 0) {
                throw read.invalid("nesterov", "Nesterov momentum needs momentum > 0 and dampening 0 (as in PyTorch)")
            }
            return .sgd(sgd)
        },
        encode: { optimizer in
            (optimizer.rule as? SGDConfiguration).map {
                [
                    lr.member($0.learningRate), momentumField.member($0.momentum), dampeningField.member($0.dampening),
                    nesterovField.member($0.nesterov), decay.member($0.weightDecay),
                ]
            }
        })
}
