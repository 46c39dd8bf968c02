import Dynamics
import Studies

extension CellSummary {
    /// The linear control trained identically: the completed cell whose configuration differs only in
    /// its activation (nil for a linear cell, or when the scenario has no such cell).
    func control(in cells: [CellSummary]) -> CellSummary? {
        guard !cell.configuration.model.activation.isLinear else { return nil }
        var linear = cell.configuration
        linear.model.activation = .linear
        return cells.first { $0.cell.configuration == linear && !$0.finals.isEmpty }
    }

    /// The completed runs as the contamination verdict reads them; the risk gap is under `shift`, the
    /// scenario's primary (first) shift.
    func verdictRuns(shift: String?) -> [ContaminationVerdict.Run] {
        zip(seeds, finals).map { seed, run in
            let gap = shift.map { (run[Metric.oodLoss($0)] ?? .nan) - (run[Metric.idLoss] ?? .nan) } ?? .nan
            return ContaminationVerdict.Run(
                seed: seed, growth: run[Metric.backgroundGrowth] ?? .nan, signed: run[Metric.backgroundProjectionSigned] ?? .nan,
                riskGap: gap, trainAccuracy: run[Metric.trainAccuracy] ?? .nan)
        }
    }

    /// The verdict on this configuration, against its linear control when `cells` hold one.
    func verdict(among cells: [CellSummary], shift: String?) -> ContaminationVerdict {
        ContaminationVerdict(verdictRuns(shift: shift), control: control(in: cells)?.verdictRuns(shift: shift))
    }
}

/// How reports state a contamination verdict: a table cell, and a sentence giving the numbers of every
/// condition and the reason that decided — the only place verdict prose is written.
struct VerdictText {
    let verdict: ContaminationVerdict
    /// The primary shift's name (the risk gap's), if the scenario has shifts.
    let shift: String?
    /// Whether the verdict is on a linear network, which is the control rather than compared with one.
    var ofLinearNetwork = false

    /// The rule, for the report's method line.
    static var rule: String {
        let margin = formatSignificant(ContaminationVerdict.growthMargin, 2)
        return "Contamination verdict (95% t-intervals over seeds, paired by seed with the linear control trained identically "
            + "where the scenario has one): **yes** when `background_growth` is above \(margin)× the control's (without a "
            + "control, above \(margin)), the OOD − ID risk gap under the first shift is above the control's, and "
            + "`background_projection_signed` is above 0 (Thm 4.2's sign); **yes (unsigned)** when only the sign condition fails (its interval reaches 0 or lies below it); "
            + "**no** when an interval lies on the wrong side; **inconclusive** when one straddles its threshold (with the "
            + "seeds that would likely decide it). A control that does not fit its training set (train accuracy ≥ "
            + "\(formatSignificant(ContaminationVerdict.controlFit, 2)) on every seed) is no control: the verdict is then the one "
            + "without a control, and says so."
    }

    /// The short form for tables.
    var label: String {
        var notes: [String] = []
        let base: String
        switch verdict.outcome {
        case .yes: base = "**yes**"
        case .yesUnsigned: (base, notes) = ("**yes**", ["unsigned"])
        case .no: base = "no"
        case .inconclusive: (base, notes) = ("inconclusive", verdict.seedsNeeded.map { ["≈\($0) seeds"] } ?? [])
        }
        if verdict.controlFits == false { notes.append("control fails") }
        return notes.isEmpty ? base : "\(base) (\(notes.joined(separator: "; ")))"
    }

    /// Whether the numbers compare with a control (one that fits its training set).
    var hasControl: Bool { verdict.controlFits == true }

    /// "background growth 6.3× the linear control's (95% CI 4.1–9.6×, 5 paired seeds)".
    var growthText: String {
        let factor = verdict.growthFactor, n = verdict.logGrowthRatio.values.count
        // No seed the run and its control share (some of either failed, diverged or are missing).
        guard n > 0 else { return "background growth not compared: no seed has both this run and the linear control" }
        let interval =
            n >= 2
            ? "95% CI \(formatSignificant(factor.lower, 3))–\(formatSignificant(factor.upper, 3))×, \(n) \(hasControl ? "paired " : "")seeds"
            : "\(n) seed, no interval"
        return "background growth \(formatSignificant(factor.mean, 3))×\(hasControl ? " the linear control's" : "") (\(interval))"
    }

    /// "an OOD − ID risk gap under `flip` 0.42 ± 0.08 above the control's".
    var riskText: String? {
        guard let risk = verdict.riskGapBeyondControl, let shift else { return nil }
        return "an OOD − ID risk gap under `\(shift)` of \(signedText(risk)) beyond the control's"
    }

    var signedProjectionText: String { "signed background projection \(signedText(verdict.signed))" }

    func signedText(_ estimate: Estimate) -> String { (estimate.mean > 0 ? "+" : "") + estimate.text() }

    /// The verdict with every condition's numbers and the reason that decided; with a failed control,
    /// first that it is no control.
    var sentence: String {
        guard let failure = controlFailure else { return judged }
        return failure + "; judged alone: " + judged
    }

    /// That the linear control does not fit its training set and so is no control, with its train
    /// accuracy; nil when the control fits or there is none. Verdicts sharing one control state it once.
    var controlFailure: String? {
        guard verdict.controlFits == false else { return nil }
        let fit = verdict.controlTrainAccuracy?.text() ?? "–"
        return "The linear control does not fit its training set (train accuracy \(fit); a control must reach "
            + "\(formatSignificant(ContaminationVerdict.controlFit, 2)) on every seed), so it is **no control** and nothing is "
            + "compared with it"
    }

    /// What the growth was compared with, ending the "no" sentence.
    var comparedWith: String {
        if hasControl { return " the control's." }
        if verdict.controlFits != nil { return "." }
        return ofLinearNetwork ? " (a linear network is the control, judged alone)." : " (this scenario has no linear control to compare with)."
    }

    /// Why the sign condition failed: the signed projection's interval reaches 0, or lies below it.
    var signFailure: String {
        if verdict.signedTest == .below {
            return "the background weights grew, but the signed projection is negative, against Thm 4.2's sign "
                + "(the background still couples into the outputs, with the other sign)."
        }
        return "the background weights grew, but the signed projection's interval reaches 0, so Thm 4.2's sign is not "
            + "established (weights growing in both directions still couple the background into the outputs)"
            + {
                if case let .undecided(seeds?) = verdict.signedTest {
                    return "; about \(seeds) seeds would likely settle the sign at the observed spread."
                }
                return "."
            }()
    }

    var judged: String {
        let margin = formatSignificant(ContaminationVerdict.growthMargin, 2)
        let evidence = ([growthText] + [riskText].compactMap { $0 } + [signedProjectionText]).joined(separator: ", ")
        switch (verdict.outcome, verdict.decidedBy) {
        case (.yes, _):
            return "**Verdict: feature contamination** — \(evidence); the signed projection is positive, Thm 4.2's sign."
        case (.yesUnsigned, _):
            return "**Verdict: feature contamination, unsigned** — \(evidence): " + signFailure
        case (.no, .riskGap?):
            return "**Verdict: no contamination** — \(evidence): the OOD − ID risk gap is below the linear control's, so the "
                + "background weights it learnt do not cost it risk under the shift."
        case (.no, _):
            return "**Verdict: no contamination** — \(evidence): the growth interval lies below \(margin)×"
                + comparedWith
        case (.inconclusive, let condition):
            let which = condition == .riskGap ? "the risk gap's interval straddles 0" : "the growth interval straddles \(margin)×"
            let seeds =
                verdict.seedsNeeded.map { "about \($0) seeds would likely decide it at the observed spread" }
                ?? (verdict.logGrowthRatio.values.count < 2
                    ? "one seed gives no interval; run at least 3" : "the observed spread gives no seed count that would decide it")
            return "**Verdict: inconclusive** — \(evidence): \(which); \(seeds)."
        }
    }
}
