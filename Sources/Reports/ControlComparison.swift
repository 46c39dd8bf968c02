import Dynamics
import Scenarios
import Studies

/// Each non-linear sweep cell beside its linear control — the cell with the same configuration except
/// the activation — grouped by everything else (variant, optimiser, ...). This is how a sweep answers
/// "does this activation / optimiser contaminate?": background growth beyond the control's, with CIs.
public struct ControlComparison {
    public struct Row {
        public var cell: CellSummary
        public var control: CellSummary
        public var activation: Activation { cell.cell.configuration.model.activation }
        /// The activation's label (the group header names the rest of the cell).
        public var label: String { activation.label }
        public var growth: Estimate { cell.estimate(Metric.backgroundGrowth) }
        public var controlGrowth: Estimate { control.estimate(Metric.backgroundGrowth) }
        /// The verdict against the control, paired by seed.
        public let verdict: ContaminationVerdict

        /// Per seed, (ID − OOD accuracy) minus the control's, paired by seed.
        public func accuracyDropBeyondControl(_ shift: String) -> Estimate {
            Estimate(
                zip(cell.finals, control.finals).compactMap { run, reference in
                    guard let a = run[Metric.idAccuracy], let b = run[Metric.oodAccuracy(shift)],
                        let c = reference[Metric.idAccuracy], let d = reference[Metric.oodAccuracy(shift)]
                    else { return nil }
                    return (a - b) - (c - d)
                })
        }
    }

    public struct Group {
        /// What the group's cells share, e.g. "variant=theory" (empty when nothing else is swept).
        public var label: String
        public var control: CellSummary
        public var rows: [Row]
    }

    public let groups: [Group]
    public let shifts: [String]

    public init(cells: [CellSummary], shifts: [String]) {
        self.shifts = shifts
        var groups: [Group] = []
        for control in cells where control.cell.configuration.model.activation.isLinear && !control.finals.isEmpty {
            let rows = cells.filter { !$0.finals.isEmpty && $0.control(in: cells)?.cellIndex == control.cellIndex }.map {
                Row(cell: $0, control: control, verdict: $0.verdict(among: [control], shift: shifts.first))
            }
            guard !rows.isEmpty else { continue }
            // The optimiser is named by its label (sgd, sgd_momentum, nesterov, adam, ...), the rest as column=value.
            let optimizer = control.cell.configuration.training.optimizer.label
            let label = control.cell.assignments.filter { $0.column != "activation" }
                .map { $0.column == "optimizer" ? optimizer : "\($0.column)=\($0.value)" }
                .joined(separator: ", ")
            groups.append(Group(label: label, control: control, rows: rows))
        }
        self.groups = groups
    }

    /// Markdown: a table per group (one table in all when each group has a single activation) and
    /// sentences naming which contaminate, with the mechanism behind each exception.
    public var markdown: String {
        if groups.count > 1 && groups.allSatisfy({ $0.rows.count == 1 }) {
            let out = table(groups.map { ($0.label, $0.rows[0]) }, firstColumn: "configuration", withControl: true)
            let activation = groups[0].rows[0].label
            var lines = Self.outcomes.compactMap { outcome, heading -> String? in
                let labels = groups.filter { $0.rows[0].verdict.outcome == outcome }.map(\.label)
                return labels.isEmpty ? nil : "**\(activation)** — \(heading): \(labels.joined(separator: "; "))."
            }
            lines += groups.flatMap { group in notes(group).map { "\(group.label): \($0)" } }
            return out + "\n" + lines.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        var out = ""
        for group in groups {
            out += group.label.isEmpty ? "" : "### \(group.label)\n\n"
            out +=
                "Linear control: background growth \(group.rows[0].controlGrowth.text()), ID accuracy "
                + "\(group.control.estimate(Metric.idAccuracy).text()), OOD loss under `\(shifts.first ?? "")` "
                + "\(group.control.estimate(Metric.oodLoss(shifts.first ?? "")).text()).\n\n"
            out += table(group.rows.map { ($0.label, $0) }, firstColumn: "activation", withControl: false)
            out += "\n" + sentences(group).map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        return out
    }

    func table(_ rows: [(label: String, row: Row)], firstColumn: String, withControl: Bool) -> String {
        var out =
            "| \(firstColumn) | background growth | \(withControl ? "control's growth | " : "")× control | signed background projection | ID accuracy | "
            + shifts.map { "OOD loss `\($0)` | accuracy drop `\($0)` beyond control" }.joined(separator: " | ")
            + " | slope asymmetry | contaminates |\n"
        out += "|---|---:|" + (withControl ? "---:|" : "") + "---:|---:|---:|" + shifts.map { _ in "---:|---:|" }.joined() + "---:|---|\n"
        for (label, row) in rows {
            let ratio = row.growth.mean / row.controlGrowth.mean
            out +=
                "| \(label) | \(row.growth.text()) | " + (withControl ? "\(row.controlGrowth.text()) | " : "")
                + "\(formatSignificant(ratio, 3)) | "
                + "\(row.cell.estimate(Metric.backgroundProjectionSigned).text()) | \(row.cell.estimate(Metric.idAccuracy).text()) | "
                + shifts.map { "\(row.cell.estimate(Metric.oodLoss($0)).text()) | \(row.accuracyDropBeyondControl($0).text())" }
                .joined(separator: " | ")
                + " | \(row.cell.estimate(Metric.slopeAsymmetry).text()) | \(VerdictText(verdict: row.verdict, shift: shifts.first).label) |\n"
        }
        return out
    }

    /// The verdict headings, in the order the report lists them.
    static let outcomes: [(ContaminationVerdict.Outcome, String)] = [
        (.yes, "contaminate"), (.yesUnsigned, "contaminate, unsigned"), (.no, "do not contaminate"), (.inconclusive, "inconclusive"),
    ]

    /// One line per verdict outcome naming the activations with it, then each row's verdict sentence.
    func sentences(_ group: Group) -> [String] {
        let scope = group.label.isEmpty ? "" : " (\(group.label))"
        var lines = Self.outcomes.compactMap { outcome, heading -> String? in
            let labels = group.rows.filter { $0.verdict.outcome == outcome }.map(\.label)
            return labels.isEmpty ? nil : "**\(heading.prefix(1).uppercased() + heading.dropFirst())**\(scope): \(labels.joined(separator: ", "))."
        }
        let texts = group.rows.map { VerdictText(verdict: $0.verdict, shift: shifts.first) }
        // The rows share the group's control: a failed one is said once, before the verdicts.
        if let failure = texts.lazy.compactMap(\.controlFailure).first { lines.append(failure + "; the verdicts below are judged alone.") }
        lines += zip(group.rows, texts).map { row, text in "\(row.label): " + (text.controlFailure == nil ? text.sentence : text.judged) }
        return lines + notes(group)
    }

    /// Measured facts that qualify a row: the control's own background growth under an optimiser that
    /// is not rotation-equivariant, a network that does not fit its training set, and the train-loss
    /// floor of a bounded activation under a frozen output layer.
    func notes(_ group: Group) -> [String] {
        var lines: [String] = []
        let control = group.rows[0].controlGrowth
        if !group.control.cell.configuration.training.optimizer.isRotationEquivariant, group.rows[0].verdict.controlFits == true,
            control.upper < 0.5 || control.lower > 1
        {
            lines.append(
                "Under this optimiser the linear control's own background projection \(control.mean < 1 ? "shrinks" : "grows") "
                    + "(\(control.text())×); the verdicts compare with it.")
        }
        for row in group.rows {
            let loss = row.cell.estimate(Metric.trainLoss), accuracy = row.cell.estimate(Metric.trainAccuracy)
            let configuration = row.cell.cell.configuration
            let bounded =
                [Activation.sigmoid, .tanh].contains(row.activation) && !configuration.model.trainOutput && configuration.training.loss == .hinge
            if accuracy.mean < ContaminationVerdict.controlFit {
                lines.append(
                    "\(row.label) does not fit its training set (train accuracy \(accuracy.text()), loss \(loss.text())), "
                        + "so its numbers describe a network that has not learned the task.")
            } else if loss.mean > 0.1 || (bounded && loss.mean > 0) {
                lines.append(
                    "\(row.label) classifies its training set but does not reach the loss's margin (train loss \(loss.text()))"
                        + (bounded
                            ? ": |σ| < 1 and the frozen output weights are ±1/m, so |f| < 1, the hinge margin, and the loss cannot reach 0." : "."))
            }
        }
        return lines
    }
}
