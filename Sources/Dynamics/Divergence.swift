/// Divergence, detected at the step where it happens. Every training loop already computes each
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

    /// One training loop's batch losses, step by step: the first sets the bound, each later one is
    /// checked against it. What the SGD run and every transfer stage's trainer share.
    struct Watch {
        private var bound: Double?
        /// The last loss that passed.
        private(set) var lastFiniteLoss = Double.nan

        /// Records a step's batch loss; false when it means the run diverged.
        mutating func accepts(_ loss: Double) -> Bool {
            let bound = self.bound ?? Divergence.bound(initialLoss: loss)
            self.bound = bound
            guard !Divergence.exploded(loss, bound: bound) else { return false }
            lastFiniteLoss = loss
            return true
        }
    }

    /// Where a loop stopped, what a stage's trainer throws: the number of updates after which the
    /// loss exploded, and the last loss that passed.
    struct Stop: Error, Equatable {
        var step: Int
        var lastFiniteLoss: Double
    }
}
