import Calibration
import Dynamics
import GSL

/// Estimates the label prior a multi-class model absorbed from its training set, and what debiasing
/// with each estimate buys on the class-balanced ID test set, from the final outputs of a run with a
/// `prior_estimation` section. Estimators (`PriorEstimator`), each from the labelled balanced set of n
/// samples per class:
/// - `gla`: GLA — temperature matching confidence to accuracy, then the bias-only NLL fit; debiases z/T − log q.
/// - `em`: Saerens EM run backwards (label-free): the q whose debiased posteriors average to the
///   balanced set's uniform prior; debiases z − log q.
/// - `mlls`: MLLS with BCTS — calibrate on the labelled set, then EM on the unlabelled sample drawn with
///   the training prior; debiases z − log q.
/// - `bbse`: BBSE — the labelled set's confusion matrix inverted against the unlabelled sample's
///   predicted-class frequencies; debiases z − log q.
///
/// Metrics (`FinalMetric`; e the estimator, n the labelled samples per class): `prior_l1_e_n`, `prior_kl_e_n` (against
/// the true training prior), `balanced_accuracy_e_n`, `tail_accuracy_e_n` (the rarest third of the
/// classes) and `gain_recovery_e_n`, the share of the oracle's balanced-accuracy gain (debiasing with the
/// true prior) that the estimate recovers; `balanced_accuracy_plain|oracle`, `tail_accuracy_plain|oracle`,
/// `gla_temperature_n`. With a partner model B: `ensemble_<variant>_<set>`, balanced accuracies of
/// a (the model alone), a_debiased (GLA at the largest n), b, average (f_a + f_b)/2, gla
/// (f_a/T_a − log q_a + f_b/T_b − log π_b) and oracle (true priors, T = 1) on the ID and OOD sets.
public enum PriorStudyProbe {

    /// The metrics `measure` produces for a run of this configuration, in order.
    public static func metrics(_ configuration: RunConfiguration) -> [FinalMetric] {
        guard let study = configuration.priorStudy else { return [] }
        var metrics: [FinalMetric] = [
            .reference(.balanced, .plain), .reference(.tail, .plain),
            .reference(.balanced, .oracle), .reference(.tail, .oracle),
        ]
        for count in study.labelledPerClass {
            metrics.append(.glaTemperature(labelledPerClass: count))
            for estimator in PriorEstimator.allCases {
                metrics += EstimatorQuantity.allCases.map { .estimator($0, estimator, labelledPerClass: count) }
            }
        }
        if study.partner != nil {
            for set in EvaluationSet.standard(for: configuration.data) {
                metrics += EnsembleVariant.allCases.map { .ensemble($0, set: set) }
            }
        }
        return metrics
    }

    /// The values of `metrics(configuration)`, in its order (NaN for what could not be computed);
    /// empty without a `prior_estimation` section or ID outputs.
    public static func measure(_ outputs: SetOutputs, configuration: RunConfiguration) -> [(metric: FinalMetric, value: Double)] {
        let computed = compute(outputs, configuration: configuration)
        guard !computed.isEmpty else { return [] }
        return metrics(configuration).map { ($0, computed[$0] ?? .nan) }
    }

    /// Every value the study computes, by metric.
    static func compute(_ outputs: SetOutputs, configuration: RunConfiguration) -> [FinalMetric: Double] {
        guard let study = configuration.priorStudy, let id = outputs[.id] else { return [:] }
        let data = configuration.data
        let truth = data.prior.probabilities(classes: data.classes)
        let tail = Metrics.headMediumTail(prior: truth)[2]
        func accuracies(_ logits: Matrix?) -> (balanced: Double, tail: Double) {
            guard let logits else { return (.nan, .nan) }
            return (
                CalibrationProbe.value { try Metrics.balancedAccuracy(logits, labels: id.labels) },
                CalibrationProbe.value { try Metrics.groupAccuracy(logits, labels: id.labels, groups: [tail])[0] }
            )
        }
        let plain = accuracies(id.logits)
        let oracle = accuracies(try? adjustLogits(id.logits, prior: truth))
        var values: [FinalMetric: Double] = [
            .reference(.balanced, .plain): plain.balanced, .reference(.tail, .plain): plain.tail,
            .reference(.balanced, .oracle): oracle.balanced, .reference(.tail, .oracle): oracle.tail,
        ]
        let unlabelled = outputs[.unlabelled]
        var glaAtLargest: (prior: [Double], temperature: Double)?
        for count in study.labelledPerClass {
            guard let labelled = outputs[.labelled(perClass: count)] else { continue }
            let gla = try? PriorEstimation.gla(labelled.logits, labels: labelled.labels)
            if count == study.labelledPerClass.max() { glaAtLargest = gla }
            values[.glaTemperature(labelledPerClass: count)] = gla?.temperature ?? .nan
            for estimator in PriorEstimator.allCases {
                var estimate: (prior: [Double], temperature: Double)?
                switch estimator {
                case .gla: estimate = gla
                case .em: estimate = (try? PriorEstimation.absorbedPrior(labelled.logits)).map { ($0, 1) }
                case .mlls:
                    estimate = unlabelled.flatMap { u in
                        (try? PriorEstimation.mlls(sourceLogits: labelled.logits, sourceLabels: labelled.labels, targetLogits: u.logits)).map {
                            ($0, 1)
                        }
                    }
                case .bbse:
                    estimate = unlabelled.flatMap { u in
                        (try? PriorEstimation.bbse(sourceLogits: labelled.logits, sourceLabels: labelled.labels, targetLogits: u.logits)).map {
                            ($0, 1)
                        }
                    }
                }
                let errors = estimate.map { PriorEstimation.errors($0.prior, truth: truth) }
                let debiased = accuracies(estimate.flatMap { debias(id.logits, $0.prior, temperature: $0.temperature) })
                let gain = oracle.balanced - plain.balanced
                for quantity in EstimatorQuantity.allCases {
                    values[.estimator(quantity, estimator, labelledPerClass: count)] =
                        switch quantity {
                        case .priorL1: errors?.l1 ?? .nan
                        case .priorKL: errors?.kl ?? .nan
                        case .balancedAccuracy: debiased.balanced
                        case .tailAccuracy: debiased.tail
                        case .gainRecovery: gain > 0 ? (debiased.balanced - plain.balanced) / gain : .nan
                        }
                }
            }
        }
        if let partner = study.partner {
            values.merge(
                ensemble(
                    outputs, configuration: configuration, partnerPrior: partner.prior.probabilities(classes: data.classes),
                    estimateA: glaAtLargest, largest: study.labelledPerClass.max() ?? 0)
            ) { first, _ in first }
        }
        return values
    }

    /// z/T − log q, with q floored at 1e-12 as GLA's code does (BBSE can clip a class to 0).
    static func debias(_ logits: Matrix, _ prior: [Double], temperature: Double) -> Matrix? {
        try? adjustLogits(Scaling(temperature: temperature, bias: []).apply(logits), prior: prior.map { max($0, 1e-12) })
    }

    static func ensemble(
        _ outputs: SetOutputs, configuration: RunConfiguration, partnerPrior: [Double],
        estimateA: (prior: [Double], temperature: Double)?, largest: Int
    ) -> [FinalMetric: Double] {
        let data = configuration.data
        let truth = data.prior.probabilities(classes: data.classes)
        let partnerLabelled = outputs[.partner(of: .labelled(perClass: largest))]
        let temperatureB = partnerLabelled.flatMap { try? ScalingFit.confidenceMatchingTemperature($0.logits, labels: $0.labels) }
        var values: [FinalMetric: Double] = [:]
        for set in EvaluationSet.standard(for: data) {
            let a = outputs[set], b = outputs[.partner(of: set)]
            for variant in EnsembleVariant.allCases {
                var logits: Matrix?
                if let a, let b {
                    switch variant {
                    case .a: logits = a.logits
                    case .aDebiased: logits = estimateA.flatMap { debias(a.logits, $0.prior, temperature: $0.temperature) }
                    case .b: logits = b.logits
                    case .average: logits = sum(a.logits, b.logits, weight: 0.5)
                    case .gla:
                        if let estimateA, let temperatureB,
                            let adjustedA = debias(a.logits, estimateA.prior, temperature: estimateA.temperature),
                            let adjustedB = debias(b.logits, partnerPrior, temperature: temperatureB)
                        {
                            logits = sum(adjustedA, adjustedB, weight: 1)
                        }
                    case .oracle: logits = try? glaEnsemble(a.logits, prior: truth, b.logits, prior: partnerPrior)
                    }
                }
                let labels = a?.labels ?? []
                values[.ensemble(variant, set: set)] =
                    logits.map { l in CalibrationProbe.value { try Metrics.balancedAccuracy(l, labels: labels) } } ?? .nan
            }
        }
        return values
    }

    /// weight·(x + y).
    static func sum(_ x: Matrix, _ y: Matrix, weight: Double) -> Matrix? {
        guard x.rows == y.rows, x.columns == y.columns else { return nil }
        var out = x
        for i in 0..<(x.rows * x.columns) { out.storage[i] = weight * (x.storage[i] + y.storage[i]) }
        return out
    }
}
