import Foundation

/// The training loss, averaged over samples: a binary loss ℓ(f, y) of one output and y ∈ {−1, +1}, or
/// softmax cross-entropy of K logits and a class index.
public enum Loss: String, Sendable, Equatable, CaseIterable {
    /// max(0, 1 − y f): the paper's theory setting.
    case hinge
    /// log(1 + e^(−y f)).
    case logistic
    /// (f − y)², PyTorch's MSELoss against ±1.
    case squared
    /// −log softmax(z)_y for K logits (multi-class data). On one output it is the logistic loss,
    /// which is the two-class softmax cross-entropy of the logits (0, f).
    case crossEntropy = "cross_entropy"

    /// Whether the loss takes K logits and a class index.
    public var isMulticlass: Bool { self == .crossEntropy }

    /// ℓ(f, y).
    @inlinable
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func value<S: EngineScalar>(_ f: S, _ y: S) -> S {
        switch self {
        case .hinge: return max(0, 1 - y * f)
        case .logistic, .crossEntropy:
            let z = -y * f  // log(1 + e^z), stable for both signs
            return z > 0 ? z + S.log1p(S.exp(-z)) : S.log1p(S.exp(z))
        case .squared: return (f - y) * (f - y)
        }
    }

    /// ∂ℓ/∂f. Hinge uses the subgradient 0 at the kink y f = 1, as PyTorch's autograd does.
    @inlinable
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func derivative<S: EngineScalar>(_ f: S, _ y: S) -> S {
        switch self {
        case .hinge: return y * f < 1 ? -y : 0
        case .logistic, .crossEntropy:
            let z = y * f  // −y·σ(−y f)
            return z >= 0 ? -y * S.exp(-z) / (1 + S.exp(-z)) : -y / (1 + S.exp(z))
        case .squared: return 2 * (f - y)
        }
    }

    /// Softmax cross-entropy of one row of K logits with class `label`; writes `scale`·∂ℓ/∂z
    /// (= scale·(softmax(z) − e_y)) into `gradient` when given, and returns ℓ. Stable for any finite z.
    @inlinable
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public static func crossEntropy<S: EngineScalar>(
        _ z: UnsafePointer<S>, classes k: Int, label: Int,
        gradient: UnsafeMutablePointer<S>?, scale: S
    ) -> S {
        var largest = z[0]
        for j in 1..<k where z[j] > largest { largest = z[j] }
        var sum: S = 0
        for j in 0..<k { sum += S.exp(z[j] - largest) }
        let logNormalizer = largest + S.log(sum)
        if let gradient {
            for j in 0..<k { gradient[j] = scale * S.exp(z[j] - logNormalizer) }
            gradient[label] -= scale
        }
        return logNormalizer - z[label]
    }
}
