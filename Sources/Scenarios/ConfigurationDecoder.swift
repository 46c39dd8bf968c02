import Dynamics

/// Decodes the `model`, `training` and `probes` sections, and puts them together with `data` (see
/// DataDecoder.swift) into a `RunConfiguration`.
extension ScenarioDecoder {
    static func decodeConfiguration(_ root: ObjectReader) throws(ScenarioError) -> RunConfiguration {
        let data = try decodeData(try root.object("data", allowed: ["dimension", "basis", "core", "classes", "prior", "background",
                                                                    "noise", "train_size", "test_size", "shifts"]))
        let model = try decodeModel(try root.object("model", allowed: ["width", "activation", "bias", "init", "output"]))
        let training = try decodeTraining(try root.object("training", allowed: ["loss", "steps", "batch", "samples",
                                                                                "optimizer", "schedule", "representation"]))
        let probes = try root.object("probes", allowed: ["every"])
        let every = try probes.integer("every", default: max(training.steps / 40, 1), range: 1...Int.max)
        var priorStudy: PriorStudyConfiguration?
        if root.value("prior_estimation") != nil {
            priorStudy = try decodePriorStudy(try root.object("prior_estimation", allowed: ["labelled_per_class", "unlabelled_size", "partner"]),
                                              data: data)
        }
        let configuration = RunConfiguration(data: data, model: model, training: training, probeEvery: every,
                                             priorStudy: priorStudy)
        try checkConsistency(configuration)
        return configuration
    }

    static func decodeModel(_ reader: ObjectReader) throws(ScenarioError) -> ModelConfiguration {
        let width = try reader.integer("width", default: 256, range: 1...1_000_000)
        let activation = try decodeActivation(reader.value("activation") ?? .string("relu"), path: reader.fieldPath("activation"))
        let bias = try reader.bool("bias", default: true)
        let initialization: Initialization
        switch reader.value("init") ?? .string("pytorch") {
        case .string("pytorch"): initialization = .pytorch
        case let .object(members) where members.count == 1 && members[0].key == "gaussian":
            initialization = .gaussian(standardDeviation: try ObjectReader.real(members[0].value, path: reader.fieldPath("init") + ".gaussian", "> 0") { $0 > 0 })
        case let other:
            throw reader.invalid("init", "\(other.compactText) is not allowed; use \"pytorch\" (U(±1/√fan_in)) or {\"gaussian\": std}")
        }
        let output = try reader.object("output", allowed: ["trained", "bias"])
        let trained = try output.bool("trained", default: false)
        if !trained && width < 2 {
            throw reader.invalid("width", "\(width) is too small for a frozen output layer; allowed: ≥ 2 (≥ data.classes for K classes)")
        }
        return ModelConfiguration(width: width, activation: activation, hiddenBias: bias, initialization: initialization,
                                  trainOutput: trained, outputBias: try output.bool("bias", default: true))
    }

    /// `"relu"`, or `{"name": "leaky_relu", "slope": 0.1}` for a parametrised activation.
    static func decodeActivation(_ value: JSONValue, path: String) throws(ScenarioError) -> Activation {
        let allowedNames = Activation.names + ["swish"]
        let name: String, reader: ObjectReader?
        switch value {
        case let .string(text):
            name = text
            reader = nil
        case .object:
            let object = try ObjectReader(value, path: path, allowed: ["name", "slope", "alpha", "beta"])
            name = try object.string("name")
            reader = object
        default:
            throw ScenarioError(.invalid, path: path, "expected an activation name or {\"name\": ..., parameter}, found \(value.typeName) \(value.compactText)")
        }
        guard let base = Activation(name: name) else {
            throw ScenarioError(.invalid, path: reader.map { $0.fieldPath("name") } ?? path,
                                "'\(name)' is not allowed; " + suggestion(for: name, in: allowedNames))
        }
        guard let reader else { return base }
        let expected = base.parameter?.name
        for key in ["slope", "alpha", "beta"] where key != expected && reader.value(key) != nil {
            throw reader.invalid(key, expected.map { "'\(name)' takes '\($0)', not '\(key)'" } ?? "'\(name)' takes no parameter")
        }
        guard let expected, let rule = base.parameterRule else { return base }
        let parameter = try reader.real(expected, default: base.parameter?.value, rule.1, rule.0)
        return Activation(name: name, parameter: parameter) ?? base
    }

    static func decodeTraining(_ reader: ObjectReader) throws(ScenarioError) -> TrainingConfiguration {
        let loss = Loss(rawValue: try reader.choice("loss", default: "hinge", from: Loss.allCases.map(\.rawValue))) ?? .hinge
        let steps = try reader.integer("steps", default: 20_000, range: 1...100_000_000)
        let batch: BatchSize
        switch reader.value("batch") ?? .string("full") {
        case .string("full"): batch = .full
        case let value:
            guard case .number = value else {
                throw reader.invalid("batch", "\(value.compactText) is not allowed; use \"full\" or a batch size (an integer ≥ 1)")
            }
            batch = .samples(try ObjectReader.integer(value, path: reader.fieldPath("batch"), range: 1...10_000_000))
        }
        let sampling = Sampling(rawValue: try reader.choice("samples", default: "fixed", from: Sampling.allCases.map(\.rawValue))) ?? .fixed
        let optimizer = try decodeOptimizer(reader.value("optimizer") ?? .object([]), path: reader.fieldPath("optimizer"))
        let schedule = try decodeSchedule(reader.value("schedule") ?? .object([]), path: reader.fieldPath("schedule"), steps: steps)
        let representation = Representation(rawValue: try reader.choice("representation", default: "auto",
                                                                        from: Representation.allCases.map(\.rawValue))) ?? .auto
        return TrainingConfiguration(loss: loss, steps: steps, batch: batch, sampling: sampling, optimizer: optimizer,
                                     schedule: schedule, representation: representation)
    }

    static let optimizerKeys: [String: [String]] = [
        "sgd": ["name", "lr", "momentum", "dampening", "nesterov", "weight_decay"],
        "adam": ["name", "lr", "betas", "eps", "weight_decay"],
        "adamw": ["name", "lr", "betas", "eps", "weight_decay"],
        "rmsprop": ["name", "lr", "alpha", "eps", "weight_decay", "momentum", "centered"],
        "adagrad": ["name", "lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"],
    ]

    /// `{"name": "sgd" | "adam" | "adamw" | "rmsprop" | "adagrad", ...}` with PyTorch's parameter names
    /// and defaults (SGD's learning rate, which PyTorch requires, defaults to 1e-3 here).
    static func decodeOptimizer(_ value: JSONValue, path: String) throws(ScenarioError) -> OptimizerConfiguration {
        let probe = try ObjectReader(value, path: path, allowed: Array(Set(optimizerKeys.values.joined())).sorted())
        let name = try probe.choice("name", default: "sgd", from: OptimizerConfiguration.names)
        let reader = try ObjectReader(value, path: path, allowed: optimizerKeys[name] ?? [])
        let decay = { (fallback: Double) throws(ScenarioError) -> Double in
            try reader.real("weight_decay", default: fallback, "≥ 0") { $0 >= 0 }
        }
        let positive = { (key: String, fallback: Double) throws(ScenarioError) -> Double in
            try reader.real(key, default: fallback, "> 0") { $0 > 0 }
        }
        switch name {
        case "adam", "adamw":
            let betas = reader.value("betas") ?? .array([.number(0.9), .number(0.999)])
            guard case let .array(items) = betas, items.count == 2 else {
                throw reader.invalid("betas", "expected [β1, β2], found \(betas.compactText)")
            }
            let beta1 = try ObjectReader.real(items[0], path: reader.fieldPath("betas") + "[0]", "in [0, 1)") { $0 >= 0 && $0 < 1 }
            let beta2 = try ObjectReader.real(items[1], path: reader.fieldPath("betas") + "[1]", "in [0, 1)") { $0 >= 0 && $0 < 1 }
            return .adam(AdamConfiguration(learningRate: try positive("lr", 1e-3), beta1: beta1, beta2: beta2,
                                           epsilon: try positive("eps", 1e-8), weightDecay: try decay(name == "adamw" ? 0.01 : 0),
                                           decoupled: name == "adamw"))
        case "rmsprop":
            return .rmsprop(RMSPropConfiguration(
                learningRate: try positive("lr", 0.01),
                alpha: try reader.real("alpha", default: 0.99, "in [0, 1)") { $0 >= 0 && $0 < 1 },
                epsilon: try positive("eps", 1e-8), weightDecay: try decay(0),
                momentum: try reader.real("momentum", default: 0, "in [0, 1)") { $0 >= 0 && $0 < 1 },
                centered: try reader.bool("centered", default: false)))
        case "adagrad":
            return .adagrad(AdaGradConfiguration(
                learningRate: try positive("lr", 0.01),
                learningRateDecay: try reader.real("lr_decay", default: 0, "≥ 0") { $0 >= 0 },
                weightDecay: try decay(0),
                initialAccumulator: try reader.real("initial_accumulator_value", default: 0, "≥ 0") { $0 >= 0 },
                epsilon: try positive("eps", 1e-10)))
        default:
            let momentum = try reader.real("momentum", default: 0, "in [0, 1)") { $0 >= 0 && $0 < 1 }
            let dampening = try reader.real("dampening", default: 0, "in [0, 1]") { $0 >= 0 && $0 <= 1 }
            let nesterov = try reader.bool("nesterov", default: false)
            if nesterov && (momentum == 0 || dampening != 0) {
                throw reader.invalid("nesterov", "Nesterov momentum needs momentum > 0 and dampening 0 (as in PyTorch)")
            }
            return .sgd(SGDConfiguration(learningRate: try positive("lr", 1e-3), momentum: momentum, dampening: dampening,
                                         nesterov: nesterov, weightDecay: try decay(0)))
        }
    }

    /// `{"name": "constant" | "step" | "cosine", "step_size": N, "gamma": γ, "min_lr": η_min, "warmup": W}`.
    static func decodeSchedule(_ value: JSONValue, path: String, steps: Int) throws(ScenarioError) -> LearningRateSchedule {
        let reader = try ObjectReader(value, path: path, allowed: ["name", "step_size", "gamma", "min_lr", "warmup"])
        let name = try reader.choice("name", default: "constant", from: ["constant", "step", "cosine"])
        let extras: [String: [String]] = ["constant": [], "step": ["step_size", "gamma"], "cosine": ["min_lr"]]
        for key in ["step_size", "gamma", "min_lr"] where reader.value(key) != nil && !(extras[name] ?? []).contains(key) {
            throw reader.invalid(key, "not used by the '\(name)' schedule")
        }
        let warmup = try reader.integer("warmup", default: 0, range: 0...steps)
        switch name {
        case "step":
            return LearningRateSchedule(shape: .step(stepSize: try reader.integer("step_size", range: 1...Int.max),
                                                     gamma: try reader.real("gamma", default: 0.1, "in (0, 1]") { $0 > 0 && $0 <= 1 }),
                                        warmup: warmup)
        case "cosine":
            return LearningRateSchedule(shape: .cosine(minimum: try reader.real("min_lr", default: 0, "≥ 0") { $0 >= 0 }), warmup: warmup)
        default:
            return LearningRateSchedule(shape: .constant, warmup: warmup)
        }
    }

    /// Checks across sections (impossible combinations).
    static func checkConsistency(_ configuration: RunConfiguration) throws(ScenarioError) {
        let training = configuration.training
        let data = configuration.data
        if data.isMulticlass && training.loss != .crossEntropy {
            throw ScenarioError(.invalid, path: "training.loss",
                                "'\(training.loss.rawValue)' takes one output and ±1 labels; \(data.classes)-class data (class_blocks) needs \"cross_entropy\"")
        }
        if !data.isMulticlass && training.loss == .crossEntropy {
            throw ScenarioError(.invalid, path: "training.loss",
                                "\"cross_entropy\" needs multi-class data (\"core\": {\"relation\": \"class_blocks\"}); for binary data use \"logistic\" (the same loss on one output)")
        }
        if data.isMulticlass && !configuration.model.trainOutput && configuration.model.width < data.classes {
            throw ScenarioError(.invalid, path: "model.width",
                                "\(configuration.model.width) is too small for a frozen \(data.classes)-class output layer; allowed: ≥ \(data.classes)")
        }
        if case let .samples(size) = training.batch, training.sampling == .fixed, size > configuration.data.trainSize {
            throw ScenarioError(.invalid, path: "training.batch",
                                "\(size) exceeds data.train_size (\(configuration.data.trainSize)); allowed: ≤ train_size, or \"full\"")
        }
        if training.batch == .full && training.sampling == .fresh {
            throw ScenarioError(.invalid, path: "training.batch",
                                "\"full\" has no meaning with \"samples\": \"fresh\"; give a batch size (fresh samples per step)")
        }
        if training.representation == .featureBasis && !configuration.featureBasisIsExact {
            throw ScenarioError(.invalid, path: "training.representation",
                                "\"feature_basis\" is exact only without input noise (data.noise = 0) and with a rotation-equivariant optimiser (sgd); use \"auto\" or \"ambient\"")
        }
    }
}
