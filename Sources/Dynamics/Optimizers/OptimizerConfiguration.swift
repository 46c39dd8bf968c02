import Schema

/// One optimiser's update rule and settings. Everything about an optimiser lives in one file: its
/// settings (with PyTorch's defaults in the initialiser), its update, its scenario fields (a `Variant`)
/// and its description; `OptimizerConfiguration.variants` lists it.
public protocol OptimizerRule: Sendable, Hashable {
    /// The name used in scenario files.
    var name: String { get }
    /// A label that tells variants apart in CSVs and figures (default: the name).
    var label: String { get }
    /// The base learning rate (before the schedule).
    var learningRate: Double { get }
    /// Whether the update commutes with rotations of the input space (θ ↦ θQ), which makes training in
    /// the feature basis exact. SGD does; methods that scale coordinates separately do not.
    var isRotationEquivariant: Bool { get }
    /// The starting value of the second-moment buffer (AdaGrad's initial accumulator).
    var initialSecondMoment: Double { get }
    /// The optimiser in words, for reports: "SGD (lr 0.003, momentum 0.9, weight decay 0.001)".
    var summary: String { get }
    /// One update of `parameter` from its loss gradient at the scheduled `rate`; `gradient` is
    /// overwritten. No allocation.
    /// Generic over the training precision; implementations carry `@_specialize` for `Double` and
    /// `Float`, so that a call through `any OptimizerRule` runs the specialised loop, not a generic one.
    func step<S: EngineScalar>(_ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double)
}

extension OptimizerRule {
    public var label: String { name }
    public var isRotationEquivariant: Bool { false }
    public var initialSecondMoment: Double { 0 }
}

/// The optimiser of a run.
public struct OptimizerConfiguration: Sendable, Hashable {
    public let rule: any OptimizerRule

    public init(_ rule: any OptimizerRule) { self.rule = rule }

    /// Every optimiser a scenario may name, in documentation order. Adding an optimiser: one file with
    /// its rule and its `Variant`, and one line here.
    static let variants: [Variant<OptimizerConfiguration>] = [
        SGDConfiguration.variant, AdamConfiguration.adamVariant, AdamConfiguration.adamWVariant,
        RMSPropConfiguration.variant, AdaGradConfiguration.variant, LionConfiguration.variant,
    ]

    /// `{"name": "sgd" | "adam" | ..., settings}`, SGD when the name is absent.
    public static let codec = Codec.tagged("name", noun: "optimizer", default: "sgd", variants)

    public var name: String { rule.name }
    public var label: String { rule.label }

    /// The name with the learning rate and every other setting that differs from the optimiser's
    /// defaults, e.g. `adam(lr=0.001,weight_decay=0.001)`: the identity in CSVs, where the label alone
    /// (`adam`) would merge runs that differ in a setting. Read from the schema, so a new setting
    /// appears by itself.
    public var settingsLabel: String {
        guard case let .object(members) = Self.codec.encode(self),
            let defaults = try? Self.codec.decode(.object([("name", .string(name))]), at: ""),
            case let .object(defaultMembers) = Self.codec.encode(defaults)
        else { return name }
        let shown = members.dropFirst().filter { member in
            member.key == OptimizerField.learningRateKey || defaultMembers.first { $0.key == member.key }?.value != member.value
        }
        return "\(name)(" + shown.map { "\($0.key)=\($0.value.compactText)" }.joined(separator: ",") + ")"
    }
    public var learningRate: Double { rule.learningRate }
    public var isRotationEquivariant: Bool { rule.isRotationEquivariant }
    public var summary: String { rule.summary }

    public static func == (lhs: Self, rhs: Self) -> Bool { AnyHashable(lhs.rule) == AnyHashable(rhs.rule) }
    public func hash(into hasher: inout Hasher) { AnyHashable(rule).hash(into: &hasher) }

    public static func sgd(_ rule: SGDConfiguration) -> Self { Self(rule) }
    public static func adam(_ rule: AdamConfiguration) -> Self { Self(rule) }
    public static func rmsprop(_ rule: RMSPropConfiguration) -> Self { Self(rule) }
    public static func adagrad(_ rule: AdaGradConfiguration) -> Self { Self(rule) }

    func step<S: EngineScalar>(_ parameter: inout [S], gradient: inout [S], state: inout OptimizerStateOf<S>, count: Int, rate: Double) {
        rule.step(&parameter, gradient: &gradient, state: &state, count: count, rate: rate)
    }
}

/// Settings several optimisers share, declared once.
enum OptimizerField {
    static let learningRateKey = "lr"

    static func learningRate(default value: Double) -> Field<Double> {
        Field(learningRateKey, .number(.positive), default: value, "Base learning rate η (the schedule multiplies it).")
    }

    static func weightDecay(default value: Double, decoupled: Bool = false) -> Field<Double> {
        Field(
            "weight_decay", .number(.nonNegative), default: value,
            decoupled
                ? "Decoupled weight decay λ: θ ← θ(1 − ηλ) before the update."
                : "L2 weight decay λ, added to the gradient (g ← ∇ + λθ) as PyTorch does.")
    }

    static func epsilon(default value: Double) -> Field<Double> {
        Field("eps", .number(.positive), default: value, "ε added to the denominator for numerical stability.")
    }

    static func momentum(default value: Double) -> Field<Double> {
        Field("momentum", .number(.fraction), default: value, "Momentum μ (0: none).")
    }
}
