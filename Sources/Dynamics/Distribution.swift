import GSL

/// A scalar distribution for feature coefficients.
public enum Distribution: Sendable, Equatable {
    /// Uniform on [low, high).
    case uniform(low: Double, high: Double)
    /// Normal with the given mean and standard deviation.
    case gaussian(mean: Double, standardDeviation: Double)
    /// ±scale with equal probability.
    case rademacher(scale: Double)
    /// `scale` with probability p, else 0 (sparse, non-negative features).
    case bernoulli(p: Double, scale: Double)
    /// Always `value`.
    case constant(Double)

    /// One draw.
    @inlinable
    public func draw(_ generator: inout RandomGenerator) -> Double {
        switch self {
        case let .uniform(low, high): generator.uniform(low, high)
        case let .gaussian(mean, sd): generator.gaussian(mean: mean, standardDeviation: sd)
        case let .rademacher(scale): scale * generator.rademacher()
        case let .bernoulli(p, scale): scale * generator.bernoulli(p)
        case let .constant(value): value
        }
    }

    /// A short human-readable form, e.g. `U[0, 1]`.
    public var label: String {
        switch self {
        case let .uniform(low, high): "U[\(low.compact), \(high.compact)]"
        case let .gaussian(mean, sd): "N(\(mean.compact), \(sd.compact)²)"
        case let .rademacher(scale): "±\(scale.compact)"
        case let .bernoulli(p, scale): "\(scale.compact)·Bernoulli(\(p.compact))"
        case let .constant(value): "\(value.compact)"
        }
    }
}

extension Double {
    /// Shortest round-trip text, without a trailing ".0" for integral values.
    public var compact: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return description
    }
}
