import Foundation
import GSL

/// Names of the probes every run records, as they appear in CSV columns and reports.
public enum Metric {
    public static let trainLoss = "train_loss"
    public static let trainAccuracy = "train_accuracy"
    public static let idLoss = "id_loss"
    public static let idAccuracy = "id_accuracy"
    public static func oodLoss(_ shift: String) -> String { "ood_loss_\(shift)" }
    public static func oodAccuracy(_ shift: String) -> String { "ood_accuracy_\(shift)" }
    /// The accuracy probe of a standard evaluation set: `id_accuracy`, or `ood_accuracy_<shift>`.
    public static func accuracy(on set: EvaluationSet) -> String { set == .id ? idAccuracy : oodAccuracy(set.name) }
    // The probes of the weights; what each means is declared with it in `ProbeMetric.all`.
    public static let coreProjection = "core_projection"
    public static let backgroundProjection = "background_projection"
    public static let backgroundProjectionSigned = "background_projection_signed"
    public static let coreProjectionAligned = "core_projection_aligned"
    public static let orthogonalNorm = "orthogonal_norm"
    public static let coreGrowth = "core_growth"
    public static let backgroundGrowth = "background_growth"
    public static let asymmetryMean = "asymmetry_mean"
    public static let asymmetricFraction = "asymmetric_fraction"
    public static let deadFraction = "dead_fraction"
    public static let slopeAsymmetry = "slope_asymmetry"
    public static func classCoreProjection(_ c: Int) -> String { "core_projection_class\(c)" }

    /// Every probe a run on this data records: one pair per shift and, for K classes, one core projection
    /// per class; in CSV order.
    public static func names(for data: DataConfiguration) -> [String] {
        [trainLoss, trainAccuracy, idLoss, idAccuracy]
            + data.shifts.flatMap { [oodLoss($0.name), oodAccuracy($0.name)] }
            + ProbeMetric.all(for: data).map(\.name)
    }

    /// The metrics a run of the configuration records: its stages' (`TransferMetric`) for a transfer
    /// protocol, else the probes of its data.
    public static func names(for configuration: RunConfiguration) -> [String] {
        configuration.transfer.map(TransferRun.metricNames) ?? names(for: configuration.data)
    }
}

/// Per-neuron values at the end of a run (for figures: the paper's picture of contamination).
public struct NeuronTable: Sendable, Equatable {
    /// The columns for binary or multi-class data. With K classes a neuron is described through its
    /// favourite class (highest activation rate on the training set).
    public static func columns(for configuration: RunConfiguration) -> [String] {
        configuration.transfer == nil ? columns(multiclass: configuration.data.isMulticlass) : []
    }

    public static func columns(multiclass: Bool) -> [String] {
        multiclass
            ? [
                "favourite_class", "output_weight_favourite", "core_projection", "background_projection",
                "core_projection_favourite", "background_projection_mean", "orthogonal_norm",
                "activation_rate_favourite", "activation_rate_rest",
            ]
            : [
                "output_weight", "core_projection", "background_projection", "core_projection_mean",
                "background_projection_mean", "orthogonal_norm", "activation_rate_positive", "activation_rate_negative",
            ]
    }

    public var columns: [String]
    /// One row per neuron, aligned with `columns`.
    public var rows: [[Double]]

    public init(columns: [String], rows: [[Double]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// One bin of a run's final reliability diagram on one evaluation set: top-label confidence in 15
/// equal-width bins (the ECE's bins), with the bin's sample count, mean confidence and accuracy.
public struct ReliabilityRow: Sendable, Equatable {
    public var set: String
    public var bin: Int
    public var count: Int
    public var confidence: Double
    public var accuracy: Double

    public init(set: String, bin: Int, count: Int, confidence: Double, accuracy: Double) {
        self.set = set
        self.bin = bin
        self.count = count
        self.confidence = confidence
        self.accuracy = accuracy
    }
}

/// Whether a run finished.
public enum RunStatus: Sendable, Equatable {
    case completed
    /// The loss became NaN, infinite or exploded (`Divergence`) at this step; metrics stop at the
    /// probe before it. `lastFiniteLoss` is the last step's batch loss that was still in bounds (NaN
    /// when there was none, or when divergence showed only at a probe).
    case diverged(step: Int, lastFiniteLoss: Double)

    public var label: String {
        switch self {
        case .completed: "completed"
        case let .diverged(step, loss):
            "diverged at step \(step)" + (loss.isFinite ? " (last finite loss \(formatLoss(loss)))" : "")
        }
    }

    /// Whether the run diverged.
    public var diverged: Bool { self != .completed }

    public static func == (a: RunStatus, b: RunStatus) -> Bool {
        switch (a, b) {
        case (.completed, .completed): true
        case let (.diverged(s, l), .diverged(t, m)): s == t && (l == m || (l.isNaN && m.isNaN))
        default: false
        }
    }
}

/// A loss in three significant figures ("3.21e+04", "0.512").
private func formatLoss(_ loss: Double) -> String { String(format: "%.3g", loss) }

/// The result of one run: probe values over training, per-neuron finals, status.
public struct RunResult: Sendable, Equatable {
    /// Metric names, aligned with each row of `values`.
    public var metricNames: [String]
    /// The probed steps.
    public var steps: [Int]
    /// values[p][j]: metric j at steps[p].
    public var values: [[Double]]
    public var neurons: NeuronTable
    public var status: RunStatus
    /// The representation the run trained in.
    public var representation: Representation
    /// Final-only metrics the final analyses computed from the network's outputs (name, value), in order.
    public var finalExtras: [(name: String, value: Double)] = []
    /// The final reliability diagrams (non-empty bins), computed by the final analyses.
    public var reliability: [ReliabilityRow] = []

    public init(
        metricNames: [String], steps: [Int], values: [[Double]], neurons: NeuronTable,
        status: RunStatus, representation: Representation
    ) {
        self.metricNames = metricNames
        self.steps = steps
        self.values = values
        self.neurons = neurons
        self.status = status
        self.representation = representation
    }

    public static func == (lhs: RunResult, rhs: RunResult) -> Bool {
        lhs.metricNames == rhs.metricNames && lhs.steps == rhs.steps && lhs.values == rhs.values
            && lhs.neurons == rhs.neurons && lhs.status == rhs.status && lhs.representation == rhs.representation
            && lhs.finalExtras.map(\.name) == rhs.finalExtras.map(\.name) && lhs.finalExtras.map(\.value) == rhs.finalExtras.map(\.value)
            && lhs.reliability == rhs.reliability
    }

    /// The last probe's values by name, with the final-only extras.
    public var final: [String: Double] {
        guard let last = values.last else { return [:] }
        var result = Dictionary(uniqueKeysWithValues: zip(metricNames, last))
        for extra in finalExtras { result[extra.name] = extra.value }
        return result
    }

    /// One metric's series over the probed steps.
    public func series(_ name: String) -> [Double] {
        guard let j = metricNames.firstIndex(of: name) else { return [] }
        return values.map { $0[j] }
    }
}
