import GSL
import Schema

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

extension Distribution {
    private static let anyNumber = Codec<Double>.number(.any)

    /// `{"uniform": [low, high]}`, `{"gaussian": {"mean": μ, "std": σ}}`, `{"rademacher": scale}`,
    /// `{"bernoulli": {"p": p, "scale": s}}` or `{"constant": value}`. Adding a family: a case above,
    /// its draw and label, and its `KeyedCase` here.
    public static let codec = Codec<Distribution>.keyed(
        noun: "distribution", example: "{\"uniform\": [0, 1]}",
        [
            KeyedCase(
                "uniform", "Uniform on [low, high).",
                Codec.pair(anyNumber, anyNumber, names: "[low, high]")
                    .checked(at: "[1]") { $0.1 > $0.0 ? nil : "\($0.1.compact) is out of range; allowed: > low (\($0.0.compact))" },
                embed: { .uniform(low: $0.0, high: $0.1) },
                extract: { if case let .uniform(low, high) = $0 { (low, high) } else { nil } }),
            KeyedCase(
                "gaussian", "Normal N(mean, std²).", gaussian,
                embed: { .gaussian(mean: $0.0, standardDeviation: $0.1) },
                extract: { if case let .gaussian(mean, sd) = $0 { (mean, sd) } else { nil } }),
            KeyedCase(
                "rademacher", "±scale with equal probability.", Codec.number(.positive),
                embed: { .rademacher(scale: $0) }, extract: { if case let .rademacher(scale) = $0 { scale } else { nil } }),
            KeyedCase(
                "bernoulli", "scale with probability p, else 0 (sparse features).", bernoulli,
                embed: { .bernoulli(p: $0.0, scale: $0.1) },
                extract: { if case let .bernoulli(p, scale) = $0 { (p, scale) } else { nil } }),
            KeyedCase(
                "constant", "Always this value.", anyNumber,
                embed: { .constant($0) }, extract: { if case let .constant(value) = $0 { value } else { nil } }),
        ])

    private static let mean = Field("mean", anyNumber, default: 0.0, "Mean μ.")
    private static let std = Field("std", Codec.number(.positive), default: 1.0, "Standard deviation σ.")
    private static let gaussian = Codec<(Double, Double)>.object(
        [mean, std],
        decode: { read throws(ScenarioError) in
            (try read(mean), try read(std))
        }, encode: { [mean.member($0.0), std.member($0.1)] })

    private static let p = Field.required("p", Codec.number(.probability), "Probability of a non-zero coefficient.")
    private static let scale = Field("scale", Codec.number(.nonZero), default: 1.0, "The non-zero value.")
    private static let bernoulli = Codec<(Double, Double)>.object(
        [p, scale],
        decode: { read throws(ScenarioError) in
            (try read(p), try read(scale))
        }, encode: { [p.member($0.0), scale.member($0.1)] })
}
