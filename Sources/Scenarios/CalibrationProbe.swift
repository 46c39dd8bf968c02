import Calibration
import Dynamics
import GSL

/// Calibration of a finished binary run, on the ID test set and every OOD set, from the same outputs
/// the dynamics probes use: the logits are (0, f), so softmax gives P(y = +1) = sigmoid(f).
/// Metrics per set S: `ece_S` (15 equal-width bins, top-label), `nll_S`, `brier_S`, `temperature_S`
/// (temperature scaling fitted on S: the set's own optimal T), `absorbed_prior_S` (the +1 share of the
/// label prior the outputs carry, by label-free prior matching on the balanced set), and for shifts
/// `prior_drift_S` (its change from ID). An estimate that is undefined on a set is NaN.
public enum CalibrationProbe {
    public static func names(shifts: [String]) -> [String] {
        let sets = ["id"] + shifts
        return sets.flatMap { set in
            ["ece_\(set)", "nll_\(set)", "brier_\(set)", "temperature_\(set)", "absorbed_prior_\(set)"]
                + (set == "id" ? [] : ["prior_drift_\(set)"])
        }
    }

    /// The metrics, in `names` order, for the sets present in `result.finalOutputs`.
    public static func measure(_ result: RunResult, shifts: [String]) -> [(name: String, value: Double)] {
        var values: [(String, Double)] = []
        var idPrior = Double.nan
        for set in ["id"] + shifts {
            guard let (outputs, labels) = result.finalOutputs[set] else { continue }
            let logits = Matrix(rows: outputs.count, columns: 2, elements: outputs.flatMap { [0, $0] })
            let classes = labels.map { $0 > 0 ? 1 : 0 }
            func value(_ compute: () throws -> Double) -> Double {
                (try? compute()) ?? .nan
            }
            let prior = value { try PriorEstimation.absorbedPrior(logits)[1] }
            if set == "id" { idPrior = prior }
            values += [
                ("ece_\(set)", value { try Metrics.expectedCalibrationError(logits, labels: classes) }),
                ("nll_\(set)", value { try Metrics.negativeLogLikelihood(logits, labels: classes) }),
                ("brier_\(set)", value { try Metrics.brier(logits, labels: classes) }),
                ("temperature_\(set)", value { try ScalingFit.fit(logits, labels: classes, parameters: .temperature).scaling.temperature }),
                ("absorbed_prior_\(set)", prior),
            ]
            if set != "id" { values.append(("prior_drift_\(set)", prior - idPrior)) }
        }
        return values
    }
}
