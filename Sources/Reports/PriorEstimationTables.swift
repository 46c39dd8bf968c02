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

    /// The share of the oracle gain the largest labelled set's GLA estimate must recover for the
    /// report to call the estimate sufficient (an acceptance threshold; a NumPy prototype of the same
    /// experiment reaches ~98%).
    static let sufficientRecovery = 0.8


    var isAvailable: Bool { cells.contains { $0.finals.first?["balanced_accuracy_plain"] != nil } }

    var sentences: [String] {
        cells.filter { !$0.finals.isEmpty }.flatMap { cell -> [String] in
            let prefix = cells.count > 1 ? "**\(cell.label)**: " : ""
            let plain = cell.estimate("balanced_accuracy_plain"), oracle = cell.estimate("balanced_accuracy_oracle")
            let plainTail = cell.estimate("tail_accuracy_plain"), oracleTail = cell.estimate("tail_accuracy_oracle")
            var lines = [prefix + "Trained on the \(data.prior.label) prior, the network carries it into its logits: on the class-balanced "
                + "ID test set its balanced accuracy is \(plain.text()) and its accuracy on the rarest third of the classes "
                + "\(plainTail.text()); removing the true training prior (z − log π) raises them to **\(oracle.text())** and "
                + "**\(oracleTail.text())** — the oracle gain (\(cell.finals.count) seeds, mean ± 95% CI)."]
            for count in study.labelledPerClass {
                let l1 = cell.estimate("prior_l1_gla_\(count)"), kl = cell.estimate("prior_kl_gla_\(count)")
                let recovery = cell.estimate("gain_recovery_gla_\(count)")
                let best = PriorEstimator.allCases.min { cell.estimate("prior_l1_\($0.rawValue)_\(count)").mean < cell.estimate("prior_l1_\($1.rawValue)_\(count)").mean }
                var text = prefix + "With **\(count) labelled samples per class**, GLA's estimate of the training prior has L1 error "
                    + "\(l1.text()) and KL \(kl.text()); debiasing with it gives balanced accuracy "
                    + "\(cell.estimate("balanced_accuracy_gla_\(count)").text()), recovering **\(percent(recovery))** of the oracle gain."
                if let best, best != .gla {
                    text += " The smallest L1 error at this size is \(best.shortName)'s, "
                        + "\(cell.estimate("prior_l1_\(best.rawValue)_\(count)").text()), which recovers \(percent(cell.estimate("gain_recovery_\(best.rawValue)_\(count)")))."
                }
                let collapses = PriorEstimator.allCases.compactMap { estimator -> String? in
                    let failed = zip(cell.finals.compactMap { $0["balanced_accuracy_\(estimator.rawValue)_\(count)"] },
                                     cell.finals.compactMap { $0["balanced_accuracy_plain"] }).filter { !($0 > $1 - 0.1) }.count
                    return failed > 0 ? "\(estimator.shortName) in \(failed) of \(cell.finals.count) seeds" : nil
                }
                if !collapses.isEmpty {
                    text += " Debiasing **collapses** (balanced accuracy more than 0.1 below the raw model's) for "
                        + collapses.joined(separator: ", ") + ": the estimate puts almost no mass on a rare class "
                        + "(BBSE clips negative weights to 0; EM can drive a class to 0), so subtracting log q predicts that class "
                        + "nearly everywhere. L1 hardly sees this, KL does."
                }
                if count == study.labelledPerClass.max() {
                    text += recovery.mean >= Self.sufficientRecovery
                        ? " This meets the bar of recovering ≥ \(Int(Self.sufficientRecovery * 100))% of the gain."
                        : " This is **below** the bar of \(Int(Self.sufficientRecovery * 100))% of the gain."
                }
                lines.append(text)
            }
            if cell.estimates(prefix: "gain_recovery_gla_").contains(where: { $0.mean > 1.02 }) {
                lines.append(prefix + "A recovery above 100% is not an error: GLA removes the bias the logits actually carry at their "
                    + "fitted temperature, which differs from the training prior when the network is over-confident "
                    + "(ID temperature \(cell.estimate("temperature_id").text())) — so a prior's L1 error to π alone does not measure "
                    + "its usefulness.")
            }
            if cell.finals.first?["ensemble_gla_id"] != nil {
                let e = { (variant: String) in cell.estimate("ensemble_\(variant)_id") }
                var text = prefix + "**GLA ensemble** with a partner trained on \(study.partner.map { "\($0.trainSize) samples, \($0.prior.label) prior" } ?? "another prior"): "
                    + "balanced accuracy \(e("gla").text()) against \(e("a").text()) for model A alone, \(e("b").text()) for the partner alone "
                    + "and \(e("average").text()) for their plain average (ensemble with the true priors: \(e("oracle").text()))."
                if let shift = data.shifts.first {
                    let o = { (variant: String) in cell.estimate("ensemble_\(variant)_\(shift.name)") }
                    text += " Under the background shift `\(shift.name)`: \(o("gla").text()) vs \(o("a").text()), \(o("b").text()) and \(o("average").text())."
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
        out += "Each estimator sees the logits of one small class-balanced labelled set (n per class, its own random draw per "
            + "seed); MLLS and BBSE also see an unlabelled sample of \(study.unlabelledSize) drawn with the training prior. "
            + "Errors are against the true training prior; accuracies are on the class-balanced ID test set after subtracting "
            + "the estimate's log (GLA at its temperature: z/T − log q); tail = the rarest third of the classes; recovery = "
            + "(debiased − plain) ÷ (oracle − plain) balanced accuracy, per seed. Mean ± 95% CI; every value is in `summary.csv`.\n\n"
        for cell in cells where !cell.finals.isEmpty {
            if cells.count > 1 { out += "### \(cell.label)\n\n" }
            out += "| n / class | estimator | L1 error | KL | balanced accuracy | tail accuracy | gain recovered |\n"
            out += "|---:|---|---:|---:|---:|---:|---:|\n"
            out += "| – | none (raw logits) | – | – | \(cell.estimate("balanced_accuracy_plain").text()) | \(cell.estimate("tail_accuracy_plain").text()) | 0% |\n"
            out += "| – | true training prior | 0 | 0 | \(cell.estimate("balanced_accuracy_oracle").text()) | \(cell.estimate("tail_accuracy_oracle").text()) | 100% |\n"
            for count in study.labelledPerClass {
                for estimator in PriorEstimator.allCases {
                    let metric = { (name: String) in cell.estimate("\(name)_\(estimator.rawValue)_\(count)") }
                    out += "| \(count) | \(estimator.summary) | \(metric("prior_l1").text()) | \(metric("prior_kl").text()) | "
                        + "\(metric("balanced_accuracy").text()) | \(metric("tail_accuracy").text()) | \(percent(metric("gain_recovery"))) |\n"
                }
            }
            out += "\n"
            if cell.finals.first?["ensemble_gla_id"] != nil {
                let sets = EvaluationSet.names(for: data)
                out += "Balanced accuracy of the two models and their combinations (the GLA ensemble is f_A/T_A − log q̂_A + f_B/T_B − log π_B "
                    + "with q̂_A GLA's estimate at n = \(study.labelledPerClass.max() ?? 0) and T_B confidence-matched on the partner's outputs on the same set):\n\n"
                out += "| model | " + sets.map { $0 == EvaluationSet.id ? "ID" : "`\($0)`" }.joined(separator: " | ") + " |\n"
                out += "|---|" + sets.map { _ in "---:|" }.joined() + "\n"
                for variant in EnsembleVariant.allCases {
                    out += "| \(variant.summary) | " + sets.map { cell.estimate("ensemble_\(variant.rawValue)_\($0)").text() }.joined(separator: " | ") + " |\n"
                }
                out += "\n"
            }
        }
        return out
    }
}

extension CellSummary {
    /// Estimates of every final metric whose name starts with `prefix`.
    func estimates(prefix: String) -> [Estimate] {
        let names = Set(finals.flatMap { $0.keys.filter { $0.hasPrefix(prefix) } })
        return names.sorted().map(estimate)
    }
}
