import Dynamics

/// A metric of a run's final analyses, typed. `name` is the one place its CSV name is rendered; the
/// analyses list the metrics they produce as values of this type (`CalibrationProbe.metrics`,
/// `PriorStudyProbe.metrics`) and fill them in by key, so the list and the values cannot drift apart.
public enum FinalMetric: Hashable, Sendable {
    /// A calibration quantity on an evaluation set: `ece_id`, `prior_drift_flip`.
    case calibration(CalibrationQuantity, set: EvaluationSet)
    /// The ID balanced or tail accuracy of the model as it is or debiased with the true prior:
    /// `balanced_accuracy_plain`, `tail_accuracy_oracle`.
    case reference(AccuracyKind, ReferenceModel)
    /// GLA's confidence-matched temperature from n labelled samples per class: `gla_temperature_20`.
    case glaTemperature(labelledPerClass: Int)
    /// A prior estimator's quality from n labelled samples per class: `prior_l1_gla_20`.
    case estimator(EstimatorQuantity, PriorEstimator, labelledPerClass: Int)
    /// The balanced accuracy of an ensemble variant on an evaluation set: `ensemble_gla_id`.
    case ensemble(EnsembleVariant, set: EvaluationSet)

    public var name: String {
        switch self {
        case let .calibration(quantity, set): "\(quantity.rawValue)_\(set.name)"
        case let .reference(kind, model): "\(kind.rawValue)_\(model.rawValue)"
        case let .glaTemperature(n): "gla_temperature_\(n)"
        case let .estimator(quantity, estimator, n): "\(quantity.rawValue)_\(estimator.rawValue)_\(n)"
        case let .ensemble(variant, set): "ensemble_\(variant.rawValue)_\(set.name)"
        }
    }
}

/// What the calibration probe measures on each set (see `CalibrationProbe`).
public enum CalibrationQuantity: String, Sendable, CaseIterable {
    case ece, nll, brier, temperature
    /// Binary data: the +1 share of the prior the outputs carry on the balanced set.
    case absorbedPrior = "absorbed_prior"
    /// K classes: the L1 distance of that prior to the training prior.
    case absorbedPriorL1 = "absorbed_prior_l1"
    /// A shift's change of the absorbed prior from the ID set's.
    case priorDrift = "prior_drift"
}

/// Balanced accuracy over classes, or accuracy on the rarest third of them.
public enum AccuracyKind: String, Sendable, CaseIterable {
    case balanced = "balanced_accuracy", tail = "tail_accuracy"
}

/// The model as trained, or debiased with the true training prior.
public enum ReferenceModel: String, Sendable, CaseIterable {
    case plain, oracle
}

/// What a prior study reports per estimator and labelled-set size.
public enum EstimatorQuantity: String, Sendable, CaseIterable {
    case priorL1 = "prior_l1", priorKL = "prior_kl"
    case balancedAccuracy = "balanced_accuracy", tailAccuracy = "tail_accuracy"
    /// The share of the oracle's balanced-accuracy gain that debiasing with the estimate recovers.
    case gainRecovery = "gain_recovery"
}
