import Dynamics
@testable import Scenarios
import Schema
import TestSupport
import Testing

/// The error decoding `text` gives, or nil when it is valid.
func decodeError(_ text: String, overrides: [String] = []) -> ScenarioError? {
    thrown { () throws(ScenarioError) in _ = try ScenarioDecoder.decode(text, file: "s.json", overrides: overrides) }
}

@Suite("Scenario decoding")
struct ScenarioDecodingTests {
    @Test("Defaults are the paper's theory-matching configuration and are written out explicitly")
    func defaults() throws {
        let scenario = try ScenarioDecoder.decode(minimalScenario, file: "tiny.json")
        let c = scenario.base
        #expect(scenario.seeds == [0, 1, 2])
        #expect(c.training.loss == .hinge && c.training.batch == .full && c.model.activation == .relu)
        #expect(c.training.optimizer == .sgd(SGDConfiguration(learningRate: 1e-3)))
        #expect(c.data.core == .sign(.uniform(low: 0, high: 1)) && c.data.background == .uniform(low: 0, high: 1))
        #expect(c.data.shifts == [BackgroundShift(name: "flip", kind: .flip(factor: 1), reuseTrainingCore: false)])
        #expect(scenario.resolved()["training"]?["optimizer"]?["momentum"] != nil)
        #expect(scenario.runs.map(\.id) == ["seed=0", "seed=1", "seed=2"])
    }

    @Test("The resolved scenario decodes to the same configuration (round trip)")
    func roundTrip() throws {
        let text = withField(["sweep"], #"{"model.activation": ["relu", "linear"], "training.optimizer.lr": [0.1, 0.01]}"#)
        let scenario = try ScenarioDecoder.decode(text, file: "s.json")
        let again = try ScenarioDecoder.decode(scenario.resolved().serialized(), file: "resolved.json")
        #expect(again.cells.map(\.configuration) == scenario.cells.map(\.configuration))
        #expect(again.resolved() == scenario.resolved())
        #expect(scenario.cells.count == 4 && scenario.runs.count == 12)
        #expect(scenario.runs[3].id == "activation=relu/lr=0.01/seed=0")
    }

    @Test("Every bundled scenario is valid")
    func bundled() throws {
        let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
        let entries = ScenarioLocator.bundled(in: root)
        #expect(entries.map(\.name).contains("relu2") && entries.map(\.name).contains("contamination"))
        for entry in entries {
            #expect(throws: Never.self) { try ScenarioLocator.load("\(root)/\(entry.path)") }
        }
        #expect(entries.map(\.name).contains("gla-prior"))
    }

    @Test("Unknown keys are rejected with a did-you-mean and the field path")
    func unknownKey() {
        let error = decodeError(withField(["training", "optimizer", "learning_rate"], "0.1"))
        #expect(error?.path == "training.optimizer.learning_rate")
        #expect(error?.message.contains("unknown key") == true)
        let typo = decodeError(withField(["model", "activaton"], #""relu""#))
        #expect(typo?.message.contains("did you mean 'activation'?") == true)
        #expect(typo?.exitCode == 65)
    }

    @Test("Wrong types name the field, the value and what is allowed")
    func wrongType() {
        let error = decodeError(withField(["model", "width"], #""wide""#))
        #expect(error?.path == "model.width")
        #expect(error?.message.contains("expected an integer") == true && error?.message.contains("wide") == true)
        let real = decodeError(withField(["model", "width"], "12.5"))
        #expect(real?.path == "model.width")
        let flag = decodeError(withField(["model", "bias"], "1"))
        #expect(flag?.message.contains("expected true or false") == true)
    }

    @Test("Out-of-range values are rejected with the allowed range")
    func outOfRange() {
        let lr = decodeError(withField(["training", "optimizer", "lr"], "0"))
        #expect(lr?.path == "training.optimizer.lr" && lr?.message.contains("> 0") == true)
        let momentum = decodeError(withField(["training", "optimizer", "momentum"], "1.5"))
        #expect(momentum?.path == "training.optimizer.momentum")
        let activation = decodeError(withField(["model", "activation"], #""rellu""#))
        #expect(activation?.message.contains("did you mean 'relu'?") == true)
        let uniform = decodeError(withField(["data", "background", "coefficients"], #"{"uniform": [1, 0]}"#))
        #expect(uniform?.path == "data.background.coefficients.uniform[1]")
    }

    @Test("Inconsistent combinations are rejected")
    func inconsistent() {
        let dimension = decodeError(withField(["data", "dimension"], "6"))
        #expect(dimension?.path == "data.dimension" && dimension?.message.contains("4 core + 4 background") == true)
        let batch = decodeError(withField(["training", "batch"], "100"))
        #expect(batch?.path == "training.batch" && batch?.message.contains("train_size") == true)
        let basis = decodeError(
            withField(["data", "noise"], "0.1").replacingOccurrences(
                of: "\"steps\": 20", with: "\"steps\": 20, \"representation\": \"feature_basis\""))
        #expect(basis?.path == "training.representation")
        let shiftNames = decodeError(withField(["data", "shifts"], #"[{"kind": "flip"}, {"kind": "flip", "factor": 2}]"#))
        #expect(shiftNames?.path == "data.shifts[1].name")
        let nesterov = decodeError(withField(["training", "optimizer", "nesterov"], "true"))
        #expect(nesterov?.path == "training.optimizer.nesterov")
    }

    @Test("Multi-class scenarios: class blocks, priors, cross-entropy and prior estimation, each checked")
    func multiclass() throws {
        let multiclass = #"""
            {"name": "k", "data": {"dimension": 16, "core": {"count": 6, "relation": "class_blocks", "noise": 0.5},
             "classes": 3, "prior": {"long_tailed": 10}, "background": {"count": 4}, "train_size": 60, "test_size": 30},
             "model": {"width": 8, "output": {"trained": true}}, "training": {"loss": "cross_entropy", "steps": 10},
             "prior_estimation": {"labelled_per_class": [2, 5], "partner": {"prior": "uniform", "train_size": 30}}}
            """#
        let scenario = try ScenarioDecoder.decode(multiclass, file: "k.json")
        let c = scenario.base
        #expect(c.data.core == .classBlocks(signal: .constant(1), noise: 0.5) && c.data.classes == 3)
        #expect(c.data.prior == .longTailed(ratio: 10) && c.data.outputCount == 3)
        #expect(
            c.priorStudy
                == PriorStudyConfiguration(
                    labelledPerClass: [2, 5], unlabelledSize: 2000,
                    partner: .init(prior: .uniform, trainSize: 30)))
        let again = try ScenarioDecoder.decode(scenario.resolved().serialized(), file: "resolved.json")
        #expect(again.base == c && again.resolved() == scenario.resolved())

        func error(_ from: String, _ to: String) -> ScenarioError? {
            decodeError(multiclass.replacingOccurrences(of: from, with: to))
        }
        let loss = error(#""cross_entropy""#, #""hinge""#)
        #expect(loss?.path == "training.loss" && loss?.message.contains("cross_entropy") == true)
        let binaryCE = decodeError(withField(["training", "loss"], #""cross_entropy""#))
        #expect(binaryCE?.path == "training.loss" && binaryCE?.message.contains("logistic") == true)
        let blocks = error(#""count": 6"#, #""count": 7"#)
        #expect(blocks?.path == "data.core.count" && blocks?.message.contains("multiple of data.classes") == true)
        let weights = error(#"{"long_tailed": 10}"#, "[1, 2]")
        #expect(weights?.path == "data.prior" && weights?.message.contains("2 weights for 3 classes") == true)
        let negative = error(#"{"long_tailed": 10}"#, "[1, 2, -1]")
        #expect(negative?.path == "data.prior[2]")
        let ratio = error(#"{"long_tailed": 10}"#, #"{"long_tailed": 0.5}"#)
        #expect(ratio?.path == "data.prior.long_tailed")
        let tiny = error(#""train_size": 60"#, #""train_size": 4"#)
        #expect(tiny?.path == "data.train_size" && tiny?.message.contains("without a training sample") == true)
        let binaryClasses = decodeError(withField(["data", "classes"], "3"))
        #expect(binaryClasses?.path == "data.classes" && binaryClasses?.message.contains("class_blocks") == true)
        let binaryPrior = decodeError(withField(["data", "prior"], #"{"long_tailed": 5}"#))
        #expect(binaryPrior?.path == "data.prior")
        let binaryStudy = decodeError(withField(["prior_estimation"], "{}"))
        #expect(binaryStudy?.path == "prior_estimation" && binaryStudy?.exitCode == 65)
        let sizes = error("[2, 5]", "[2, 2]")
        #expect(sizes?.path == "prior_estimation.labelled_per_class[1]" && sizes?.message.contains("twice") == true)
        let huge = error("[2, 5]", "[2, 5000000]")
        #expect(huge?.path == "prior_estimation.labelled_per_class[1]" && huge?.message.contains("3333333") == true)
        let partnerKey = error(#""train_size": 30}"#, #""size": 30}"#)
        #expect(partnerKey?.path == "prior_estimation.partner.size")
        let noise = decodeError(withField(["data", "core", "noise"], "1"))
        #expect(noise?.path == "data.core.noise")
    }

    @Test("Parametrised activations: object form, validation, labels in run ids")
    func activations() throws {
        let leaky = try ScenarioDecoder.decode(withField(["model", "activation"], #"{"name": "leaky_relu", "slope": 0.1}"#), file: "s.json")
        #expect(leaky.base.model.activation == .leakyReLU(slope: 0.1))
        let defaulted = try ScenarioDecoder.decode(withField(["model", "activation"], #""elu""#), file: "s.json")
        #expect(defaulted.base.model.activation == .elu(alpha: 1))
        #expect(defaulted.resolved()["model"]?["activation"]?["alpha"] != nil)
        #expect(decodeError(withField(["model", "activation"], #"{"name": "relu", "slope": 0.1}"#))?.path == "model.activation.slope")
        let range = decodeError(withField(["model", "activation"], #"{"name": "leaky_relu", "slope": 2}"#))
        #expect(range?.path == "model.activation.slope" && range?.message.contains("in [0, 1)") == true)
        let swept = try ScenarioDecoder.decode(
            withField(["sweep"], #"{"model.activation": ["gelu", {"name": "softplus", "beta": 5}]}"#), file: "s.json")
        #expect(swept.runs.map(\.id).contains("activation=softplus(beta=5)/seed=2"))
    }

    @Test("Optimisers and schedules: PyTorch defaults, keys checked per optimiser")
    func optimizers() throws {
        let adamw = try ScenarioDecoder.decode(withField(["training", "optimizer"], #"{"name": "adamw"}"#), file: "s.json")
        #expect(adamw.base.training.optimizer == .adam(AdamConfiguration(decoupled: true)))
        #expect(adamw.base.effectiveRepresentation == .ambient)
        let betas = decodeError(withField(["training", "optimizer"], #"{"name": "sgd", "betas": [0.9, 0.99]}"#))
        #expect(betas?.path == "training.optimizer.betas" && betas?.message.contains("unknown key") == true)
        let rms = try ScenarioDecoder.decode(withField(["training", "optimizer"], #"{"name": "rmsprop", "centered": true}"#), file: "s.json")
        #expect(rms.base.training.optimizer == .rmsprop(RMSPropConfiguration(centered: true)))
        let cosine = try ScenarioDecoder.decode(withField(["training", "schedule"], #"{"name": "cosine", "warmup": 5}"#), file: "s.json")
        #expect(cosine.base.training.schedule == LearningRateSchedule(shape: .cosine(minimum: 0), warmup: 5))
        #expect(decodeError(withField(["training", "schedule"], #"{"name": "step"}"#))?.path == "training.schedule.step_size")
        #expect(decodeError(withField(["training", "schedule"], #"{"name": "cosine", "gamma": 0.5}"#))?.path == "training.schedule.gamma")
        let again = try ScenarioDecoder.decode(cosine.resolved().serialized(), file: "r.json")
        #expect(again.base == cosine.base)
    }

    @Test("Syntax errors give the line and column")
    func syntax() {
        let error = decodeError("{\n  \"name\": \"x\",\n  \"seeds\": [1, 2,]\n}")
        #expect(error?.kind == .syntax)
        #expect(error?.file == "s.json:3:18")
        #expect(error?.message.contains("trailing comma") == true)
        #expect(decodeError("{\"name\": \"a\", \"name\": \"b\"}")?.message.contains("duplicate key") == true)
        #expect(decodeError("")?.kind == .syntax)
    }

    @Test("--set and sweeps change the typed configuration: switching a variant keeps only its changed, shared settings")
    func typedSettings() throws {
        let sgd = withField(["training", "optimizer"], #"{"name": "sgd", "lr": 0.05, "momentum": 0.9}"#)
        let adam = try ScenarioDecoder.decode(sgd, file: "s.json", overrides: ["training.optimizer.name=adam"])
        // lr differs from SGD's default, so it is kept; momentum is not Adam's, so it goes; the rest are Adam's defaults.
        #expect(adam.base.training.optimizer == .adam(AdamConfiguration(learningRate: 0.05)))
        let adamw = try ScenarioDecoder.decode(sgd, file: "s.json", overrides: ["training.optimizer.name=adamw"])
        #expect(adamw.base.training.optimizer == .adam(AdamConfiguration(learningRate: 0.05, decoupled: true)))
        let swept = try ScenarioDecoder.decode(
            withField(["sweep"], #"{"training.optimizer.name": ["sgd", "rmsprop"], "training.optimizer.lr": [0.01, 0.02]}"#), file: "s.json")
        #expect(
            swept.cells.map(\.configuration.training.optimizer.settingsLabel)
                == ["sgd(lr=0.01)", "sgd(lr=0.02)", "rmsprop(lr=0.01)", "rmsprop(lr=0.02)"])
        let betas = decodeError(sgd, overrides: ["training.optimizer.betas=[0.9, 0.99]"])
        #expect(betas?.path == "training.optimizer.betas" && betas?.message.contains("not used by 'sgd'") == true)
        let slope = decodeError(minimalScenario, overrides: ["model.activation.slope=0.2"])
        #expect(slope?.path == "model.activation.slope" && slope?.message.contains("'relu' takes no settings") == true)
        let leaky = try ScenarioDecoder.decode(
            minimalScenario, file: "s.json", overrides: ["model.activation=leaky_relu", "model.activation.slope=0.2"])
        #expect(leaky.base.model.activation == .leakyReLU(slope: 0.2))
        // probes.every left at "auto" follows a changed number of steps.
        let short = try ScenarioDecoder.decode(minimalScenario, file: "s.json", overrides: ["training.steps=400"])
        #expect(short.base.probeEvery == nil && short.base.probeInterval == 10)
    }

    @Test("Bad sweep paths and values are rejected before anything runs")
    func sweep() {
        let path = decodeError(withField(["sweep"], #"{"model.activaton": ["relu"]}"#))
        #expect(path?.path == "sweep.model.activaton")
        #expect(path?.message.contains("did you mean 'model.activation'?") == true)
        let value = decodeError(withField(["sweep"], #"{"model.activation": ["relu", "tanhh"]}"#))
        #expect(value?.path == "model.activation" && value?.message.contains("activation=tanhh") == true)
        let empty = decodeError(withField(["sweep"], #"{"model.width": []}"#))
        #expect(empty?.path == "sweep.model.width")
    }

    @Test("Scenario names are looked up as paths, in any letter case, or as bare names")
    func locate() throws {
        let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
        #expect(try ScenarioLocator.locate("Scenarios/relu2.json", in: root) == "Scenarios/relu2.json")
        #expect(try ScenarioLocator.locate("scenarios/relu2.json", in: root) == "Scenarios/relu2.json")
        #expect(try ScenarioLocator.locate("relu2", in: root) == "Scenarios/relu2.json")
        #expect(throws: ScenarioError.self) { try ScenarioLocator.locate("relu3", in: root) }
    }
}
