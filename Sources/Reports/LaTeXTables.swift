import Dynamics
import Scenarios
import Studies

/// The report's tables as booktabs LaTeX, ready for `\input`: final metrics (metrics × configurations,
/// or configurations × key metrics for large sweeps), calibration across shifts, and prior estimation.
struct LaTeXTables {
    let scenario: Scenario
    let cells: [CellSummary]

    var tables: [(name: String, table: LaTeXTable)] {
        let completed = cells.filter { !$0.finals.isEmpty }
        guard !completed.isEmpty else { return [] }
        let data = scenario.base.data
        var out: [(String, LaTeXTable)] = []
        let seeds = "\(scenario.seeds.count) seeds"
        if scenario.base.transfer != nil { return transferTables(completed, seeds: seeds) }
        let metrics = Metric.names(for: scenario.base)
        if completed.count <= 6 {
            out.append(
                (
                    "final",
                    LaTeXTable(
                        caption: "\(scenario.name): final metrics, mean ± 95% CI over \(seeds).", label: "tab:\(scenario.name)-final",
                        header: ["metric"] + completed.map(\.label),
                        rows: metrics.map { name in [.text(name)] + completed.map { .estimate($0.estimate(name)) } },
                        alignment: "l" + String(repeating: "r", count: completed.count))
                ))
        } else {
            let key =
                [Metric.backgroundGrowth, Metric.backgroundProjectionSigned, Metric.idAccuracy]
                + data.shifts.prefix(2).flatMap { [Metric.oodLoss($0.name), Metric.oodAccuracy($0.name)] }
            out.append(
                (
                    "final",
                    LaTeXTable(
                        caption: "\(scenario.name): key final metrics per configuration, mean ± 95% CI over \(seeds).",
                        label: "tab:\(scenario.name)-final", header: ["configuration"] + key,
                        rows: completed.map { cell in [.text(cell.label)] + key.map { .estimate(cell.estimate($0)) } },
                        alignment: "l" + String(repeating: "r", count: key.count))
                ))
        }
        if data.shifts.count > 1, completed.first?.finals.first?[FinalMetric.calibration(.ece, set: EvaluationSet.id).name] != nil {
            let sets = EvaluationSet.standard(for: data)
            let quantities = CalibrationTables.quantities.prefix(4)
            out.append(
                (
                    "calibration",
                    LaTeXTable(
                        caption:
                            "\(scenario.name): accuracy and calibration on the ID set and under each background shift, mean ± 95% CI over \(seeds).",
                        label: "tab:\(scenario.name)-calibration",
                        header: ["set"] + completed.flatMap { cell in quantities.map { "\(cell.label) \($0.short)" } },
                        rows: sets.map { set in
                            [.text(set.label)]
                                + completed.flatMap { cell in quantities.map { .estimate(cell.estimate($0.metric(set))) } }
                        },
                        alignment: "l" + String(repeating: "r", count: completed.count * quantities.count))
                ))
        }
        if let study = scenario.base.priorStudy, let cell = completed.first, cell.finals.first?[FinalMetric.reference(.balanced, .plain).name] != nil
        {
            var rows: [[LaTeXTable.Cell]] = [
                [
                    .text("–"), .text("none"), .text("–"), .estimate(cell.estimate(.reference(.balanced, .plain))),
                    .estimate(cell.estimate(.reference(.tail, .plain))), .text("0"),
                ],
                [
                    .text("–"), .text("true prior"), .text("0"), .estimate(cell.estimate(.reference(.balanced, .oracle))),
                    .estimate(cell.estimate(.reference(.tail, .oracle))), .text("1"),
                ],
            ]
            for n in study.labelledPerClass {
                for estimator in PriorEstimator.allCases {
                    rows.append(
                        [.text(String(n)), .text(estimator.shortName)]
                            + [EstimatorQuantity.priorL1, .balancedAccuracy, .tailAccuracy, .gainRecovery].map {
                                .estimate(cell.estimate(.estimator($0, estimator, labelledPerClass: n)))
                            })
                }
            }
            out.append(
                (
                    "prior",
                    LaTeXTable(
                        caption:
                            "\(scenario.name): training-prior estimates from n labelled samples per class and debiasing with them (balanced ID test set), mean ± 95% CI over \(seeds).",
                        label: "tab:\(scenario.name)-prior",
                        header: ["n / class", "estimator", "L1 error", "balanced acc.", "tail acc.", "gain recovered"],
                        rows: rows, alignment: "rlrrrr")
                ))
        }
        return out
    }

    /// Per configuration of a transfer protocol: its stages × the transfer metrics.
    func transferTables(_ completed: [CellSummary], seeds: String) -> [(name: String, table: LaTeXTable)] {
        completed.enumerated().compactMap { index, cell in
            guard let transfer = cell.cell.configuration.transfer else { return nil }
            let suffix = completed.count > 1 ? "-\(index + 1)" : ""
            let metrics = TransferFindings.metrics(transfer)
            return (
                "transfer\(suffix)",
                LaTeXTable(
                    caption: "\(scenario.name)\(completed.count > 1 ? " (\(cell.label))" : ""): every stage at its end, mean ± 95% CI over \(seeds).",
                    label: "tab:\(scenario.name)-transfer\(suffix)", header: ["stage"] + metrics.map(\.label),
                    rows: transfer.stages.map { stage in
                        [.text(stage.name)]
                            + metrics.map { TransferFindings.shows(stage, $0) ? .estimate(cell.estimate($0.name(stage: stage.name))) : .text("–") }
                    },
                    alignment: "l" + String(repeating: "r", count: metrics.count))
            )
        }
    }
}
