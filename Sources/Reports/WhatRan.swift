import Dynamics
import Scenarios

/// The report's account of what ran, generated from the resolved configurations of the runs: what
/// every configuration shares is said once; what differs across the grid is said per group of
/// configurations, with their run counts — so the account never describes a setting no run used.
struct WhatRan {
    let scenario: Scenario
    let outcomes: [RunOutcome]

    var text: String {
        var lines = [
            "**What ran.** \(outcomes.count) runs: \(scenario.cells.count) configuration\(scenario.cells.count == 1 ? "" : "s") × \(scenario.seeds.count) seeds (\(scenario.seeds.map(String.init).joined(separator: ", ")))."
        ]
        if !scenario.sweep.isEmpty {
            lines.append(
                "Grid: " + scenario.sweep.map { "`\($0.path)` ∈ {\($0.values.map(\.compactText).joined(separator: ", "))}" }.joined(separator: "; ")
                    + ".")
        }
        let activationSwept = Set(scenario.cells.map(\.configuration.model.activation)).count > 1
        if scenario.base.transfer != nil {
            lines.append(describe("Dictionary", { $0.transfer.map(Self.world) ?? "–" }))
            lines.append(describe("Tasks", { $0.transfer.map(Self.tasks) ?? "–" }))
            lines.append(describe("Network", { Self.network($0, activation: !activationSwept) }))
            lines.append(describe("Stages, in order", { $0.transfer.map(Self.stages) ?? "–" }))
            return lines.joined(separator: " ") + "\n"
        }
        lines.append(describe("Data", Self.data))
        lines.append(describe("Network", { Self.network($0, activation: !activationSwept) }))
        lines.append(describe("Training", Self.training))
        return lines.joined(separator: " ") + "\n"
    }

    /// `part` of every configuration: once when they all agree, else each version with the
    /// configurations (and runs) that used it.
    func describe(_ part: String, _ text: (RunConfiguration) -> String) -> String {
        var groups: [(text: String, cells: [SweepCell])] = []
        for cell in scenario.cells {
            let line = text(cell.configuration)
            if let i = groups.firstIndex(where: { $0.text == line }) { groups[i].cells.append(cell) } else { groups.append((line, [cell])) }
        }
        guard groups.count > 1 else { return "\(part): \(groups.first?.text ?? "–")." }
        let seeds = scenario.seeds.count
        return "\(part), by configuration: "
            + groups.map { group in
                // Name the group by the swept values its configurations share, else by their labels.
                let shared = group.cells[0].assignments.filter { value in
                    group.cells.allSatisfy { cell in cell.assignments.contains { $0.column == value.column && $0.value == value.value } }
                }
                let count = group.cells.count == 1 ? "" : " (\(group.cells.count) configurations)"
                let who =
                    !shared.isEmpty
                    ? shared.map { "\($0.column)=\($0.value)" }.joined(separator: ", ") + count
                    : group.cells.count <= 3
                        ? group.cells.map(\.label).joined(separator: "; ") : "\(group.cells.count) configurations, e.g. \(group.cells[0].label)"
                return "\(group.text) [\(who); \(group.cells.count * seeds) runs]"
            }.joined(separator: "; ") + "."
    }

    static func data(_ c: RunConfiguration) -> String {
        let d = c.data
        let core: String
        switch d.core {
        case let .sign(dist): core = "\(d.coreCount) core features with coefficients y·|\(dist.label)|"
        case let .radius(p, q): core = "\(d.coreCount) core features on spheres of radius \(p.compact) (y=+1) and \(q.compact) (y=−1)"
        case let .classBlocks(signal, noise):
            core =
                "\(d.classes) classes, each owning \(d.coreFeaturesPerClass) of \(d.coreCount) core features (own block \(signal.label), every core coefficient + N(0, \(noise.compact)²)), training prior \(d.prior.label), class-balanced test sets"
        }
        return
            "d = \(d.dimension), \(core), \(d.backgroundCount) background features with coefficients \(d.background.label) independent of the label (\(d.basis.rawValue) orthonormal dictionary)\(d.noise > 0 ? ", isotropic noise σ = \(d.noise.compact)" : ""); \(d.trainSize) training and \(d.testSize) ID test samples"
    }

    static func world(_ t: TransferConfiguration) -> String {
        let w = t.world
        return "d = \(w.dimension), orthonormal random directions: \(w.coreCount) core\(w.freshCount > 0 ? ", \(w.freshCount) fresh core" : ""), "
            + "\(w.backgroundCount) background (coefficients \(w.background.label), independent of the label) and a trigger t of strength "
            + "τ = \(w.triggerStrength.compact); isotropic noise σ = \(w.noise.compact)"
    }

    static func tasks(_ t: TransferConfiguration) -> String {
        t.tasks.map { task in
            let trigger = task.trigger.map { "trigger " + $0.text } ?? "clean"
            return "\(task.name): \(task.classes) classes, each owning \(task.perClass) \(task.coreFrom == .fresh ? "fresh " : "")core "
                + "direction\(task.perClass == 1 ? "" : "s") (\(task.views.count == task.perClass ? "one per sample" : "samples carry only view\(task.views.count == 1 ? "" : "s") " + task.views.map(String.init).joined(separator: ", ")), coefficient \(task.signal.label))"
                + (task.cue.map { " and a cue, class y's fresh direction f_y with coefficient \($0.label)" } ?? "")
                + ", \(task.trainSize) training and "
                + "\(task.testSize) test samples, \(trigger); ASR counts class \(task.attackLabel)"
        }.joined(separator: "; ")
    }

    static func stages(_ t: TransferConfiguration) -> String {
        t.stages.map { stage in
            let batch: String
            switch stage.batch {
            case .full: batch = "full batch"
            case let .samples(b): batch = "batches of \(b)"
            }
            let evaluated = stage.alsoOn.isEmpty ? "" : ", also evaluated on \(stage.alsoOn.joined(separator: ", "))"
            guard stage.steps > 0 else { return "\(stage.name) on \(stage.task) from \(TransferFindings.origin(stage)), not trained\(evaluated)" }
            return
                "\(stage.name) on \(stage.task) from \(TransferFindings.origin(stage)), training \(stage.adapter != nil || stage.distillFrom != nil ? TransferFindings.trains(stage) : stage.trains == .head ? "the head only" : "every layer"), "
                + "\(stage.steps) steps, \(batch), \(stage.optimizer.summary)\(stage.schedule == .constant ? "" : ", \(describe(stage.schedule))")"
                + evaluated
        }.joined(separator: "; ") + "; softmax cross-entropy throughout"
    }

    static func network(_ c: RunConfiguration, activation: Bool) -> String {
        let m = c.model, d = c.data
        let second = m.trainOutput ? "trained" : d.isMulticlass ? "frozen (neuron r feeds class r mod K with 1/m)" : "frozen at ±1/m"
        return
            "two-layer, width \(m.width), \(activation ? m.activation.label : "the activation of the grid"), hidden bias \(m.hiddenBias ? "on" : "off"), \(m.initialization == .pytorch ? "PyTorch default init" : "Gaussian init"), second layer \(second)"
    }

    static func training(_ c: RunConfiguration) -> String {
        let t = c.training
        let optimizer = t.optimizer.summary + (t.schedule == .constant ? "" : ", \(describe(t.schedule))")
        let batch: String
        switch t.batch {
        case .full: batch = "full batch"
        case let .samples(b): batch = "mini-batches of \(b)"
        }
        return
            "\(t.loss.rawValue) loss, \(t.steps) steps, \(batch) (\(t.sampling == .fresh ? "fresh samples each step" : "fixed training set")), \(optimizer); probes every \(c.probeInterval) steps; trained in the \(c.effectiveRepresentation == .featureBasis ? "feature basis (exact for this optimiser)" : "ambient space")"
            + (t.precision == .float64 ? "" : " in \(t.precision.rawValue) (probes measured in float64)")
    }

    static func describe(_ schedule: LearningRateSchedule) -> String {
        var text: String
        switch schedule.shape {
        case .constant: text = "constant learning rate"
        case let .step(size, gamma): text = "learning rate × \(gamma.compact) every \(size) steps"
        case let .cosine(minimum): text = "cosine learning-rate decay to \(minimum.compact)"
        }
        if schedule.warmup > 0 { text += " after \(schedule.warmup) warm-up steps" }
        return text
    }
}
