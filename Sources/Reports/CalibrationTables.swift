import Dynamics
import Scenarios
import Studies

/// "How are the outputs biased and calibrated?" beside "what did the network learn?", on the same runs:
/// one table per quantity (accuracy, ECE, NLL, fitted temperature, prior drift), rows = evaluation sets
/// (ID, then each background shift), columns = configurations; and sentences on the trend with shift size.
struct CalibrationTables {
    let cells: [CellSummary]
    let shifts: [BackgroundShift]
    let describeShift: (BackgroundShift) -> String
    /// K (2 for binary outputs): chance accuracy and the confidence of uninformative outputs are 1/K.
    let classes: Int

    var isAvailable: Bool {
        cells.contains { $0.finals.first?[FinalMetric.calibration(.ece, set: .id).name] != nil }
    }

    static let quantities: [(title: String, short: String, metric: @Sendable (EvaluationSet) -> String, note: String)] = [
        ("Accuracy", "accuracy", { Metric.accuracy(on: $0) }, ""),
        (
            "Expected calibration error", "ECE", { FinalMetric.calibration(.ece, set: $0).name },
            "15 equal-width bins, top-label; the outputs f are read as logits (0, f)."
        ),
        ("Negative log-likelihood", "NLL", { FinalMetric.calibration(.nll, set: $0).name }, ""),
        (
            "Fitted temperature", "T", { FinalMetric.calibration(.temperature, set: $0).name },
            "Temperature scaling fitted on each set itself: T > 1 means over-confident "
                + "there, T < 1 under-confident. \"undefined\": the fit was refused because T collapsed below 0.05 (a set the outputs "
                + "separate perfectly, where the NLL keeps falling as T → 0)."
        ),
        (
            "Absorbed prior drift", "drift", { FinalMetric.calibration($0 == .id ? .absorbedPrior : .priorDrift, set: $0).name },
            "ID row: the +1 share of the label prior the outputs carry (0.5 = unbiased); shift rows: its change from ID."
        ),
    ]

    var markdown: String {
        let sets = [EvaluationSet.id] + shifts.map { .shift($0.name) }
        var out =
            "## Calibration under background shift\n\nThe same runs, analysed by the calibration module. "
            + "Mean ± half-width of the 95% t-interval over seeds; every value is in `summary.csv`.\n\n"
        out += sentences.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        for quantity in Self.quantities {
            out += "### \(quantity.title)\n\n" + (quantity.note.isEmpty ? "" : quantity.note + "\n\n")
            out += "| set | " + cells.map(\.label).joined(separator: " | ") + " |\n"
            out += "|---|" + cells.map { _ in "---:|" }.joined() + "\n"
            for set in sets {
                let label = shifts.first(where: { .shift($0.name) == set }).map { "`\(set.name)` (\(describeShift($0)))" } ?? set.label
                out +=
                    "| \(label) | " + cells.map { $0.finals.isEmpty ? "–" : $0.estimate(quantity.metric(set)).text() }.joined(separator: " | ")
                    + " |\n"
            }
            out += "\n"
        }
        return out
    }

    /// Per seed, the mean top-label confidence on a set (from the reliability bins).
    func meanConfidence(_ cell: CellSummary, set: EvaluationSet) -> Estimate {
        Estimate(
            cell.reliability.compactMap { rows -> Double? in
                let bins = rows.filter { $0.set == set.name }
                let count = bins.reduce(0) { $0 + $1.count }
                return count > 0 ? bins.reduce(0) { $0 + Double($1.count) * $1.confidence } / Double(count) : nil
            })
    }

    /// Whether the shifts are flips of strictly increasing size, so that their order is "the flip grows".
    var flipsGrow: Bool {
        let factors = shifts.map { shift -> Double? in
            if case let .flip(factor) = shift.kind { factor } else { nil }
        }
        return factors.allSatisfy { $0 != nil } && zip(factors, factors.dropFirst()).allSatisfy { ($0 ?? 0) < ($1 ?? 0) }
    }

    /// For each configuration: how OOD accuracy and ECE move with the shift, and why ECE can fall again.
    var sentences: [String] {
        guard shifts.count > 1 else { return [] }
        return cells.filter { !$0.finals.isEmpty }.map { cell in
            let ece = shifts.map { cell.estimate(.calibration(.ece, set: .shift($0.name))) }
            let accuracy = shifts.map { cell.estimate(Metric.oodAccuracy($0.name)) }
            let idECE = cell.estimate(.calibration(.ece, set: .id))
            let peak = ece.indices.max { ece[$0].mean < ece[$1].mean } ?? 0
            var text =
                "**\(cell.label)**: ID ECE \(idECE.text()); \(flipsGrow ? "as the flip grows" : "across the shifts") ("
                + shifts.map { "`\($0.name)`" }.joined(separator: ", ")
                + ") OOD accuracy goes " + accuracy.map { $0.text() }.joined(separator: " → ")
                + " and ECE " + ece.map { $0.text() }.joined(separator: " → ") + "."
            let confidence = meanConfidence(cell, set: .shift(shifts[peak].name))
            if !confidence.values.isEmpty, accuracy[peak].mean.isFinite {
                let gap = accuracy[peak].mean - confidence.mean
                if abs(gap) > 0.05 {
                    let why =
                        gap > 0 && classes == 2 && accuracy[peak].mean > 0.9
                        ? " — the shift shrinks the outputs towards 0 while their signs stay right." : "."
                    text +=
                        " At the ECE peak (`\(shifts[peak].name)`) the outputs are **\(gap > 0 ? "under" : "over")-confident**: mean confidence "
                        + "\(confidence.text()) against accuracy \(accuracy[peak].text())" + why
                }
            }
            let last = shifts.count - 1
            let chance = 1 / Double(max(classes, 2))
            if flipsGrow, peak < last, ece[last].mean < ece[peak].mean - 0.05, accuracy[last].mean < chance + 0.1, ece[last].mean < 0.05 {
                text +=
                    " ECE peaks at `\(shifts[peak].name)` and falls again: under the strongest shifts the accuracy is at chance "
                    + "(\(formatSignificant(chance, 2))) and ECE ≈ 0, so the confidence is ≈ \(formatSignificant(chance, 2)) too — "
                    + "the outputs no longer tell the classes apart: calibrated, and useless."
            }
            return text
        }
    }
}
