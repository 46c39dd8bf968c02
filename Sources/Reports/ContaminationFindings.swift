import Dynamics
import Scenarios
import Studies

/// The headline findings of a feature-contamination scenario, as sentences with numbers: what the
/// paper's theorems predict, measured per sweep cell and against the linear control.
public struct ContaminationFindings {
    public let cells: [CellSummary]
    public let shifts: [BackgroundShift]
    public let background: Distribution
    /// The training loss's name, for the risk sentences.
    public let lossName: String

    public init(cells: [CellSummary], base: RunConfiguration) {
        self.cells = cells
        self.shifts = base.data.shifts
        self.background = base.data.background
        self.lossName = base.training.loss.rawValue.replacingOccurrences(of: "_", with: "-")
    }

    func shiftText(_ shift: BackgroundShift) -> String {
        switch shift.kind {
        case let .flip(factor): return factor == 1 ? "−\(background.label)" : "−\(factor.compact)·\(background.label)"
        case let .scale(factor): return "\(factor.compact)·\(background.label)"
        case let .meanShift(delta): return "\(background.label) \(delta < 0 ? "−" : "+") \(abs(delta).compact)"
        case .zero: return "0"
        case let .redraw(distribution): return distribution.label
        }
    }

    /// The verdict on one configuration, against its linear control when the scenario has one.
    func verdict(_ cell: CellSummary) -> ContaminationVerdict {
        cell.verdict(among: cells, shift: shifts.first?.name)
    }

    /// Markdown bullet points.
    public var sentences: [String] {
        var lines: [String] = []
        for cell in cells {
            guard !cell.finals.isEmpty else {
                lines.append("**\(cell.label)**: no run completed (\(cell.failedRuns) failed or diverged).")
                continue
            }
            let n = cell.finals.count
            let growth = cell.estimate(Metric.backgroundGrowth)
            let signed = cell.estimate(Metric.backgroundProjectionSigned)
            let initial = cell.meanSeries[Metric.backgroundProjection]?.first ?? .nan
            let final = cell.estimate(Metric.backgroundProjection)
            let asymmetric = cell.estimate(Metric.asymmetricFraction), slope = cell.estimate(Metric.slopeAsymmetry)
            let idLoss = cell.estimate(Metric.idLoss), idAccuracy = cell.estimate(Metric.idAccuracy)
            // "grew"/"shrank" only when the interval says so; the contrast with the label only for growth.
            let change = growth.lower > 1 ? "grew" : growth.upper < 1 ? "shrank" : "changed"
            var text =
                "**\(cell.label)** (\(n) seed\(n == 1 ? "" : "s"), mean ± 95% CI): the background projection "
                + "\(change) **\(formatSignificant(growth.mean, 3))×** (\(growth.intervalText); "
                + "from \(formatSignificant(initial, 3)) to \(formatSignificant(final.mean, 3)))"
                + (change == "grew" ? " although no background feature is correlated with the label" : "")
                + "; the signed background projection is **\(signedText(signed))**; "
                + "the class gap of the mean slope σ'(h) is \(slope.text()) per neuron (slope_asymmetry; 0 for a linear network), "
                + "and \(formatSignificant(asymmetric.mean * 100, 3))% of neurons have a class activation-rate gap ≥ 0.5. "
                + "ID \(lossName) loss \(idLoss.text()), ID accuracy \(idAccuracy.text())."
            for shift in shifts {
                let loss = cell.estimate(Metric.oodLoss(shift.name)), accuracy = cell.estimate(Metric.oodAccuracy(shift.name))
                let ratio = loss.mean / max(idLoss.mean, 1e-12)
                text +=
                    " Under the background shift `\(shift.name)` (background \(shiftText(shift))) the loss is "
                    + "**\(loss.text())** (\(formatSignificant(ratio, 3))× the ID loss) and the accuracy \(accuracy.text())"
                    + (accuracy.mean < idAccuracy.mean - 0.02
                        ? ", **\(formatSignificant((idAccuracy.mean - accuracy.mean) * 100, 2)) points below ID**." : ".")
            }
            lines.append(
                text + " "
                    + VerdictText(
                        verdict: verdict(cell), shift: shifts.first?.name, ofLinearNetwork: cell.cell.configuration.model.activation.isLinear
                    ).sentence)
        }
        lines += comparisons
        return lines
    }

    func signedText(_ estimate: Estimate) -> String {
        let sign = estimate.mean > 0 ? "+" : ""
        return sign + estimate.text()
    }

    /// Sentences comparing each non-linear cell with its linear control (see `ControlComparison`).
    var comparisons: [String] {
        ControlComparison(cells: cells, shifts: shifts.map(\.name)).groups.flatMap(\.rows).map { row in
            let (cell, control) = (row.cell, row.control)
            let bgRatio = cell.estimate(Metric.backgroundProjection).mean / control.estimate(Metric.backgroundProjection).mean
            var text =
                "Against the linear control, **\(cell.label)** ends with a background projection "
                + "\(formatSignificant(bgRatio, 3))× as large (\(formatSignificant(cell.estimate(Metric.backgroundProjection).mean, 3)) vs "
                + "\(formatSignificant(control.estimate(Metric.backgroundProjection).mean, 3)))"
            for shift in shifts {
                let gap = { (c: CellSummary) in c.estimate(Metric.oodLoss(shift.name)).mean - c.estimate(Metric.idLoss).mean }
                text +=
                    "; its OOD − ID risk gap under `\(shift.name)` is \(formatSignificant(gap(cell), 3)) vs "
                    + "\(formatSignificant(gap(control), 3)) for linear"
            }
            return text + "."
        }
    }
}
