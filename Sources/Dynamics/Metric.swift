/// Names of the probes every run records, as they appear in CSV columns and reports.
public enum Metric {
    public static let trainLoss = "train_loss"
    public static let trainAccuracy = "train_accuracy"
    public static let idLoss = "id_loss"
    public static let idAccuracy = "id_accuracy"
    public static func oodLoss(_ shift: String) -> String { "ood_loss_\(shift)" }
    public static func oodAccuracy(_ shift: String) -> String { "ood_accuracy_\(shift)" }
    /// Mean over neurons of ‖projection of w_r on the core directions‖₂.
    public static let coreProjection = "core_projection"
    /// Mean over neurons of ‖projection of w_r on the background directions‖₂ (the paper's "Avg. BG. Feature Corr.").
    public static let backgroundProjection = "background_projection"
    /// Mean over neurons and background features of ⟨w_r, m_j⟩: grows positive for ReLU (Thm 4.2).
    public static let backgroundProjectionSigned = "background_projection_signed"
    /// Mean over neurons of sign(a_r)·mean_j∈core ⟨w_r, m_j⟩: positive when neurons align with their class.
    public static let coreProjectionAligned = "core_projection_aligned"
    /// Mean over neurons of the norm of the part of w_r orthogonal to the dictionary.
    public static let orthogonalNorm = "orthogonal_norm"
    /// core_projection / its value at step 0.
    public static let coreGrowth = "core_growth"
    /// background_projection / its value at step 0.
    public static let backgroundGrowth = "background_growth"
    /// Mean over neurons of |P(h_r > 0 | y = +1) − P(h_r > 0 | y = −1)| on the training set.
    public static let asymmetryMean = "asymmetry_mean"
    /// Fraction of neurons whose class activation-rate gap is ≥ 0.5.
    public static let asymmetricFraction = "asymmetric_fraction"
    /// Fraction of neurons with h_r ≤ 0 on every training sample.
    public static let deadFraction = "dead_fraction"

    /// Every metric of a run with these shifts, in CSV order.
    public static func names(shifts: [String]) -> [String] {
        [trainLoss, trainAccuracy, idLoss, idAccuracy]
            + shifts.flatMap { [oodLoss($0), oodAccuracy($0)] }
            + [coreProjection, backgroundProjection, backgroundProjectionSigned, coreProjectionAligned,
               orthogonalNorm, coreGrowth, backgroundGrowth, asymmetryMean, asymmetricFraction, deadFraction]
    }
}

/// Per-neuron values at the end of a run (for figures: the paper's picture of contamination).
public struct NeuronTable: Sendable, Equatable {
    public static let columns = [
        "output_weight", "core_projection", "background_projection", "core_projection_mean",
        "background_projection_mean", "orthogonal_norm", "activation_rate_positive", "activation_rate_negative",
    ]
    /// One row per neuron, aligned with `columns`.
    public var rows: [[Double]]

    public init(rows: [[Double]]) {
        self.rows = rows
    }
}

/// Whether a run finished.
public enum RunStatus: Sendable, Equatable {
    case completed
    /// A loss or output became NaN or infinite at this step; metrics stop there.
    case diverged(step: Int)

    public var label: String {
        switch self {
        case .completed: "completed"
        case let .diverged(step): "diverged at step \(step)"
        }
    }
}

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
    /// The final network outputs f and labels on each evaluation set ("id" and every shift's name), for
    /// post-hoc analyses such as calibration. Not stored in the run cache.
    public var finalOutputs: [String: (outputs: [Double], labels: [Double])] = [:]
    /// Final-only metrics computed from `finalOutputs` by later analyses (name, value), in order.
    public var finalExtras: [(name: String, value: Double)] = []

    public init(metricNames: [String], steps: [Int], values: [[Double]], neurons: NeuronTable,
                status: RunStatus, representation: Representation) {
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
