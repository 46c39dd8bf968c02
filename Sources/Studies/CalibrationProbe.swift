import Calibration
import Dynamics
import GSL

/// Calibration of a finished run, on the ID test set and every OOD set, from the same outputs the
/// dynamics probes use. A binary output f is read as the logits (0, f), so softmax gives
/// P(y = +1) = sigmoid(f). Metrics per set S: `ece_S` (15 equal-width bins, top-label), `nll_S`,
/// `brier_S`, `temperature_S` (temperature scaling fitted on S: the set's own optimal T), and the label
/// prior the outputs carry on the balanced set S by label-free prior matching — for binary data its +1
/// share `absorbed_prior_S`, for K classes its L1 distance to the training prior `absorbed_prior_l1_S` —
/// with, for shifts, its change from ID `prior_drift_S` (the +1 share's difference, or the L1 distance
/// between the two estimates). An estimate that is undefined on a set is NaN.
public enum CalibrationProbe {
    /// The quantities measured on one set: every set gets the same ones, shifts also their drift.
    static func quantities(on set: EvaluationSet, multiclass: Bool) -> [CalibrationQuantity] {
        [.ece, .nll, .brier, .temperature, multiclass ? .absorbedPriorL1 : .absorbedPrior] + (set == .id ? [] : [.priorDrift])
    }

    /// The metrics `measure` produces for a run of this configuration, in order.
    public static func metrics(_ configuration: RunConfiguration) -> [FinalMetric] {
        let data = configuration.data
        return EvaluationSet.standard(for: data).flatMap { set in
            quantities(on: set, multiclass: data.isMulticlass).map { FinalMetric.calibration($0, set: set) }
        }
    }

    /// The metrics, in a fixed order, for the standard sets present in `outputs`.
    public static func measure(_ outputs: SetOutputs, configuration: RunConfiguration) -> [(metric: FinalMetric, value: Double)] {
        let data = configuration.data
        let truth = data.prior.probabilities(classes: data.classes)
        var values: [(FinalMetric, Double)] = []
        var idPrior: [Double] = []
        for set in EvaluationSet.standard(for: data) {
            guard let (raw, labels) = outputs[set] else { continue }
            let logits = classLogits(raw)
            let prior = (try? PriorEstimation.absorbedPrior(logits)) ?? []
            if set == .id { idPrior = prior }
            for quantity in quantities(on: set, multiclass: data.isMulticlass) {
                let measured: Double =
                    switch quantity {
                    case .ece: value { try Metrics.expectedCalibrationError(logits, labels: labels) }
                    case .nll: value { try Metrics.negativeLogLikelihood(logits, labels: labels) }
                    case .brier: value { try Metrics.brier(logits, labels: labels) }
                    case .temperature: value { try ScalingFit.fit(logits, labels: labels, parameters: .temperature).scaling.temperature }
                    case .absorbedPriorL1: prior.isEmpty ? .nan : PriorEstimation.errors(prior, truth: truth).l1
                    case .absorbedPrior: prior.isEmpty ? .nan : prior[1]
                    case .priorDrift where data.isMulticlass:
                        prior.isEmpty || idPrior.isEmpty ? .nan : PriorEstimation.errors(prior, truth: idPrior).l1
                    case .priorDrift: (prior.isEmpty ? .nan : prior[1]) - (idPrior.isEmpty ? .nan : idPrior[1])
                    }
                values.append((.calibration(quantity, set: set), measured))
            }
        }
        return values
    }

    /// The reliability diagram's non-empty bins (15 equal-width, top-label) on the ID set and every shift.
    public static func reliability(_ outputs: SetOutputs, configuration: RunConfiguration) -> [ReliabilityRow] {
        EvaluationSet.standard(for: configuration.data).flatMap { set -> [ReliabilityRow] in
            guard let (raw, labels) = outputs[set],
                let bins = try? Metrics.reliability(classLogits(raw), labels: labels, binning: .equalWidth(15))
            else { return [] }
            return bins.enumerated().filter { $0.element.count > 0 }.map { index, bin in
                ReliabilityRow(set: set.name, bin: index, count: bin.count, confidence: bin.meanConfidence, accuracy: bin.accuracy)
            }
        }
    }

    /// K logits as they are; a binary output f as the two logits (0, f) of classes 0 (y = −1) and 1 (y = +1).
    static func classLogits(_ outputs: Matrix) -> Matrix {
        guard outputs.columns == 1 else { return outputs }
        return Matrix(rows: outputs.rows, columns: 2, elements: (0..<outputs.rows).flatMap { [0, outputs[$0, 0]] })
    }

    /// The value of a calibration computation, NaN where it is undefined (its error says why).
    static func value(_ compute: () throws -> Double) -> Double {
        (try? compute()) ?? .nan
    }
}
