import Foundation

/// How the learning rate changes over training, as a multiplier of the optimiser's base rate at step
/// s = 0, 1, ... (the s-th update), with an optional linear warm-up over the first `warmup` steps.
/// The formulas are PyTorch's StepLR, CosineAnnealingLR (T_max = the run's steps) and LinearLR warm-up.
public struct LearningRateSchedule: Sendable, Equatable, Hashable {
    public enum Shape: Sendable, Equatable, Hashable {
        case constant
        /// × gamma every `stepSize` steps.
        case step(stepSize: Int, gamma: Double)
        /// Cosine from the base rate down to `minimum` (an absolute rate) at the last step.
        case cosine(minimum: Double)
    }

    public var shape: Shape
    /// Steps of linear warm-up: the multiplier is (s + 1)/warmup for s < warmup.
    public var warmup: Int

    public init(shape: Shape, warmup: Int = 0) {
        self.shape = shape
        self.warmup = warmup
    }

    public static let constant = LearningRateSchedule(shape: .constant)

    /// The learning rate of update `s` (0-based) of a run with `steps` updates and base rate `base`.
    public func rate(step s: Int, steps: Int, base: Double) -> Double {
        var rate: Double
        switch shape {
        case .constant:
            rate = base
        case let .step(stepSize, gamma):
            rate = base * pow(gamma, Double(s / max(stepSize, 1)))
        case let .cosine(minimum):
            rate = minimum + (base - minimum) * (1 + cos(Double.pi * Double(s) / Double(max(steps, 1)))) / 2
        }
        if s < warmup { rate *= Double(s + 1) / Double(warmup) }
        return rate
    }
}
