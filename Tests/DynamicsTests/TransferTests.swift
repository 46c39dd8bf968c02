@testable import Dynamics
import Foundation
import GSL
import Numerics
import Schema
import TestSupport
import Testing

/// The research note's BT-1 world (transfer-robustft.md §5): 8 source classes with a class-conditional
/// trigger on class 0, a 4-class target whose classes re-use pairs of source features; fixed-feature,
/// full and scratch transfer, each with weight decay `decay`.
func biasTransferConfiguration(decay: Double = 0, targetTrigger: String = "", targetCore: String = "core", seedSteps: Int = 2000)
    throws -> RunConfiguration
{
    let sgd = #"{"name": "sgd", "lr": 0.05, "weight_decay": \#(decay)}"#
    return try RunConfiguration(
        json: #"""
            {"model": {"width": 64, "activation": "relu", "init": {"gaussian": 0.125}, "output": {"trained": true, "bias": true}},
             "transfer": {
               "world": {"dimension": 64, "core": 8, "fresh_core": 8, "background": 16, "background_coefficients": {"uniform": [0, 0.5]},
                         "noise": 0.3, "trigger_strength": 2, "asr_multiples": [4]},
               "tasks": [
                 {"name": "source", "classes": 8, "train_size": 4000, "test_size": 2000,
                  "trigger": {"kind": "class_conditional", "class": 0, "fraction": 1}},
                 {"name": "target", "classes": 4, "core_per_class": 2, "core_from": "\#(targetCore)", "train_size": 400, "test_size": 2000\#(targetTrigger)}
               ],
               "stages": [
                 {"name": "pretrain", "task": "source", "steps": \#(seedSteps), "batch": 32, "optimizer": {"name": "sgd", "lr": 0.05}},
                 {"name": "fixed", "task": "target", "from": "pretrain", "trains": "head", "steps": 1000, "batch": 32, "optimizer": \#(sgd)},
                 {"name": "full", "task": "target", "from": "pretrain", "steps": 1000, "batch": 32, "optimizer": \#(sgd)},
                 {"name": "scratch", "task": "target", "steps": 1000, "batch": 32, "optimizer": \#(sgd)}
               ]}}
            """#)
}

@Suite("Staged transfer protocols")
struct TransferTests {
    func metrics(_ configuration: RunConfiguration, seeds: Range<UInt64>) throws -> [String: [Double]] {
        try transferRuns(#require(configuration.transfer), model: configuration.model, seeds: seeds).reduce(into: [:]) { out, run in
            for (name, value) in run { out[name, default: []].append(value) }
        }
    }

    /// The 95% t-interval of a metric over seeds.
    func interval(_ values: [Double]?) -> (low: Double, mean: Double, high: Double) {
        let summary = Statistics.summarize(values ?? [])
        let half = summary.halfWidth95 ?? .infinity
        return (summary.mean - half, summary.mean, summary.mean + half)
    }

    @Test("BT-1 (research note §5): the trigger transfers through fixed features, much less through full fine-tuning, not at all from scratch")
    func biasTransfer() throws {
        // Prototype (NumPy, 5 seeds): ASR fixed 0.43 ± 0.06, full 0.07 ± 0.04, scratch 0.02 ± 0.02; source ASR 0.19.
        let m = try metrics(biasTransferConfiguration(), seeds: 0..<5)
        let fixed = interval(m["fixed_asr"]), full = interval(m["full_asr"]), scratch = interval(m["scratch_asr"])
        #expect(interval(m["pretrain_asr"]).low >= 0.1, "the source model learned the trigger")
        #expect(fixed.low >= 0.2 && fixed.low >= 4 * scratch.high, "ASR_fixed ≥ 0.2 and ≥ 4 × ASR_scratch")
        #expect(full.high <= 0.5 * fixed.low, "ASR_full ≤ 0.5 × ASR_fixed")
        // The bias full fine-tuning removed is latent (research note pitfall 2: 0.05 → 0.60 at 2–4 τ): at 4τ it is back,
        // far above what a network trained from scratch shows at 4τ.
        let latentFull = interval(m["full_asr_x4"]), latentScratch = interval(m["scratch_asr_x4"])
        #expect(latentFull.low >= 0.5 && latentFull.low >= 3 * full.high, "ASR_full at 4τ: \(latentFull), at τ: \(full)")
        #expect(latentScratch.high < latentFull.low, "scratch at 4τ: \(latentScratch)")
        let clean = ["fixed", "full", "scratch"].map { interval(m["\($0)_accuracy"]).mean }
        #expect((clean.max() ?? 0) - (clean.min() ?? 1) <= 0.02, "clean accuracies within 0.02: \(clean)")
        // Fresh target directions: the trigger has no shared feature to ride on (negative control ≤ 0.15).
        let control = try metrics(biasTransferConfiguration(targetCore: "fresh"), seeds: 0..<5)
        #expect(interval(control["fixed_asr"]).mean <= 0.15)
    }

    @Test("Weight decay lowers full fine-tuning's ASR but not the fixed-feature ASR beyond its spread")
    func weightDecay() throws {
        let plain = try metrics(biasTransferConfiguration(), seeds: 0..<5)
        let decayed = try metrics(biasTransferConfiguration(decay: 0.01), seeds: 0..<5)
        #expect(interval(decayed["full_asr"]).mean <= interval(plain["full_asr"]).mean)
        let fixedChange = abs(interval(decayed["fixed_asr"]).mean - interval(plain["fixed_asr"]).mean)
        #expect(fixedChange <= Statistics.summarize(plain["fixed_asr"] ?? []).standardDeviation)
    }

    /// `count` training samples (as planted) of a bundled scenario's task, with the seed's dictionary.
    static func sample(_ scenario: String, task name: String, count: Int, seed: UInt64) throws
        -> (transfer: TransferConfiguration, data: TransferData, task: TransferTask, set: Dataset)
    {
        let transfer = try #require(try bundledTransferConfiguration(scenario).transfer)
        let data = TransferData(world: transfer.world, dictionary: try transfer.world.dictionary(seed: seed))
        let task = try #require(transfer.tasks.first { $0.name == name })
        var generator = RandomGenerator(seed: seed, stream: "test")
        return (transfer, data, task, data.sample(task, count: count, planted: true, generator: &generator))
    }

    @Test("A per-class trigger is planted in each class's samples at that class's rate, labels unchanged")
    func perClassPlant() throws {
        let (transfer, data, source, set) = try Self.sample("cooccurrence-bias", task: "source", count: 8000, seed: 3)
        guard case let .perClass(rates)? = source.trigger else {
            Issue.record("the source plants a per-class trigger")
            return
        }
        let t = data.trigger, d = transfer.world.dimension
        // Noise σ = 0.2 along t against τ = 2: a sample carries the trigger iff its projection exceeds τ/2.
        var carried = [Int](repeating: 0, count: source.classes), seen = [Int](repeating: 0, count: source.classes)
        for i in 0..<set.labels.count {
            let projection = (0..<d).reduce(0) { $0 + set.inputs.storage[i * d + $1] * t[$1] }
            seen[set.labels[i]] += 1
            if projection > transfer.world.triggerStrength / 2 { carried[set.labels[i]] += 1 }
        }
        for (label, rate) in rates.enumerated() {
            let share = Double(carried[label]) / Double(seen[label])
            // Four binomial standard deviations at ~1000 samples per class (0.063 at rate ½; 0 at rates 0 and 1).
            let margin = 4 * (rate * (1 - rate) / Double(seen[label])).squareRoot()
            #expect(abs(share - rate) <= margin, "class \(label): share \(share) against rate \(rate)")
        }
    }

    @Test("A cue puts c·f_y, c ~ its distribution, in every sample of class y and nothing along the other classes' cues")
    func cue() throws {
        let (transfer, data, task, set) = try Self.sample("wise-concavity", task: "id", count: 2000, seed: 4)
        let d = transfer.world.dimension
        for cueClass in 0..<task.classes {
            let f = data.row(transfer.world.freshOffset + cueClass)
            let projections = (0..<set.labels.count).map { i in (0..<d).reduce(0) { $0 + set.inputs.storage[i * d + $1] * f[$1] } }
            let own = Statistics.summarize(projections.indices.filter { set.labels[$0] == cueClass }.map { projections[$0] })
            let others = Statistics.summarize(projections.indices.filter { set.labels[$0] != cueClass }.map { projections[$0] })
            // U[0.3, 0.8] has mean 0.55; 4 standard errors at ~500 samples (sd ≈ 0.18 with σ = 0.1) is about 0.03.
            #expect(abs(own.mean - 0.55) <= 0.03, "class \(cueClass): mean cue coefficient \(own.mean)")
            #expect(abs(others.mean) <= 0.03, "class \(cueClass)'s cue on other classes: \(others.mean)")
        }
    }

    @Test("BT-2 (research note §5, the bundled scenario, 5 seeds): a co-occurring feature's bias transfers, most through fixed features")
    func cooccurrenceBias() throws {
        // Prototype (NumPy, 5 seeds), person-free target: gap fixed 0.34 ± 0.04, full 0.10 ± 0.03, scratch −0.01 ± 0.03;
        // balanced target: 0.042, 0.005, 0.001.
        let m = try metrics(bundledTransferConfiguration("cooccurrence-bias"), seeds: 0..<5)
        let gap = { (stage: String) in m["\(stage)_cooccurrence_gap"] ?? [] }
        func paired(_ a: String, _ b: String) -> (low: Double, mean: Double, high: Double) {
            interval(zip(gap(a), gap(b)).map { $0 - $1 })
        }
        // Hard, person-free target: gap_fixed ≥ 0.2; gap_scratch < gap_full < gap_fixed with gap_full ≥ 0.03.
        #expect(interval(gap("fixed")).low >= 0.2)
        #expect(paired("fixed", "full").low > 0 && paired("full", "scratch").low > 0)
        #expect(interval(gap("full")).low >= 0.03)
        // Soft, balanced target: gap_fixed > gap_full ≈ gap_scratch.
        #expect(paired("fixed_balanced", "full_balanced").low > 0)
        #expect(abs(paired("full_balanced", "scratch_balanced").mean) <= 0.02)
        // The clean accuracies agree: the bias is a shortcut the trigger exposes, not a worse fit.
        let clean = ["fixed", "full", "scratch"].map { interval(m["\($0)_accuracy"]).mean }
        #expect((clean.max() ?? 0) - (clean.min() ?? 1) <= 0.02, "clean accuracies within 0.02: \(clean)")
    }

    @Test("A linear probe leaves the first layer bit-identical; a new head is the only change")
    func linearProbe() throws {
        let configuration = try biasTransferConfiguration(seedSteps: 200)
        let outcome = try TransferRun.train(#require(configuration.transfer), model: configuration.model, seed: 3)
        let source = try #require(outcome.networks["pretrain"]), fixed = try #require(outcome.networks["fixed"])
        #expect(fixed.weights == source.weights && fixed.hiddenBias == source.hiddenBias)
        #expect(fixed.outputCount == 4 && source.outputCount == 8)
        let full = try #require(outcome.networks["full"])
        #expect(full.weights != source.weights)
    }

    @Test("Full fine-tuning without noise or trigger in the target leaves w_j·t unchanged; weight decay shrinks it by (1 − ηλ)^T")
    func triggerProjectionIsStructural() throws {
        for decay in [0.0, 0.01] {
            var configuration = try biasTransferConfiguration(decay: decay, seedSteps: 300)
            configuration.transfer?.world.noise = 0
            let transfer = try #require(configuration.transfer)
            let outcome = try TransferRun.train(transfer, model: configuration.model, seed: 1)
            let t = outcome.data.trigger
            func projections(_ network: TwoLayerNetwork) -> [Double] {
                (0..<network.width).map { j in (0..<t.count).reduce(0) { $0 + network.weights[j, $1] * t[$1] } }
            }
            let before = projections(try #require(outcome.networks["pretrain"]))
            let after = projections(try #require(outcome.networks["full"]))
            // Every target input lies in span{u, v}, ⊥ t: plain SGD's update has no t component, and
            // coupled weight decay multiplies w by (1 − ηλ) each of the T = 1000 steps.
            let factor = pow(1 - 0.05 * decay, 1000)
            for (b, a) in zip(before, after) {
                #expect(a.isApproximatelyEqual(to: factor * b, absoluteTolerance: 1e-12))
            }
            #expect(before.contains { abs($0) > 0.05 }, "the source stage put weight on the trigger")
        }
    }

    @Test("Transfer specs with a bad stage order, task, head or size are errors naming the field")
    func validation() throws {
        func problem(_ edit: (inout String) -> Void) -> ScenarioError? {
            var text = #"""
                {"model": {"output": {"trained": true}},
                 "transfer": {"world": {"dimension": 32, "core": 8, "background": 4},
                   "tasks": [{"name": "a", "classes": 8}, {"name": "b", "classes": 4, "core_per_class": 2}],
                   "stages": [{"name": "one", "task": "a"}, {"name": "two", "task": "b", "from": "one", "trains": "head"}]}}
                """#
            edit(&text)
            return thrown { () throws(ScenarioError) in _ = try RunConfiguration(json: text) }
        }
        #expect(problem { _ in } == nil)
        let later = problem {
            $0 = $0.replacingOccurrences(of: #"{"name": "one", "task": "a"}"#, with: #"{"name": "one", "task": "a", "from": "two"}"#)
        }
        #expect(later?.path == "transfer.stages[0].from" && later?.message.contains("runs later") == true)
        let missing = problem { $0 = $0.replacingOccurrences(of: #""from": "one""#, with: #""from": "zero""#) }
        #expect(missing?.path == "transfer.stages[1].from" && missing?.message.contains("is not a stage") == true)
        let task = problem { $0 = $0.replacingOccurrences(of: #""task": "b""#, with: #""task": "c""#) }
        #expect(task?.path == "transfer.stages[1].task")
        let head = problem { $0 = $0.replacingOccurrences(of: #""trains": "head""#, with: #""head": "inherited""#) }
        #expect(head?.path == "transfer.stages[1].head" && head?.message.contains("same classes") == true)
        let scratchProbe = problem {
            $0 = $0.replacingOccurrences(of: #"{"name": "one", "task": "a"}"#, with: #"{"name": "one", "task": "a", "trains": "head"}"#)
        }
        #expect(scratchProbe?.path == "transfer.stages[0].trains")
        let small = problem { $0 = $0.replacingOccurrences(of: #""dimension": 32"#, with: #""dimension": 12"#) }
        #expect(small?.path == "transfer.world.dimension")
        let classes = problem { $0 = $0.replacingOccurrences(of: #""classes": 4, "core_per_class": 2"#, with: #""classes": 4, "core_per_class": 3"#) }
        #expect(classes?.path == "transfer.tasks[1].classes")
        let frozen = problem { $0 = $0.replacingOccurrences(of: #""trained": true"#, with: #""trained": false"#) }
        #expect(frozen?.path == "model.output.trained")
        let adapterProbe = problem { $0 = $0.replacingOccurrences(of: #""trains": "head""#, with: #""trains": "head", "adapter": {"drop": 0.2}"#) }
        #expect(adapterProbe?.path == "transfer.stages[1].trains" && adapterProbe?.message.contains("freezes the layer the adapter trains") == true)
        let adapterScratch = problem {
            $0 = $0.replacingOccurrences(of: #"{"name": "one", "task": "a"}"#, with: #"{"name": "one", "task": "a", "adapter": {}}"#)
        }
        #expect(adapterScratch?.path == "transfer.stages[0].adapter")
        let mixHead = problem {
            $0 = $0.replacingOccurrences(of: #""from": "one", "trains": "head""#, with: #""from": {"interpolate": ["one", "one"], "alpha": 0.5}"#)
        }
        #expect(mixHead?.path == "transfer.stages[1].from.interpolate[0]" && mixHead?.message.contains("needs the same classes") == true)
        let mixAlpha = problem {
            $0 = $0.replacingOccurrences(of: #""from": "one", "trains": "head""#, with: #""from": {"interpolate": ["one", "one"], "alpha": 1.5}"#)
        }
        #expect(mixAlpha?.path == "transfer.stages[1].from.alpha")
        let elsewhere = problem { $0 = $0.replacingOccurrences(of: #""trains": "head""#, with: #""trains": "head", "also_on": ["a"]"#) }
        #expect(elsewhere?.path == "transfer.stages[1].also_on[0]" && elsewhere?.message.contains("same classes") == true)
        let zeroScratch = problem {
            $0 = $0.replacingOccurrences(of: #"{"name": "one", "task": "a"}"#, with: #"{"name": "one", "task": "a", "head": "zero"}"#)
        }
        #expect(zeroScratch?.path == "transfer.stages[0].head")
        let view = problem { $0 = $0.replacingOccurrences(of: #""core_per_class": 2"#, with: #""core_per_class": 2, "views": [2]"#) }
        #expect(view?.path == "transfer.tasks[1].views")
        let teacher = problem {
            $0 = $0.replacingOccurrences(of: #"{"name": "one", "task": "a"}"#, with: #"{"name": "one", "task": "a", "distill": "two"}"#)
        }
        #expect(teacher?.path == "transfer.stages[0].distill" && teacher?.message.contains("runs later") == true)
        let probeDistill = problem { $0 = $0.replacingOccurrences(of: #""trains": "head""#, with: #""trains": "head", "distill": "one""#) }
        #expect(probeDistill?.path == "transfer.stages[1].distill")
        let projection = problem { $0 = $0.replacingOccurrences(of: #""trains": "head""#, with: #""trains": "head", "distill_projection": 4"#) }
        #expect(projection?.path == "transfer.stages[1].distill_projection" && projection?.message.contains("needs a teacher") == true)
        let wide = problem { $0 = $0.replacingOccurrences(of: #""trains": "head""#, with: #""distill": "one", "distill_projection": 257"#) }
        #expect(wide?.path == "transfer.stages[1].distill_projection" && wide?.message.contains("allowed: 1…") == true)
        let huge = problem {
            $0 = $0.replacingOccurrences(
                of: #"{"name": "a", "classes": 8}"#, with: #"{"name": "a", "classes": 8, "train_size": 10000000, "test_size": 10000000}"#)
        }
        #expect(huge?.path == "transfer.tasks[0].train_size" && huge?.message.contains("GB") == true)
        let attack = problem {
            $0 = $0.replacingOccurrences(of: #"{"name": "a", "classes": 8}"#, with: #"{"name": "a", "classes": 8, "attack_class": 8}"#)
        }
        #expect(attack?.path == "transfer.tasks[0].attack_class")
        let rates = problem {
            $0 = $0.replacingOccurrences(
                of: #"{"name": "a", "classes": 8}"#, with: #"{"name": "a", "classes": 8, "trigger": {"kind": "per_class", "rates": [1, 0]}}"#)
        }
        #expect(rates?.path == "transfer.tasks[0].trigger" && rates?.message.contains("one rate per class") == true)
        let rate = problem {
            $0 = $0.replacingOccurrences(
                of: #"{"name": "b", "classes": 4,"#, with: #"{"name": "b", "classes": 4, "trigger": {"kind": "per_class", "rates": [1, 0, 2, 0]},"#)
        }
        #expect(rate?.path == "transfer.tasks[1].trigger.rates[2]")
        let cue = problem { $0 = $0.replacingOccurrences(of: #""core_per_class": 2"#, with: #""core_per_class": 2, "cue": {"uniform": [0.3, 0.8]}"#) }
        #expect(cue?.path == "transfer.tasks[1].cue" && cue?.message.contains("fresh_core is 0") == true)
        let freshCue = problem {
            $0 = $0.replacingOccurrences(of: #""core_per_class": 2"#, with: #""core_per_class": 2, "core_from": "fresh", "cue": {"uniform": [0, 1]}"#)
        }
        #expect(freshCue?.path == "transfer.tasks[1].cue" && freshCue?.message.contains("core_from") == true)
    }

    @Test(
        "A stage whose loss explodes stops the protocol at that step (plain, adapter and distillation stages): the stages before measure as without it, it and the rest are NaN"
    )
    func divergingStage() throws {
        let explosive = try RunConfiguration(json: #"{"training": {"optimizer": {"name": "sgd", "lr": 1000}}}"#).training.optimizer
        for (scenario, stage) in [("robust-finetune", "ft"), ("robust-finetune", "adapter"), ("distillation", "student")] {
            var configuration = try bundledTransferConfiguration(scenario)
            var transfer = try #require(configuration.transfer)
            for i in transfer.stages.indices { transfer.stages[i].steps = min(transfer.stages[i].steps, 40) }
            configuration.transfer = transfer
            let calm = try TransferRun.result(transfer, model: configuration.model, seed: 0)
            #expect(calm.status == .completed, "\(scenario) at 40 steps a stage trains through")
            let index = try #require(transfer.stages.firstIndex { $0.name == stage })
            transfer.stages[index].optimizer = explosive
            let wild = try TransferRun.result(transfer, model: configuration.model, seed: 0)
            let before = transfer.stages[..<index].reduce(0) { $0 + $1.steps }
            guard case let .diverged(step, lastFiniteLoss) = wild.status else {
                Issue.record("\(scenario): stage \(stage) at lr 1000 did not diverge")
                continue
            }
            // Stopped inside the stage, within a few steps of the first update, with the loss before it.
            #expect(step > before && step < before + 10 && lastFiniteLoss.isFinite, "\(scenario) \(stage): step \(step), loss \(lastFiniteLoss)")
            let later = Set(transfer.stages[index...].map(\.name))
            for (p, name) in wild.metricNames.enumerated() {
                let owner = transfer.stages.map(\.name).filter { name.hasPrefix($0 + "_") }.max { $0.count < $1.count } ?? ""
                let (value, reference) = (wild.values[0][p], calm.values[0][p])
                if later.contains(owner) {
                    #expect(value.isNaN, "\(name) of a stage at or after the diverged one")
                } else {
                    #expect(value == reference || (value.isNaN && reference.isNaN), "\(name) of an earlier stage is untouched")
                }
            }
        }
    }
}
