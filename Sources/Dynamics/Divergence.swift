/// Divergence, detected at the step where it happens. The training loop already computes each
/// step's batch loss; a loss that is not finite, or that exceeds `explosionFactor · max(L₀, 1)`
/// (L₀: the first step's batch loss), stops the run as diverged, so an exploding run costs no more
/// steps and no analysis of overflowed numbers.
public enum Divergence {
    /// How many times the initial loss (at least 1) a loss may grow before the run counts as diverged.
    public static let explosionFactor = 1e6

    /// The largest loss a run whose first step's loss is `initialLoss` may reach.
    static func bound(initialLoss: Double) -> Double {
        initialLoss.isFinite ? explosionFactor * Swift.max(initialLoss, 1) : 0
    }

    /// Whether `loss` means the run diverged (NaN included).
    static func exploded(_ loss: Double, bound: Double) -> Bool { !(loss.isFinite && loss <= bound) }
}
