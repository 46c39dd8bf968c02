import CVectorMath
import Foundation
import Schema

/// A hidden-unit non-linearity σ with its derivative σ'.
///
/// Everything about an activation lives in this file: to add one, add a case, its name (and parameter,
/// if any), and its value and derivative together (`evaluate`; a transcendental one's are a 4-lane kernel
/// in Sources/CVectorMath/activation_kernels.inc). Defaults equal PyTorch's.
public enum Activation: Sendable, Equatable, Hashable {
    /// max(0, h) — the paper's network.
    case relu
    /// h for h > 0, slope·h otherwise (PyTorch default slope 0.01; the authors' code uses 0.1).
    case leakyReLU(slope: Double)
    /// h for h > 0, α(eʰ − 1) otherwise (PyTorch default α = 1).
    case elu(alpha: Double)
    /// h·Φ(h), the exact erf form (PyTorch's default GELU), with libmvec's vectorised erf.
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

    /// The fraction of a batch's samples above which the training forward pass stores σ' for all of
    /// them; below it, σ' is recomputed for the samples that backpropagate only (the hinge lets go of
    /// the others as their margins pass 1). 1 (never store) where σ' is cheap from h; ½ for GELU, whose
    /// σ' adds an exp to σ's erf, so that recomputing it for the a active samples costs (erf + exp)·a
    /// against exp·n for storing it; 0 (always store) where σ' comes almost free with σ (tanh: 1 − t²). The bits are
    /// the same either way.
    public var slopeStorageThreshold: Double {
        switch self {
        case .relu, .leakyReLU, .quadratic, .absolute, .linear: 1
        case .gelu: 0.5
        case .elu, .silu, .softplus, .tanh, .sigmoid, .mish: 0
        }
    }

    /// Whether σ' is never stored in the forward pass (see `slopeStorageThreshold`).
    public var slopesAreCheap: Bool { slopeStorageThreshold >= 1 }

    /// σ and/or σ' of `count` pre-activations, in the engine's scalar. The switch is outside the loops,
    /// so that each loop is specialised to one activation. Piecewise-polynomial activations are one
    /// expression here; the transcendental ones are one 4-lane definition each in
    /// `Sources/CVectorMath/activation_kernels.inc` (libmvec's AVX2 exp, expm1, log1p and erf; Swift
    /// cannot compile a function for AVX2 alone), which `evaluateVectorKernel` calls in float64.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    func evaluate<S: EngineScalar>(
        _ h: UnsafePointer<S>, count: Int, values: UnsafeMutablePointer<S>?,
        slopes: UnsafeMutablePointer<S>?
    ) {
        switch self {
        case .relu: Self.map(h, count, values, slopes) { x in x > 0 ? (x, 1) : (0, 0) }
        case let .leakyReLU(slope):
            let a = S(slope)
            Self.map(h, count, values, slopes) { x in x > 0 ? (x, 1) : (a * x, a) }
        case .quadratic: Self.map(h, count, values, slopes) { x in (x * x, 2 * x) }
        case .absolute: Self.map(h, count, values, slopes) { x in (abs(x), x > 0 ? 1 : x < 0 ? -1 : 0) }
        case .linear: Self.map(h, count, values, slopes) { x in (x, 1) }
        case .elu, .gelu, .silu, .softplus, .tanh, .sigmoid, .mish:
            S.evaluateTranscendental(self, h, count: count, values: values, slopes: slopes)
        }
    }

    /// Applies `point` to each h_i, keeping the parts asked for.
    @inline(__always)
    static func map<S: EngineScalar>(
        _ h: UnsafePointer<S>, _ count: Int, _ values: UnsafeMutablePointer<S>?,
        _ slopes: UnsafeMutablePointer<S>?, _ point: (S) -> (value: S, slope: S)
    ) {
        switch (values, slopes) {
        case let (values?, slopes?):
            for i in 0..<count { (values[i], slopes[i]) = point(h[i]) }
        case let (values?, nil):
            for i in 0..<count { values[i] = point(h[i]).value }
        case let (nil, slopes?):
            for i in 0..<count { slopes[i] = point(h[i]).slope }
        case (nil, nil):
            break
        }
    }

    /// The transcendental activations' float64 kernels (a piecewise activation computes nothing here).
    func evaluateVectorKernel(
        _ h: UnsafePointer<Double>, count: Int, values: UnsafeMutablePointer<Double>?,
        slopes: UnsafeMutablePointer<Double>?
    ) {
        switch self {
        case .relu, .leakyReLU, .quadratic, .absolute, .linear: break
        case let .elu(alpha): vm_elu(h, values, slopes, count, alpha)
        case .gelu: vm_gelu(h, values, slopes, count)
        case .silu: vm_silu(h, values, slopes, count)
        case let .softplus(beta): vm_softplus(h, values, slopes, count, beta)
        case .tanh: vm_tanh(h, values, slopes, count)
        case .sigmoid: vm_sigmoid(h, values, slopes, count)
        case .mish: vm_mish(h, values, slopes, count)
        }
    }
}
