import Schema

/// A residual adapter on the first layer (R-Adapter, Kim et al., ECCV 2024), in the two-layer network:
/// the pre-activations z = W₀x + b₀ become z + g·M z, with M zero-initialised (full rank, or B·Aᵣ of
/// rank r with B = 0), g a per-sample drop gate (0 with probability p, else 1/(1 − p)), and the head
/// trained as a delta A₀ + ΔA. The evaluated network is re-parametrised into plain weights:
/// W = (I + α·M̄)W₀, b = (I + α·M̄)b₀, A = A₀ + α·ΔĀ, with M̄ and ΔĀ the (bias-corrected) exponential
/// moving averages of the iterates when `ema` is given, else the last iterates; α is the weight-space
/// rescaling.
public struct AdapterConfiguration: Sendable, Equatable {
    /// nil: a full m × m matrix; r: M = B·Aᵣ with B (m × r) zero and Aᵣ (r × m) ~ N(0, 1/m).
    public var rank: Int?
    /// p, the probability that a sample's adapter is dropped in a training step.
    public var drop: Double
    /// The EMA momentum μ of the adapter and head delta, or nil for none.
    public var ema: Double?
    /// α, the rescaling of the adapter and head delta in the evaluated network.
    public var scale: Double
}

extension AdapterConfiguration {
    static let rank = Field(
        "rank", Codec.integer(1...100_000), fallback: .absent,
        "The adapter's rank r: M = B·Aᵣ with B zero-initialised; absent, M is a full m × m matrix (zero-initialised).")
    static let drop = Field(
        "drop", Codec.number(.fraction), default: 0.0,
        "p: each training sample's adapter is dropped with probability p, and scaled by 1/(1 − p) otherwise (adapter dropping).")
    static let ema = Field(
        "ema", Codec.number(.fraction), fallback: .absent,
        "μ: evaluate the exponential moving average of the adapter and head delta (bias-corrected by 1 − μ^t); absent: the last iterate.")
    static let scale = Field(
        "scale", Codec.number(.probability), default: 1.0,
        "α: the evaluated network is W = (I + α·M)W₀, A = A₀ + α·ΔA (weight-space rescaling; 1: the adapter as trained).")

    static let codec = Codec<AdapterConfiguration>.object(
        [rank, drop, ema, scale],
        decode: { read throws(ScenarioError) in
            AdapterConfiguration(rank: try read.optional(rank), drop: try read(drop), ema: try read.optional(ema), scale: try read(scale))
        },
        encode: { adapter in rank.member(adapter.rank) + [drop.member(adapter.drop)] + ema.member(adapter.ema) + [scale.member(adapter.scale)] })
}
