import Foundation
import Schema

/// A hidden-unit non-linearity σ with its derivative σ'.
///
/// Everything about an activation lives in this file: to add one, add a case, its name (and parameter,
/// if any), and one function giving its value and derivative together (`evaluate`). Defaults equal PyTorch's.
public enum Activation: Sendable, Equatable, Hashable {
    /// max(0, h) — the paper's network.
    case relu
    /// h for h > 0, slope·h otherwise (PyTorch default slope 0.01; the authors' code uses 0.1).
    case leakyReLU(slope: Double)
    /// h for h > 0, α(eʰ − 1) otherwise (PyTorch default α = 1).
    case elu(alpha: Double)
    /// h·Φ(h), the exact erf form (PyTorch's default GELU). The hot loop uses the C library's erf, 5× faster
    /// than GSL's `gsl_sf_erf` and equal to it within 6e-16 (a test checks this).
    case gelu
    /// h·sigmoid(h) (also called swish).
    case silu
    /// log(1 + e^(βh))/β, linear above βh > 20 as in PyTorch (default β = 1).
    case softplus(beta: Double)
    case tanh
    case sigmoid
    /// h²: symmetric, so it does not activate asymmetrically by class sign.
    case quadratic
    /// |h|: symmetric, like the square.
    case absolute
    /// h — the control: no contamination (Theorem 4.4).
    case linear
    /// h·tanh(softplus(h)) (Misra 2019; PyTorch's nn.Mish): smooth and non-monotone, like SiLU.
    case mish

    /// Every activation with its default parameter, in report order.
    public static let all: [Activation] = [
        .relu, .leakyReLU(slope: 0.01), .elu(alpha: 1), .gelu, .silu,
        .softplus(beta: 1), .tanh, .sigmoid, .quadratic, .absolute, .linear, .mish,
    ]

    /// The name used in scenario files and reports.
    public var name: String {
        switch self {
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        case .elu: "elu"
        case .gelu: "gelu"
        case .silu: "silu"
        case .softplus: "softplus"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .quadratic: "quadratic"
        case .absolute: "abs"
        case .linear: "linear"
        case .mish: "mish"
        }
    }

    /// Names accepted in scenario files ("swish" is accepted for "silu").
    public static var names: [String] { all.map(\.name) }

    /// The parameter's name and value, for parametrised activations.
    public var parameter: (name: String, value: Double)? {
        switch self {
        case let .leakyReLU(slope): ("slope", slope)
        case let .elu(alpha): ("alpha", alpha)
        case let .softplus(beta): ("beta", beta)
        default: nil
        }
    }

    /// The activation with this name and parameter (nil: the default), if the name exists.
    public init?(name: String, parameter: Double? = nil) {
        let canonical = name == "swish" ? "silu" : name
        guard let match = Self.all.first(where: { $0.name == canonical }) else { return nil }
        switch match {
        case let .leakyReLU(slope): self = .leakyReLU(slope: parameter ?? slope)
        case let .elu(alpha): self = .elu(alpha: parameter ?? alpha)
        case let .softplus(beta): self = .softplus(beta: parameter ?? beta)
        default: self = match
        }
    }

    /// What a parameter must satisfy.
    public var parameterRule: NumberRule? {
        switch self {
        case .leakyReLU: .fraction
        case .elu, .softplus: .positive
        default: nil
        }
    }

    /// The activation's meaning in the scenario reference.
    var meaning: String {
        switch self {
        case .relu: "max(0, h): the paper's network."
        case .leakyReLU: "h for h > 0, slope·h otherwise."
        case .elu: "h for h > 0, α(eʰ − 1) otherwise."
        case .gelu: "h·Φ(h), the exact erf form."
        case .silu: "h·sigmoid(h) (also accepted as \"swish\")."
        case .softplus: "log(1 + e^(βh))/β."
        case .tanh: "tanh(h)."
        case .sigmoid: "1/(1 + e^(−h))."
        case .quadratic: "h²: symmetric, so it does not activate asymmetrically by class."
        case .absolute: "|h|: symmetric, like the square."
        case .linear: "h: the control, which learns no background (Theorem 4.4)."
        case .mish: "h·tanh(softplus(h)), smooth and non-monotone."
        }
    }

    /// `"relu"`, or `{"name": "leaky_relu", "slope": 0.1}` for a parametrised activation: one variant
    /// per member of `all`, read from the tables above.
    public static let codec = Codec<Activation>.tagged(
        "name", noun: "activation", default: nil, shorthand: true,
        aliases: ["swish": "silu"], all.map(\.variant))

    private var variant: Variant<Activation> {
        let base = self
        guard let parameter, let rule = parameterRule else {
            return Variant(name, meaning, fields: [], decode: { _ in base }, encode: { $0.name == base.name ? [] : nil })
        }
        let field = Field(parameter.name, Codec.number(rule), default: parameter.value, "The \(name) parameter.")
        return Variant(
            name, meaning, fields: [field],
            decode: { read throws(ScenarioError) in
                Activation(name: base.name, parameter: try read(field)) ?? base
            },
            encode: { activation in
                guard activation.name == base.name, let value = activation.parameter?.value else { return nil }
                return [field.member(value)]
            })
    }

    /// "leaky_relu(slope=0.1)" or just the name: the label used in reports and CSVs.
    public var label: String {
        guard let parameter else { return name }
        return "\(name)(\(parameter.name)=\(parameter.value.compact))"
    }

    /// Whether σ is linear, so that background gradient terms cancel (the control).
    public var isLinear: Bool { self == .linear }

    /// The symmetry of σ', which decides whether activation asymmetry can bias background gradients.
    public enum SlopeSymmetry: Sendable {
        /// σ' has no symmetry (relu, gelu, ...): a neuron's slope differs between the class it fires
        /// for and the other, the asymmetry of Thm 4.1.
        case none
        /// σ' is even (tanh, sigmoid): a neuron driven to +h on one class and −h on the other has the
        /// same slope on both, so the background terms cancel as in a linear network.
        case even
        /// σ' is odd (|h|, h²): the slope's sign follows h's, so background weights grow in both
        /// directions — unsigned contamination.
        case odd
    }

    public var slopeSymmetry: SlopeSymmetry {
        switch self {
        case .tanh, .sigmoid, .linear: .even
        case .quadratic, .absolute: .odd
        default: .none
        }
    }

    /// Whether σ' is cheaper to recompute from h (only for the samples that need it) than to store
    /// during the forward pass. Transcendental activations share work between σ and σ' instead.
    public var slopesAreCheap: Bool {
        switch self {
        case .relu, .leakyReLU, .quadratic, .absolute, .linear: true
        default: false
        }
    }

    /// σ and/or σ' of `count` pre-activations. The switch is outside the loops, so that each loop is
    /// specialised to one activation's `point` function (and vectorises where it can).
    func evaluate(
        _ h: UnsafePointer<Double>, count: Int, values: UnsafeMutablePointer<Double>?,
        slopes: UnsafeMutablePointer<Double>?
    ) {
        switch self {
        case .relu: Self.map(h, count, values, slopes) { x in x > 0 ? (x, 1) : (0, 0) }
        case let .leakyReLU(slope): Self.map(h, count, values, slopes) { x in x > 0 ? (x, 1) : (slope * x, slope) }
        case let .elu(alpha): Self.map(h, count, values, slopes) { x in Self.eluPoint(x, alpha: alpha) }
        case .gelu: Self.map(h, count, values, slopes, Self.geluPoint)
        case .silu: Self.map(h, count, values, slopes, Self.siluPoint)
        case let .softplus(beta): Self.map(h, count, values, slopes) { x in Self.softplusPoint(x, beta: beta) }
        case .tanh: Self.map(h, count, values, slopes, Self.tanhPoint)
        case .sigmoid: Self.map(h, count, values, slopes, Self.sigmoidPoint)
        case .quadratic: Self.map(h, count, values, slopes) { x in (x * x, 2 * x) }
        case .absolute: Self.map(h, count, values, slopes) { x in (abs(x), x > 0 ? 1 : x < 0 ? -1 : 0) }
        case .linear: Self.map(h, count, values, slopes) { x in (x, 1) }
        case .mish: Self.map(h, count, values, slopes, Self.mishPoint)
        }
    }

    // MARK: - The one definition of each transcendental activation: σ(x) and σ'(x) together

    @inline(__always)
    static func eluPoint(_ x: Double, alpha: Double) -> (value: Double, slope: Double) {
        guard x <= 0 else { return (x, 1) }
        let e = expm1(x)
        return (alpha * e, alpha * (e + 1))
    }

    @inline(__always)
    static func geluPoint(_ x: Double) -> (value: Double, slope: Double) {
        let cdf = 0.5 * (1 + erf(x * 0.5.squareRoot()))
        return (x * cdf, cdf + x * (1 / (2 * Double.pi).squareRoot()) * exp(-0.5 * x * x))
    }

    /// softplus with PyTorch's threshold (linear above 20), s = tanh(softplus(x)):
    /// σ = x·s, σ' = s + x·(1 − s²)·sigmoid(x).
    @inline(__always)
    static func mishPoint(_ x: Double) -> (value: Double, slope: Double) {
        let s = Foundation.tanh(x > 20 ? x : log1p(exp(x)))
        return (x * s, s + x * (1 - s * s) * logistic(x))
    }

    @inline(__always)
    static func siluPoint(_ x: Double) -> (value: Double, slope: Double) {
        let s = logistic(x)
        return (x * s, s * (1 + x * (1 - s)))
    }

    /// Linear above βx > 20, as PyTorch.
    @inline(__always)
    static func softplusPoint(_ x: Double, beta: Double) -> (value: Double, slope: Double) {
        let z = beta * x
        guard z <= 20 else { return (x, 1) }
        let e = exp(z)
        return (log1p(e) / beta, e / (1 + e))
    }

    @inline(__always)
    static func tanhPoint(_ x: Double) -> (value: Double, slope: Double) {
        let t = Foundation.tanh(x)
        return (t, 1 - t * t)
    }

    @inline(__always)
    static func sigmoidPoint(_ x: Double) -> (value: Double, slope: Double) {
        let s = logistic(x)
        return (s, s * (1 - s))
    }
}
