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

    /// How the table's numbers are measured (the trigger's only when a task plants one).
    static func method(trigger: Bool, cooccurring: Bool, latent: Bool) -> String {
        "Mean ± half-width of the 95% t-interval over seeds. Each stage is measured at its end on its task's clean test set"
            + (trigger
                ? ": the attack success rate (ASR) is the share of test samples *not* of the task's attack class that the network "
                    + "classifies as that class once the trigger τ·t is added; the flip rate, the share of test samples whose "
                    + "prediction the trigger changes; "
                    + (cooccurring
                        ? "the co-occurrence gap, ½[(accuracy on the other classes without − with the trigger) + (accuracy on the "
                            + "attack class with − without)], read on the same test samples with and without τ·t; " : "")
                    + (latent ? "the ASR at m·τ, the same with m·τ·t added (a trigger weight that was only out-voted shows at m > 1); " : "")
                    + "the trigger projection, the mean over neurons of |w_j · t|; the core and "
                : " (and on the further tasks it names); the core and ")
            + "background projections, the mean over neurons of the norm of w_j's components along the task's core directions "
            + "and along the background directions. Differences are paired by seed."
    }

    var markdown: String {
        let trigger = available.contains { $0.transfer.plantsTrigger }
        var out =
            Self.method(
                trigger: trigger, cooccurring: available.contains { $0.transfer.plantsCooccurrence },
                latent: available.contains { !$0.transfer.world.asrMultiples.isEmpty }) + "\n\n"
        for (cell, transfer) in available {
            if available.count > 1 { out += "### \(cell.label)\n\n" }
            out += table(cell, transfer) + "\n"
            out += calibrationTable(cell, transfer) + "\n"
            out += sentences(cell, transfer).map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        return out
    }

    /// The metrics a protocol's table shows: the trigger's only when a task plants one, the
    /// co-occurrence gap only when a task plants it at per-class rates.
    static func metrics(_ transfer: TransferConfiguration) -> [TransferMetric] {
        let trigger: Set<TransferMetric> = [.attackSuccessRate, .flipRate, .triggerProjection]
        return TransferMetric.allCases.filter { metric in
            metric == .cooccurrenceGap ? transfer.plantsCooccurrence : transfer.plantsTrigger || !trigger.contains(metric)
        }
    }

    /// The metrics that read the network's head (meaningless for a distillation stage, whose head is untrained).
    static let headDependent: Set<TransferMetric> = [.accuracy, .trainAccuracy, .attackSuccessRate, .flipRate, .cooccurrenceGap]

    /// "2τ": a multiple of the trigger's strength.
    static func strength(_ multiple: Double) -> String { "\(multiple.compact)τ" }

    /// Whether a stage's table cell shows the metric: a distilled first layer is read through a head it
    /// never trained with, so it has no accuracies of its own.
    static func shows(_ stage: TransferStage, _ metric: TransferMetric) -> Bool {
        stage.distillFrom == nil || !headDependent.contains(metric)
    }

    func table(_ cell: CellSummary, _ transfer: TransferConfiguration) -> String {
        let metrics = Self.metrics(transfer), others = transfer.furtherTasks, multiples = transfer.world.asrMultiples
        var out =
            "| stage | task | from | trains | " + metrics.map(\.label).joined(separator: " | ")
            + multiples.map { " | ASR at \(Self.strength($0))" }.joined() + others.map { " | accuracy on \($0)" }.joined() + " |\n"
        out += "|---|---|---|---|" + (metrics.map { _ in "---:|" } + multiples.map { _ in "---:|" } + others.map { _ in "---:|" }).joined() + "\n"
        for stage in transfer.stages {
            out +=
                "| `\(stage.name)` | \(stage.task) | \(Self.origin(stage)) | \(Self.trains(stage)) | "
                + metrics.map { metric in Self.shows(stage, metric) ? cell.estimate(metric.name(stage: stage.name)).text() : "–" }
                .joined(separator: " | ")
                + multiples.map { multiple in
                    " | "
                        + (Self.shows(stage, .attackSuccessRate)
                            ? cell.estimate(TransferMetric.asrName(stage: stage.name, multiple: multiple)).text() : "–")
                }.joined()
                + others.map { task in
                    " | " + (stage.alsoOn.contains(task) ? cell.estimate(TransferMetric.accuracyName(stage: stage.name, on: task)).text() : "–")
                }.joined() + " |\n"
        }
        return out
    }

    /// What a stage trains: "all", "head", "adapter + head" (with its drop, EMA and scale), or
    /// "none" for an evaluation-only stage.
    static func trains(_ stage: TransferStage) -> String {
        guard stage.steps > 0 else { return "none (evaluated as it starts)" }
        if let teacher = stage.distillFrom {
            return "first layer, to \(teacher)'s representation" + (stage.distillProjection.map { " (\($0) random projections of it)" } ?? "")
        }
        guard let adapter = stage.adapter else { return stage.trains.rawValue }
        var parts = [adapter.rank.map { "rank \($0)" } ?? "full rank"]
        if adapter.drop > 0 { parts.append("drop \(formatSignificant(adapter.drop, 3))") }
        if let ema = adapter.ema { parts.append("EMA \(formatSignificant(ema, 4))") }
        if adapter.scale != 1 { parts.append("α \(formatSignificant(adapter.scale, 3))") }
        return "adapter (\(parts.joined(separator: ", "))) + head"
    }

    /// "scratch", or "pretrain (new head)".
    static func origin(_ stage: TransferStage) -> String {
        switch stage.start {
        case .scratch: "scratch"
        case let .stage(source):
            "\(source) (\(stage.head == .new ? "new head" : stage.head == .zero ? "zero head" : "its head"))"
        case let .interpolation(mix): "\(formatSignificant(1 - mix.alpha, 3))·\(mix.from) + \(formatSignificant(mix.alpha, 3))·\(mix.to)"
        }
    }

    /// The paired difference a − b of one metric between two stages, over the seeds that have both.
    static func difference(_ cell: CellSummary, _ metric: TransferMetric, _ a: String, _ b: String) -> Estimate {
        pairedDifference(cell, metric.name(stage: a), metric.name(stage: b))
    }

    /// The difference of two metrics over the seeds, run by run (paired by seed).
    static func pairedDifference(_ cell: CellSummary, _ a: String, _ b: String) -> Estimate {
        Estimate(cell.finals.map { ($0[a] ?? .nan) - ($0[b] ?? .nan) })
    }

    /// Whether two stages are the same in everything but their names and what `copy` sets in `b` from
    /// `a`: the pairs whose difference a sentence can attribute to that one setting.
    static func alike(_ a: TransferStage, _ b: TransferStage, except copy: (inout TransferStage, TransferStage) -> Void) -> Bool {
        var other = b
        copy(&other, a)
        other.name = a.name
        return other == a
    }

    static func signed(_ estimate: Estimate) -> String { (estimate.mean > 0 ? "+" : "") + estimate.text() }

    func sentences(_ cell: CellSummary, _ transfer: TransferConfiguration) -> [String] {
        var lines: [String] = []
        let triggered = transfer.plantsTrigger
        let own = { (name: String) in transfer.stage(named: name)?.task ?? "" }
        let asr = { (stage: String) in cell.estimate(TransferMetric.attackSuccessRate.name(stage: stage)) }
        let accuracy = { (stage: String) in cell.estimate(TransferMetric.accuracy.name(stage: stage)) }
        let trigger = { (stage: String) in cell.estimate(TransferMetric.triggerProjection.name(stage: stage)) }
        let gapOf = { (stage: String) in cell.estimate(TransferMetric.cooccurrenceGap.name(stage: stage)) }
        // Stages trained from scratch on a task that plants the trigger: did they learn it?
        for stage in transfer.stages where stage.start == .scratch {
            guard let task = transfer.task(of: stage), let plant = task.trigger else { continue }
            lines.append(
                "`\(stage.name)` trained with the trigger planted \(plant.text): ASR \(asr(stage.name).text()) on task \(task.name) "
                    + "(clean accuracy \(accuracy(stage.name).text())), trigger projection \(trigger(stage.name).text()).")
        }
        // Each transferred stage against the from-scratch stage on the same task with the same optimiser (else any).
        for stage in transfer.stages {
            guard case let .stage(source) = stage.start else { continue }
            let scratches = transfer.stages.filter { $0.task == stage.task && $0.start == .scratch && $0.distillFrom == nil }
            guard let scratch = scratches.first(where: { $0.optimizer == stage.optimizer }) ?? scratches.first else { continue }
            let how = "`\(stage.name)` (from `\(source)`, training \(stage.trains == .head ? "the head only" : "every layer"))"
            guard triggered else {
                lines.append(
                    how + " against `\(scratch.name)` from scratch on the same task: " + Self.accuracyComparison(cell, stage, scratch) + ".")
                continue
            }
            let gap = Self.difference(cell, .attackSuccessRate, stage.name, scratch.name)
            let gaps =
                transfer.plantsCooccurrence
                ? "co-occurrence gap \(gapOf(stage.name).text()) against \(gapOf(scratch.name).text()) (difference "
                    + "\(Self.signed(Self.difference(cell, .cooccurrenceGap, stage.name, scratch.name)))), " : ""
            let multiples = transfer.world.asrMultiples
            let latent =
                multiples.isEmpty
                ? ""
                : "; with the trigger at " + multiples.map(Self.strength).joined(separator: ", ") + " its ASR is "
                    + multiples.map { cell.estimate(TransferMetric.asrName(stage: stage.name, multiple: $0)).text() }.joined(separator: ", ")
                    + " (from scratch "
                    + multiples.map { cell.estimate(TransferMetric.asrName(stage: scratch.name, multiple: $0)).text() }.joined(separator: ", ") + ")"
            let kept =
                stage.trains == .head
                ? "its first layer is `\(source)`'s, unchanged (trigger projection \(trigger(stage.name).text()))"
                : "its trigger projection went from \(trigger(source).text()) to \(trigger(stage.name).text())"
            lines.append(
                how + ": ASR \(asr(stage.name).text()) against \(asr(scratch.name).text()) for `\(scratch.name)` from scratch on the same task "
                    + "(difference \(Self.signed(gap))), \(gaps)clean accuracy \(accuracy(stage.name).text()) against "
                    + "\(accuracy(scratch.name).text()); \(kept)\(latent).")
        }
        // Stages identical but for their starting network (e.g. probes of a teacher and of its distilled student).
        for (i, a) in transfer.stages.enumerated() {
            for b in transfer.stages[(i + 1)...]
            where a.start != b.start && a.start != .scratch && b.start != .scratch && a.distillFrom == nil && b.distillFrom == nil
                && a.steps > 0 && Self.alike(a, b, except: { $0.start = $1.start })
            {
                let compared = Self.accuracyComparison(cell, b, a)
                lines.append(
                    "`\(b.name)` (from \(Self.origin(b))) against `\(a.name)` (from \(Self.origin(a))), trained alike: "
                        + compared + "; background projection \(cell.estimate(TransferMetric.backgroundProjection.name(stage: b.name)).text()) "
                        + "against \(cell.estimate(TransferMetric.backgroundProjection.name(stage: a.name)).text()).")
            }
        }
        // Stages identical but for the optimiser's settings.
        for (i, a) in transfer.stages.enumerated() {
            for b in transfer.stages[(i + 1)...]
            where a.optimizer != b.optimizer && Self.alike(a, b, except: { $0.optimizer = $1.optimizer }) {
                let compared: String
                if triggered {
                    compared =
                        "ASR \(asr(b.name).text()) against \(asr(a.name).text()) (difference "
                        + "\(Self.signed(Self.difference(cell, .attackSuccessRate, b.name, a.name)))), trigger projection "
                        + "\(trigger(b.name).text()) against \(trigger(a.name).text())"
                } else {
                    compared = Self.accuracyComparison(cell, b, a)
                }
                lines.append(
                    "`\(b.name)` (\(b.optimizer.settingsLabel)) against `\(a.name)` (\(a.optimizer.settingsLabel)), otherwise identical: "
                        + compared + ".")
            }
        }
        // Adapter ablations: stages identical but for the adapter's settings (drop, EMA, rank).
        for (i, a) in transfer.stages.enumerated() {
            for b in transfer.stages[(i + 1)...]
            where a.adapter != nil && b.adapter != nil && a.adapter != b.adapter && Self.alike(a, b, except: { $0.adapter = $1.adapter }) {
                lines.append(
                    "`\(b.name)` (\(Self.trains(b))) against `\(a.name)` (\(Self.trains(a))), otherwise identical: "
                        + Self.accuracyComparison(cell, b, a) + ".")
            }
        }
        // Each further task: the stages evaluated there, best and worst.
        for task in transfer.furtherTasks {
            let evaluated = transfer.stages.filter { $0.alsoOn.contains(task) }
            let scored = evaluated.map { ($0.name, cell.estimate(TransferMetric.accuracyName(stage: $0.name, on: task))) }
            guard let best = scored.max(by: { $0.1.mean < $1.1.mean }), let worst = scored.min(by: { $0.1.mean < $1.1.mean }), scored.count > 1
            else { continue }
            lines.append(
                "On \(task), the highest accuracy of the \(scored.count) stages evaluated there is `\(best.0)`'s, \(best.1.text()) (on its "
                    + "own task \(accuracy(best.0).text())); the lowest `\(worst.0)`'s, \(worst.1.text()) (on its own task "
                    + "\(accuracy(worst.0).text())); difference \(Self.signed(Self.pairedDifference(cell, Self.accuracyName(best.0, on: task, own: own(best.0)), Self.accuracyName(worst.0, on: task, own: own(worst.0)))))."
            )
        }
        // Weight-space combinations against their endpoints, on every task they are evaluated on.
        for stage in transfer.stages {
            guard case let .interpolation(mix) = stage.start else { continue }
            let sets = [stage.task] + stage.alsoOn
            let parts = sets.map { task -> String in
                let here = Self.accuracy(cell, stage.name, on: task, own: stage.task)
                let from = Self.accuracy(cell, mix.from, on: task, own: own(mix.from)), to = Self.accuracy(cell, mix.to, on: task, own: own(mix.to))
                // Above both endpoints: the paired differences to each lie above 0; the smaller is printed.
                let gaps = [mix.from, mix.to].map { end in
                    (
                        end,
                        Self.pairedDifference(
                            cell, Self.accuracyName(stage.name, on: task, own: stage.task), Self.accuracyName(end, on: task, own: own(end)))
                    )
                }
                let closest = gaps.min { $0.1.mean < $1.1.mean }
                let above =
                    gaps.allSatisfy({ $0.1.lower > 0 && $0.1.values.count > 1 }) && closest != nil
                    ? " (above both: \(Self.signed(closest?.1 ?? Estimate([]))) over `\(closest?.0 ?? "")`, the closer)" : ""
                return "\(task) \(here.text())\(above) against \(from.text()) and \(to.text())"
            }
            lines.append(
                "`\(stage.name)` = \(Self.origin(stage)): accuracy on " + parts.joined(separator: "; ")
                    + " for `\(mix.from)` and `\(mix.to)`.")
        }
        return lines
    }

    /// Stage `b`'s accuracy against `a`'s on `a`'s task and on each further task both are evaluated on,
    /// with the paired differences.
    static func accuracyComparison(_ cell: CellSummary, _ b: TransferStage, _ a: TransferStage) -> String {
        ([a.task] + a.alsoOn.filter(b.alsoOn.contains)).map { task in
            "accuracy on \(task) \(accuracy(cell, b.name, on: task, own: b.task).text()) against "
                + "\(accuracy(cell, a.name, on: task, own: a.task).text()) (difference "
                + "\(signed(pairedDifference(cell, accuracyName(b.name, on: task, own: b.task), accuracyName(a.name, on: task, own: a.task)))))"
        }.joined(separator: ", ")
    }

    /// The metric of a stage's accuracy on `task`: its own test set's when `task` is the stage's own
    /// (`own`), else its `also_on` one.
    static func accuracyName(_ stage: String, on task: String, own: String) -> String {
        task == own ? TransferMetric.accuracy.name(stage: stage) : TransferMetric.accuracyName(stage: stage, on: task)
    }

    static func accuracy(_ cell: CellSummary, _ stage: String, on task: String, own: String) -> Estimate {
        cell.estimate(accuracyName(stage, on: task, own: own))
    }

}
