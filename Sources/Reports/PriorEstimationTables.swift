import Dynamics
import Scenarios
import Studies

/// The label prior a multi-class model absorbed: how well GLA, EM, MLLS and BBSE estimate it from small
/// labelled sets, what debiasing with each estimate recovers of the true prior's balanced-accuracy
/// gain, and the GLA ensemble — sentences with CIs and two tables (see `PriorStudyProbe` for the metrics).
struct PriorEstimationTables {
    let cells: [CellSummary]
    let study: PriorStudyConfiguration
    let data: DataConfiguration

    var isAvailable: Bool { cells.contains { $0.finals.first?[FinalMetric.reference(.balanced, .plain).name] != nil } }

    var sentences: [String] {
        cells.filter { !$0.finals.isEmpty }.flatMap { cell -> [String] in
            let prefix = cells.count > 1 ? "**\(cell.label)**: " : ""
            let plain = cell.estimate(.reference(.balanced, .plain)), oracle = cell.estimate(.reference(.balanced, .oracle))
            let plainTail = cell.estimate(.reference(.tail, .plain)), oracleTail = cell.estimate(.reference(.tail, .oracle))
            var lines = [
                prefix + "Trained on the \(data.prior.label) prior, the network carries it into its logits: on the class-balanced "
                    + "ID test set its balanced accuracy is \(plain.text()) and its accuracy on the rarest third of the classes "
                    + "\(plainTail.text()); removing the true training prior (z − log π) raises them to **\(oracle.text())** and "
                    + "**\(oracleTail.text())** — the oracle gain (\(cell.finals.count) seeds, mean ± 95% CI)."
            ]
            for count in study.labelledPerClass {
                let l1 = cell.estimate(.estimator(.priorL1, .gla, labelledPerClass: count)),
                    kl = cell.estimate(.estimator(.priorKL, .gla, labelledPerClass: count))
                let recovery = cell.estimate(.estimator(.gainRecovery, .gla, labelledPerClass: count))
                let best = PriorEstimator.allCases.min {
                    cell.estimate(.estimator(.priorL1, $0, labelledPerClass: count)).mean
                        < cell.estimate(.estimator(.priorL1, $1, labelledPerClass: count)).mean
                }
                var text =
                    prefix + "With **\(count) labelled samples per class**, GLA's estimate of the training prior has L1 error "
                    + "\(l1.text()) and KL \(kl.text()); debiasing with it gives balanced accuracy "
                    + "\(cell.estimate(.estimator(.balancedAccuracy, .gla, labelledPerClass: count)).text()), recovering **\(percent(recovery))** of the oracle gain."
                if let best, best != .gla {
                    text +=
                        " The smallest L1 error at this size is \(best.shortName)'s, "
                        + "\(cell.estimate(.estimator(.priorL1, best, labelledPerClass: count)).text()), which recovers \(percent(cell.estimate(.estimator(.gainRecovery, best, labelledPerClass: count))))."
                }
                let collapses = PriorEstimator.allCases.compactMap { estimator -> String? in
                    let failed = zip(
                        cell.finals.compactMap { $0[FinalMetric.estimator(.balancedAccuracy, estimator, labelledPerClass: count).name] },
                        cell.finals.compactMap { $0[FinalMetric.reference(.balanced, .plain).name] }
                    ).filter { !($0 > $1 - 0.1) }.count
                    return failed > 0 ? "\(estimator.shortName) in \(failed) of \(cell.finals.count) seeds" : nil
                }
                if !collapses.isEmpty {
                    text +=
                        " Debiasing **collapses** (balanced accuracy more than 0.1 below the raw model's) for "
                        + collapses.joined(separator: ", ") + "."
                }
                lines.append(text)
            }
            if study.labelledPerClass.contains(where: { cell.estimate(.estimator(.gainRecovery, .gla, labelledPerClass: $0)).mean > 1.02 }) {
                lines.append(
                    prefix + "A recovery above 100% is not an error: GLA removes the bias the logits actually carry at their "
                        + "fitted temperature, which differs from the training prior when the network is over-confident "
                        + "(ID temperature \(cell.estimate(.calibration(.temperature, set: EvaluationSet.id)).text())) — so a prior's L1 error to π alone does not measure "
                        + "its usefulness.")
            }
            if cell.finals.first?[FinalMetric.ensemble(.gla, set: EvaluationSet.id).name] != nil {
                let e = { (variant: EnsembleVariant) in cell.estimate(.ensemble(variant, set: EvaluationSet.id)) }
                var text =
                    prefix
                    + "**GLA ensemble** with a partner trained on \(study.partner.map { "\($0.trainSize) samples, \($0.prior.label) prior" } ?? "another prior"): "
                    + "balanced accuracy \(e(.gla).text()) against \(e(.a).text()) for model A alone, \(e(.b).text()) for the partner alone "
                    + "and \(e(.average).text()) for their plain average (ensemble with the true priors: \(e(.oracle).text()))."
                if let shift = data.shifts.first {
                    let o = { (variant: EnsembleVariant) in cell.estimate(.ensemble(variant, set: .shift(shift.name))) }
                    text +=
                        " Under the background shift `\(shift.name)`: \(o(.gla).text()) vs \(o(.a).text()), \(o(.b).text()) and \(o(.average).text())."
                }
                lines.append(text)
            }
            return lines
        }
    }

    func percent(_ estimate: Estimate) -> String {
        guard !estimate.values.isEmpty else { return "undefined" }
        let scaled = Estimate(estimate.values.map { $0 * 100 })
        return scaled.text() + "%" + (estimate.undefinedCount > 0 ? " (\(estimate.undefinedCount) undefined)" : "")
    }

    var markdown: String {
        var out = "## Label prior: estimation and debiasing\n\n"
        out +=
            "Each estimator sees the logits of one small class-balanced labelled set (n per class, its own random draw per "
            + "seed); MLLS and BBSE also see an unlabelled sample of \(study.unlabelledSize) drawn with the training prior. "
            + "Errors are against the true training prior; accuracies are on the class-balanced ID test set after subtracting "
            + "the estimate's log (GLA at its temperature: z/T − log q); tail = the rarest third of the classes; recovery = "
            + "(debiased − plain) ÷ (oracle − plain) balanced accuracy, per seed. Mean ± 95% CI; every value is in `summary.csv`.\n\n"
        for cell in cells where !cell.finals.isEmpty {
            if cells.count > 1 { out += "### \(cell.label)\n\n" }
            out += "| n / class | estimator | L1 error | KL | balanced accuracy | tail accuracy | gain recovered |\n"
            out += "|---:|---|---:|---:|---:|---:|---:|\n"
            out +=
                "| – | none (raw logits) | – | – | \(cell.estimate(.reference(.balanced, .plain)).text()) | \(cell.estimate(.reference(.tail, .plain)).text()) | 0% |\n"
            out +=
                "| – | true training prior | 0 | 0 | \(cell.estimate(.reference(.balanced, .oracle)).text()) | \(cell.estimate(.reference(.tail, .oracle)).text()) | 100% |\n"
            for count in study.labelledPerClass {
                for estimator in PriorEstimator.allCases {
                    let metric = { (quantity: EstimatorQuantity) in cell.estimate(.estimator(quantity, estimator, labelledPerClass: count)) }
                    out +=
                        "| \(count) | \(estimator.summary) | \(metric(.priorL1).text()) | \(metric(.priorKL).text()) | "
                        + "\(metric(.balancedAccuracy).text()) | \(metric(.tailAccuracy).text()) | \(percent(metric(.gainRecovery))) |\n"
                }
            }
            out += "\n"
            if cell.finals.first?[FinalMetric.ensemble(.gla, set: EvaluationSet.id).name] != nil {
                let sets = EvaluationSet.standard(for: data)
                out +=
                    "Balanced accuracy of the two models and their combinations (the GLA ensemble is f_A/T_A − log q̂_A + f_B/T_B − log π_B "
                    + "with q̂_A GLA's estimate at n = \(study.labelledPerClass.max() ?? 0) and T_B confidence-matched on the partner's outputs on the same set):\n\n"
                out += "| model | " + sets.map { $0 == .id ? $0.label : "`\($0.name)`" }.joined(separator: " | ") + " |\n"
                out += "|---|" + sets.map { _ in "---:|" }.joined() + "\n"
                for variant in EnsembleVariant.allCases {
                    out +=
                        "| \(variant.summary) | " + sets.map { cell.estimate(.ensemble(variant, set: $0)).text() }.joined(separator: " | ") + " |\n"
                }
                out += "\n"
            }
        }
        return out
    }
}
