import Calibration
import Dynamics

/// Calibration of every stage of a transfer protocol, by the same module as the contamination runs:
/// the expected calibration error (15 equal-width bins, top-label) and the negative log-likelihood of
/// each stage's final outputs on its own task's test set (`<stage>_ece`, `<stage>_nll`) and on each
/// further task's (`<stage>_ece_<task>`, `<stage>_nll_<task>`). A distillation stage, whose head never
/// trained, has none.
public enum TransferCalibration {
    public enum Quantity: String, Sendable, CaseIterable {
        case ece, nll
    }

    /// A stage's quantity on a task's test set, as the quantity part of its metric name.
    public static func quantity(_ quantity: Quantity, on task: String?) -> String {
        task.map { "\(quantity.rawValue)_\($0)" } ?? quantity.rawValue
    }

    /// Every metric name a protocol's calibration produces, in order.
    public static func metricNames(_ transfer: TransferConfiguration) -> [String] {
        transfer.stages.filter { $0.distillFrom == nil }.flatMap { stage in
            ([nil] + stage.alsoOn).flatMap { task in
                Quantity.allCases.map { TransferMetric.name(stage: stage.name, quantity: quantity($0, on: task)) }
            }
        }
    }

    /// Every quantity part (for the stages figure): ece, nll, then per further task.
    public static func quantities(_ transfer: TransferConfiguration) -> [String] {
        return ([nil] + transfer.furtherTasks).flatMap { task in Quantity.allCases.map { quantity($0, on: task) } }
    }

    /// The metrics of `outputs`, in the order of `metricNames`; NaN where a measure is undefined.
    public static func measure(_ outputs: [TransferRun.StageOutputs]) -> [(name: String, value: Double)] {
        outputs.flatMap { output in
            Quantity.allCases.map { which -> (name: String, value: Double) in
                let value: Double
                switch which {
                case .ece: value = (try? Metrics.expectedCalibrationError(output.logits, labels: output.labels)) ?? .nan
                case .nll: value = (try? Metrics.negativeLogLikelihood(output.logits, labels: output.labels)) ?? .nan
                }
                return (TransferMetric.name(stage: output.stage, quantity: quantity(which, on: output.isOwnTask ? nil : output.task)), value)
            }
        }
    }
}
