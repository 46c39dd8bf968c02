import Foundation

/// A binary loss ℓ(f, y) with y ∈ {−1, +1}; the training objective is its mean.
public enum Loss: String, Sendable, Equatable, CaseIterable {
    /// max(0, 1 − y f): the paper's theory setting.
    case hinge
    /// log(1 + e^(−y f)).
    case logistic
    /// (f − y)², PyTorch's MSELoss against ±1.
    case squared

    /// ℓ(f, y).
    @inlinable
    public func value(_ f: Double, _ y: Double) -> Double {
        switch self {
        case .hinge: return max(0, 1 - y * f)
        case .logistic:
            let z = -y * f   // log(1 + e^z), stable for both signs
            return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
        case .squared: return (f - y) * (f - y)
        }
    }

    /// ∂ℓ/∂f. Hinge uses the subgradient 0 at the kink y f = 1, as PyTorch's autograd does.
    @inlinable
    public func derivative(_ f: Double, _ y: Double) -> Double {
        switch self {
        case .hinge: return y * f < 1 ? -y : 0
        case .logistic:
            let z = y * f    // −y·σ(−y f)
            return z >= 0 ? -y * exp(-z) / (1 + exp(-z)) : -y / (1 + exp(z))
        case .squared: return 2 * (f - y)
        }
    }
}
