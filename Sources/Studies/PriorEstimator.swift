/// The estimators of a model's training prior that a prior study compares (see `PriorStudyProbe`).
public enum PriorEstimator: String, Sendable, CaseIterable {
    case gla, em, mlls, bbse

    /// "GLA", "EM", ...
    public var shortName: String { rawValue.uppercased() }

    /// What the estimator does, for tables.
    public var summary: String {
        switch self {
        case .gla: "GLA (confidence-matched T, bias fit)"
        case .em: "EM, backwards (label-free)"
        case .mlls: "MLLS (BCTS + EM on unlabelled)"
        case .bbse: "BBSE (confusion matrix)"
        }
    }
}

/// The combinations of a model A (trained on the study's prior) and its partner B compared in a prior
/// study's ensemble table.
public enum EnsembleVariant: String, Sendable, CaseIterable {
    case a, aDebiased = "a_debiased", b, average, gla, oracle

    public var summary: String {
        switch self {
        case .a: "model A alone (long-tailed)"
        case .aDebiased: "A debiased (GLA)"
        case .b: "partner B alone"
        case .average: "plain average (f_A + f_B)/2"
        case .gla: "GLA ensemble"
        case .oracle: "ensemble with the true priors"
        }
    }
}
