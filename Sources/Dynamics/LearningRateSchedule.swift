import Foundation
import Schema

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

extension LearningRateSchedule {
    private static let warmupField = Field(
        "warmup", Codec.integer(0...Int.max), default: 0,
        "Steps of linear warm-up (multiplier (s+1)/warmup for s < warmup); at most training.steps.")
    private static let stepSize = Field.required("step_size", Codec.integer(1...Int.max), "Steps between multiplications by gamma.")
    private static let gamma = Field("gamma", Codec.number(.interval(above: 0, atMost: 1)), default: 0.1, "Factor applied every step_size steps.")
    private static let minimum = Field("min_lr", Codec.number(.nonNegative), default: 0.0, "Learning rate reached at the last step.")

    /// `{"name": "constant" | "step" | "cosine", ..., "warmup": W}`.
    public static let codec = Codec<LearningRateSchedule>.tagged(
        "name", noun: "schedule", default: "constant",
        [
            Variant(
                "constant", "The base learning rate throughout.", fields: [warmupField],
                decode: { read throws(ScenarioError) in LearningRateSchedule(shape: .constant, warmup: try read(warmupField)) },
                encode: { $0.shape == .constant ? [warmupField.member($0.warmup)] : nil }),
            Variant(
                "step", "PyTorch's StepLR.", fields: [stepSize, gamma, warmupField],
                decode: { read throws(ScenarioError) in
                    LearningRateSchedule(shape: .step(stepSize: try read(stepSize), gamma: try read(gamma)), warmup: try read(warmupField))
                },
                encode: { schedule in
                    guard case let .step(size, factor) = schedule.shape else { return nil }
                    return [stepSize.member(size), gamma.member(factor), warmupField.member(schedule.warmup)]
                }),
            Variant(
                "cosine", "PyTorch's CosineAnnealingLR over the run's steps.", fields: [minimum, warmupField],
                decode: { read throws(ScenarioError) in
                    LearningRateSchedule(shape: .cosine(minimum: try read(minimum)), warmup: try read(warmupField))
                },
                encode: { schedule in
                    guard case let .cosine(rate) = schedule.shape else { return nil }
                    return [minimum.member(rate), warmupField.member(schedule.warmup)]
                }),
        ])
}

extension LearningRateSchedule {
    /// The rule across a schedule and the steps it runs for: the warm-up fits in them.
    func checkWarmup(steps: Int, stepsField: String, at path: String) throws(ScenarioError) {
        guard warmup > steps else { return }
        throw ScenarioError(.invalid, path: path + ".schedule.warmup", "\(warmup) is out of range; allowed: 0…\(steps) (\(stepsField))")
    }
}
