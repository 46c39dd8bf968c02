import Dynamics
@testable import Scenarios
import Testing

let minimalScenario = """
{"name": "tiny", "data": {"dimension": 16, "core": {"count": 4}, "background": {"count": 4},
 "train_size": 40, "test_size": 40}, "model": {"width": 8}, "training": {"steps": 20}}
"""

func decodeError(_ text: String) -> ScenarioError? {
    do {
        _ = try ScenarioDecoder.decode(text, file: "s.json")
        return nil
    } catch {
        return error
    }
}

/// `text` with `key` inside `section` replaced (or added) by a raw JSON fragment.
func withField(_ path: [String], _ fragment: String) -> String {
    let document = (try? JSONParser.parse(minimalScenario)) ?? .null
    let value = (try? JSONParser.parse(fragment)) ?? .null
    return (document.setting(path, to: value) ?? document).serialized()
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
        #expect(c.data.shifts == [BackgroundShift(name: "flip", kind: .flip(factor: 1))])
        #expect(scenario.resolved["training"]?["optimizer"]?["momentum"] != nil)
        #expect(scenario.runs.map(\.id) == ["seed=0", "seed=1", "seed=2"])
    }

    @Test("The resolved scenario decodes to the same configuration (round trip)")
    func roundTrip() throws {
        let text = withField(["sweep"], #"{"model.activation": ["relu", "linear"], "training.optimizer.lr": [0.1, 0.01]}"#)
        let scenario = try ScenarioDecoder.decode(text, file: "s.json")
        let again = try ScenarioDecoder.decode(scenario.resolved.serialized(), file: "resolved.json")
        #expect(again.cells.map(\.configuration) == scenario.cells.map(\.configuration))
        #expect(again.resolved == scenario.resolved)
        #expect(scenario.cells.count == 4 && scenario.runs.count == 12)
        #expect(scenario.runs[3].id == "activation=relu/lr=0.01/seed=0")
    }

    @Test("Every bundled scenario is valid")
    func bundled() throws {
        let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
        let entries = ScenarioLocator.bundled(in: root)
        #expect(entries.map(\.name).contains("relu2") && entries.map(\.name).contains("contamination"))
        for entry in entries {
            _ = try ScenarioLocator.load("\(root)/\(entry.path)")
        }
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
        let basis = decodeError(withField(["data", "noise"], "0.1").replacingOccurrences(of: "\"steps\": 20", with: "\"steps\": 20, \"representation\": \"feature_basis\""))
        #expect(basis?.path == "training.representation")
        let shiftNames = decodeError(withField(["data", "shifts"], #"[{"kind": "flip"}, {"kind": "flip", "factor": 2}]"#))
        #expect(shiftNames?.path == "data.shifts[1].name")
        let nesterov = decodeError(withField(["training", "optimizer", "nesterov"], "true"))
        #expect(nesterov?.path == "training.optimizer.nesterov")
    }

    @Test("Parametrised activations: object form, validation, labels in run ids")
    func activations() throws {
        let leaky = try ScenarioDecoder.decode(withField(["model", "activation"], #"{"name": "leaky_relu", "slope": 0.1}"#), file: "s.json")
        #expect(leaky.base.model.activation == .leakyReLU(slope: 0.1))
        let defaulted = try ScenarioDecoder.decode(withField(["model", "activation"], #""elu""#), file: "s.json")
        #expect(defaulted.base.model.activation == .elu(alpha: 1))
        #expect(defaulted.resolved["model"]?["activation"]?["alpha"] != nil)
        #expect(decodeError(withField(["model", "activation"], #"{"name": "relu", "slope": 0.1}"#))?.path == "model.activation.slope")
        let range = decodeError(withField(["model", "activation"], #"{"name": "leaky_relu", "slope": 2}"#))
        #expect(range?.path == "model.activation.slope" && range?.message.contains("in [0, 1)") == true)
        let swept = try ScenarioDecoder.decode(withField(["sweep"], #"{"model.activation": ["gelu", {"name": "softplus", "beta": 5}]}"#), file: "s.json")
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
        let again = try ScenarioDecoder.decode(cosine.resolved.serialized(), file: "r.json")
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
