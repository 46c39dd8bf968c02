/// One neuron at a probe step, with the summaries every probe metric reads computed once: its
/// projections on the dictionary (core features first), their norms and means, the part of its weight
/// outside the dictionary, and its class activation rates on the training set.
public struct NeuronView {
    /// ⟨w_r, m_j⟩ for every dictionary feature j: the core features, then the background.
    public let projections: [Double]
    public let coreNorm: Double
    public let backgroundNorm: Double
    public let coreMean: Double
    public let backgroundMean: Double
    /// ‖w_r⊥‖: the norm of the part of w_r orthogonal to the dictionary.
    public let orthogonalNorm: Double
    /// The class it fires for most (h_r > 0 on the training set), its rate there, and its mean rate on
    /// the other classes.
    public let favourite: Int
    public let rate: Double
    public let rest: Double
    /// The class gap of the mean slope σ'(h_r) on the training set: its favourite class's (highest mean
    /// slope) minus the mean over the others (NaN without one). For ReLU, the activation-rate gap.
    public let slopeGap: Double
    /// Binary: sign(a_r)·coreMean; K classes: the mean projection on the favourite class's block
    /// minus that on the other core features.
    public let alignment: Double
    /// K classes: ‖projection on class c's core block‖ for every class.
    public let classNorms: [Double]

    /// The class activation-rate gap (NaN for a neuron without a favourite class).
    public var gap: Double { rate - rest }
}

/// A probe metric: its CSV name, what it means, and how it is computed from a probe — a mean over
/// neurons of a per-neuron quantity, or a ratio to its own value at step 0. Adding one: declare it
/// (in its own file if you like) and list it in `all`.
public struct ProbeMetric: Sendable {
    public enum Value: Sendable {
        /// The mean over neurons of this quantity.
        case neuronMean(@Sendable (NeuronView) -> Double)
        /// Another probe metric divided by its value at step 0.
        case growth(of: String)
    }

    public let name: String
    public let meaning: String
    public let value: Value

    public init(_ name: String, _ meaning: String, _ value: Value) {
        self.name = name
        self.meaning = meaning
        self.value = value
    }

    /// The probes of the network's weights, in CSV order (after the losses and accuracies).
    public static let all: [ProbeMetric] = [
        ProbeMetric(Metric.coreProjection, "Mean over neurons of ‖projection of w_r on the core directions‖₂.", .neuronMean { $0.coreNorm }),
        ProbeMetric(
            Metric.backgroundProjection, "Mean over neurons of ‖projection of w_r on the background directions‖₂.",
            .neuronMean { $0.backgroundNorm }),
        ProbeMetric(
            Metric.backgroundProjectionSigned, "Mean over neurons and background features of ⟨w_r, m_j⟩ (Thm 4.2: positive for ReLU).",
            .neuronMean { $0.backgroundMean }),
        ProbeMetric(
            Metric.coreProjectionAligned, "Mean over neurons of the core projection aligned with the neuron's class.",
            .neuronMean { $0.alignment }),
        ProbeMetric(
            Metric.orthogonalNorm, "Mean over neurons of the norm of w_r's part orthogonal to the dictionary.",
            .neuronMean { $0.orthogonalNorm }),
        ProbeMetric(Metric.coreGrowth, "core_projection over its value at step 0.", .growth(of: Metric.coreProjection)),
        ProbeMetric(Metric.backgroundGrowth, "background_projection over its value at step 0.", .growth(of: Metric.backgroundProjection)),
        ProbeMetric(
            Metric.asymmetryMean, "Mean over neurons of the class activation-rate gap on the training set.",
            .neuronMean { $0.gap.isFinite ? $0.gap : 0 }),
        ProbeMetric(
            Metric.asymmetricFraction, "Fraction of neurons whose class activation-rate gap is ≥ 0.5.",
            .neuronMean { $0.gap.isFinite && $0.gap >= 0.5 ? 1 : 0 }),
        ProbeMetric(Metric.deadFraction, "Fraction of neurons with h_r ≤ 0 on every training sample.", .neuronMean { $0.rate > 0 ? 0 : 1 }),
        ProbeMetric(
            Metric.slopeAsymmetry,
            "Mean over neurons of the class gap of the mean slope σ'(h_r) on the training set, which gates each class's background gradient (for ReLU, asymmetry_mean).",
            .neuronMean { $0.slopeGap.isFinite ? $0.slopeGap : 0 }),
    ]

    /// K classes: the mean over neurons of ‖projection on class c's core block‖, one per class.
    public static func classCoreProjection(_ c: Int) -> ProbeMetric {
        ProbeMetric(
            Metric.classCoreProjection(c), "Mean over neurons of ‖projection of w_r on class \(c)'s core block‖₂.",
            .neuronMean { c < $0.classNorms.count ? $0.classNorms[c] : .nan })
    }

    /// Every probe of the weights a run on this data records, in CSV order.
    public static func all(for data: DataConfiguration) -> [ProbeMetric] {
        all + (0..<(data.isMulticlass ? data.classes : 0)).map(classCoreProjection)
    }
}
