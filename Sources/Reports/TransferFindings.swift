import Dynamics
import Studies

/// The findings of a transfer protocol, per configuration: a table of every stage's metrics (mean ±
/// 95% CI over seeds), then sentences that each compare two stages measured on the same task, paired
/// by seed — a transferred stage against the stage trained from scratch, and stages that differ only
/// in their optimiser's settings (e.g. weight decay) — and what the first layer kept of the trigger.
struct TransferFindings {
    let cells: [CellSummary]

    /// The configurations with a transfer protocol and completed runs.
    var available: [(cell: CellSummary, transfer: TransferConfiguration)] {
        cells.compactMap { cell in cell.cell.configuration.transfer.map { (cell, $0) } }.filter { !$0.cell.finals.isEmpty }
    }

    static let method =
        "Mean ± half-width of the 95% t-interval over seeds. Each stage is measured at its end on its task's clean test set: "
        + "the attack success rate (ASR) is the share of test samples *not* of the task's attack class that the network "
        + "classifies as that class once the trigger τ·t is added; the flip rate, the share of test samples whose "
        + "prediction the trigger changes; the trigger projection, the mean over neurons of |w_j · t|; the core and "
        + "background projections, the mean over neurons of the norm of w_j's components along the task's core directions "
        + "and along the background directions. Differences are paired by seed."

    var markdown: String {
        var out = Self.method + "\n\n"
        for (cell, transfer) in available {
            if available.count > 1 { out += "### \(cell.label)\n\n" }
            out += table(cell, transfer) + "\n"
            out += sentences(cell, transfer).map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        return out
    }

    func table(_ cell: CellSummary, _ transfer: TransferConfiguration) -> String {
        let metrics = TransferMetric.allCases
        var out = "| stage | task | from | trains | " + metrics.map(\.label).joined(separator: " | ") + " |\n"
        out += "|---|---|---|---|" + metrics.map { _ in "---:|" }.joined() + "\n"
        for stage in transfer.stages {
            out +=
                "| `\(stage.name)` | \(stage.task) | \(Self.origin(stage)) | \(stage.trains.rawValue) | "
                + metrics.map { cell.estimate($0.name(stage: stage.name)).text() }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// "scratch", or "pretrain (new head)".
    static func origin(_ stage: TransferStage) -> String {
        switch stage.start {
        case .scratch: "scratch"
        case let .stage(source): "\(source) (\(stage.head == .new ? "new head" : "its head"))"
        }
    }

    /// The paired difference a − b of one metric between two stages, over the seeds that have both.
    static func difference(_ cell: CellSummary, _ metric: TransferMetric, _ a: String, _ b: String) -> Estimate {
        Estimate(cell.finals.map { ($0[metric.name(stage: a)] ?? .nan) - ($0[metric.name(stage: b)] ?? .nan) })
    }

    static func signed(_ estimate: Estimate) -> String { (estimate.mean > 0 ? "+" : "") + estimate.text() }

    func sentences(_ cell: CellSummary, _ transfer: TransferConfiguration) -> [String] {
        var lines: [String] = []
        let asr = { (stage: String) in cell.estimate(TransferMetric.attackSuccessRate.name(stage: stage)) }
        let accuracy = { (stage: String) in cell.estimate(TransferMetric.accuracy.name(stage: stage)) }
        let trigger = { (stage: String) in cell.estimate(TransferMetric.triggerProjection.name(stage: stage)) }
        // Stages trained from scratch on a task that plants the trigger: did they learn it?
        for stage in transfer.stages where stage.start == .scratch {
            guard let task = transfer.task(of: stage), let plant = task.trigger else { continue }
            let how: String
            switch plant {
            case let .classConditional(label, fraction): how = "in \(formatSignificant(fraction * 100, 3))% of class \(label)'s training samples"
            case let .poison(label, fraction): how = "in \(formatSignificant(fraction * 100, 3))% of its training samples, relabelled \(label)"
            case let .uncorrelated(fraction): how = "in \(formatSignificant(fraction * 100, 3))% of its training samples, independent of the label"
            }
            lines.append(
                "`\(stage.name)` trained with the trigger planted \(how): ASR \(asr(stage.name).text()) on task \(task.name) "
                    + "(clean accuracy \(accuracy(stage.name).text())), trigger projection \(trigger(stage.name).text()).")
        }
        // Each transferred stage against the from-scratch stage on the same task with the same optimiser (else any).
        for stage in transfer.stages {
            guard case let .stage(source) = stage.start else { continue }
            let scratches = transfer.stages.filter { $0.task == stage.task && $0.start == .scratch }
            guard let scratch = scratches.first(where: { $0.optimizer == stage.optimizer }) ?? scratches.first else { continue }
            let gap = Self.difference(cell, .attackSuccessRate, stage.name, scratch.name)
            let kept =
                stage.trains == .head
                ? "its first layer is `\(source)`'s, unchanged (trigger projection \(trigger(stage.name).text()))"
                : "its trigger projection went from \(trigger(source).text()) to \(trigger(stage.name).text())"
            lines.append(
                "`\(stage.name)` (from `\(source)`, training \(stage.trains == .head ? "the head only" : "every layer")): ASR "
                    + "\(asr(stage.name).text()) against \(asr(scratch.name).text()) for `\(scratch.name)` from scratch on the same task "
                    + "(difference \(Self.signed(gap))), clean accuracy \(accuracy(stage.name).text()) against "
                    + "\(accuracy(scratch.name).text()); \(kept).")
        }
        // Stages identical but for the optimiser's settings.
        for (i, a) in transfer.stages.enumerated() {
            for b in transfer.stages[(i + 1)...]
            where a.task == b.task && a.start == b.start && a.head == b.head && a.trains == b.trains && a.steps == b.steps
                && a.batch == b.batch && a.schedule == b.schedule && a.optimizer != b.optimizer
            {
                let gap = Self.difference(cell, .attackSuccessRate, b.name, a.name)
                lines.append(
                    "`\(b.name)` (\(b.optimizer.settingsLabel)) against `\(a.name)` (\(a.optimizer.settingsLabel)), otherwise identical: "
                        + "ASR \(asr(b.name).text()) against \(asr(a.name).text()) (difference \(Self.signed(gap))), trigger projection "
                        + "\(trigger(b.name).text()) against \(trigger(a.name).text()).")
            }
        }
        return lines
    }
}
