/// Stochastic gradient descent with PyTorch's `torch.optim.SGD` semantics: coupled L2 weight decay
/// (g ← ∇ + λθ), heavy-ball momentum with the first buffer equal to the first gradient, optional
/// dampening and Nesterov. Defaults equal PyTorch's.
public struct SGDConfiguration: Sendable, Equatable, Hashable {
    public var learningRate: Double
    public var momentum: Double
    public var dampening: Double
    public var nesterov: Bool
    public var weightDecay: Double

    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }
}

/// Adam (`torch.optim.Adam`, coupled L2 decay g ← ∇ + λθ) or AdamW (`torch.optim.AdamW`, decoupled
/// decay θ ← θ(1 − ηλ) before the Adam step). PyTorch defaults: lr 1e-3, β = (0.9, 0.999), ε = 1e-8,
/// weight decay 0 (Adam) or 0.01 (AdamW).
public struct AdamConfiguration: Sendable, Equatable, Hashable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// AdamW when true.
    public var decoupled: Bool

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double? = nil, decoupled: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay ?? (decoupled ? 0.01 : 0)
        self.decoupled = decoupled
    }
}

/// RMSProp (`torch.optim.RMSprop`): s ← αs + (1−α)g², θ ← θ − η g/(√s + ε), with optional momentum and
/// centring. PyTorch defaults: lr 0.01, α 0.99, ε 1e-8.
public struct RMSPropConfiguration: Sendable, Equatable, Hashable {
    public var learningRate: Double
    public var alpha: Double
    public var epsilon: Double
    public var weightDecay: Double
    public var momentum: Double
    public var centered: Bool

    public init(learningRate: Double = 0.01, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }
}

/// AdaGrad (`torch.optim.Adagrad`): S ← S + g², θ ← θ − η_t g/(√S + ε), η_t = η/(1 + (t−1)·decay).
/// PyTorch defaults: lr 0.01, lr_decay 0, initial accumulator 0, ε 1e-10.
public struct AdaGradConfiguration: Sendable, Equatable, Hashable {
    public var learningRate: Double
    public var learningRateDecay: Double
    public var weightDecay: Double
    public var initialAccumulator: Double
    public var epsilon: Double

    public init(learningRate: Double = 0.01, learningRateDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulator: Double = 0, epsilon: Double = 1e-10) {
        self.learningRate = learningRate
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.initialAccumulator = initialAccumulator
        self.epsilon = epsilon
    }
}

/// The optimiser of a run.
public enum OptimizerConfiguration: Sendable, Equatable, Hashable {
    case sgd(SGDConfiguration)
    case adam(AdamConfiguration)
    case rmsprop(RMSPropConfiguration)
    case adagrad(AdaGradConfiguration)

    /// The name used in scenario files (`adamw` is Adam with decoupled decay).
    public var name: String {
        switch self {
        case .sgd: "sgd"
        case let .adam(adam): adam.decoupled ? "adamw" : "adam"
        case .rmsprop: "rmsprop"
        case .adagrad: "adagrad"
        }
    }

    /// Names accepted in scenario files.
    public static let names = ["sgd", "adam", "adamw", "rmsprop", "adagrad"]

    /// A label that tells the SGD variants apart: `sgd`, `sgd_momentum`, `nesterov`, `adam`, ...
    public var label: String {
        guard case let .sgd(sgd) = self else { return name }
        if sgd.momentum == 0 { return "sgd" }
        return sgd.nesterov ? "nesterov" : "sgd_momentum"
    }

    /// The base learning rate (before the schedule).
    public var learningRate: Double {
        switch self {
        case let .sgd(c): c.learningRate
        case let .adam(c): c.learningRate
        case let .rmsprop(c): c.learningRate
        case let .adagrad(c): c.learningRate
        }
    }

    /// Whether the update commutes with rotations of the input space (θ ↦ θQ), which makes training in
    /// the feature basis exact. SGD (with momentum, Nesterov and coupled decay) does; the adaptive
    /// methods scale coordinates separately and do not.
    public var isRotationEquivariant: Bool {
        if case .sgd = self { return true }
        return false
    }
}
