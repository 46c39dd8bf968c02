import Dynamics

/// Decodes the `data`, `model`, `training` and `probes` sections into a `RunConfiguration`.
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

    static func decodeData(_ reader: ObjectReader) throws(ScenarioError) -> DataConfiguration {
        let dimension = try reader.integer("dimension", default: 256, range: 1...100_000)
        let basis = FeatureBasis(rawValue: try reader.choice("basis", default: "random",
                                                             from: FeatureBasis.allCases.map(\.rawValue))) ?? .random
        let coreReader = try reader.object("core", allowed: ["count", "relation", "coefficients", "radii", "noise"])
        let coreCount = try coreReader.integer("count", default: 32, range: 1...100_000)
        let relationName = try coreReader.choice("relation", default: "sign", from: ["sign", "radius", "class_blocks"])
        if relationName != "class_blocks" && coreReader.value("noise") != nil {
            throw coreReader.invalid("noise", "only used with \"relation\": \"class_blocks\"")
        }
        let classes = try reader.integer("classes", default: 2, range: 2...10_000)
        let core: CoreRelation
        if relationName == "class_blocks" {
            if coreReader.value("radii") != nil { throw coreReader.invalid("radii", "only used with \"relation\": \"radius\"") }
            guard coreCount % classes == 0 else {
                throw coreReader.invalid("count", "\(coreCount) core features do not split into \(classes) equal class blocks; allowed: a multiple of data.classes (\(classes))")
            }
            core = .classBlocks(signal: try decodeDistribution(coreReader.value("coefficients"), path: coreReader.fieldPath("coefficients"),
                                                               fallback: .constant(1)),
                                noise: try coreReader.real("noise", default: 1, "≥ 0") { $0 >= 0 })
        } else if relationName == "sign" {
            if coreReader.value("radii") != nil { throw coreReader.invalid("radii", "only used with \"relation\": \"radius\"") }
            core = .sign(try decodeDistribution(coreReader.value("coefficients"), path: coreReader.fieldPath("coefficients"),
                                                fallback: .uniform(low: 0, high: 1)))
        } else {
            if coreReader.value("coefficients") != nil {
                throw coreReader.invalid("coefficients", "not used with \"relation\": \"radius\" (the core is uniform on spheres; set \"radii\")")
            }
            let radii = coreReader.value("radii") ?? .array([.integer(1), .integer(2)])
            guard case let .array(items) = radii, items.count == 2 else {
                throw coreReader.invalid("radii", "expected [radius for y=+1, radius for y=−1], found \(radii.compactText)")
            }
            let positive = try ObjectReader.real(items[0], path: coreReader.fieldPath("radii") + "[0]", "> 0") { $0 > 0 }
            let negative = try ObjectReader.real(items[1], path: coreReader.fieldPath("radii") + "[1]", "> 0") { $0 > 0 }
            guard positive != negative else { throw coreReader.invalid("radii", "the two radii must differ, or the classes coincide") }
            core = .radius(positive: positive, negative: negative)
        }
        let backgroundReader = try reader.object("background", allowed: ["count", "coefficients"])
        let backgroundCount = try backgroundReader.integer("count", default: 32, range: 0...100_000)
        let background = try decodeDistribution(backgroundReader.value("coefficients"),
                                                path: backgroundReader.fieldPath("coefficients"),
                                                fallback: .uniform(low: 0, high: 1))
        guard coreCount + backgroundCount <= dimension else {
            throw reader.invalid("dimension", "\(dimension) is too small for \(coreCount) core + \(backgroundCount) background orthonormal features; allowed: ≥ \(coreCount + backgroundCount)")
        }
        let noise = try reader.real("noise", default: 0, "≥ 0") { $0 >= 0 }
        let trainSize = try reader.integer("train_size", default: 1000, range: 2...10_000_000)
        let testSize = try reader.integer("test_size", default: 1000, range: 2...10_000_000)
        let shifts = try decodeShifts(reader.value("shifts"), path: reader.fieldPath("shifts"), background: background)
        let prior = try decodePrior(reader.value("prior"), path: reader.fieldPath("prior"), classes: classes)
        if relationName != "class_blocks" {
            if classes != 2 { throw reader.invalid("classes", "\(classes) classes need \"core\": {\"relation\": \"class_blocks\"}; the '\(relationName)' relation is binary") }
            if prior != .uniform { throw reader.invalid("prior", "a class prior needs \"core\": {\"relation\": \"class_blocks\"}; binary data is balanced") }
        }
        let counts = prior.counts(total: trainSize, classes: classes)
        if let empty = counts.firstIndex(of: 0) {
            throw reader.invalid("train_size", "\(trainSize) samples leave class \(empty) without a training sample under the prior \(prior.label); allowed: a larger train_size")
        }
        return DataConfiguration(dimension: dimension, basis: basis, coreCount: coreCount, core: core, classes: classes,
                                 prior: prior, backgroundCount: backgroundCount, background: background, noise: noise,
                                 trainSize: trainSize, testSize: testSize, shifts: shifts)
    }

    /// `"uniform"`, `{"long_tailed": ratio}` or a list of K positive weights.
    static func decodePrior(_ value: JSONValue?, path: String, classes: Int) throws(ScenarioError) -> ClassPrior {
        switch value {
        case nil, .string("uniform"): return .uniform
        case let .object(members) where members.count == 1 && members[0].key == "long_tailed":
            return .longTailed(ratio: try ObjectReader.real(members[0].value, path: path + ".long_tailed", "≥ 1 (head-to-tail frequency ratio)") { $0 >= 1 })
        case let .array(items):
            guard items.count == classes else {
                throw ScenarioError(.invalid, path: path, "\(items.count) weights for \(classes) classes; allowed: one positive weight per class")
            }
            var weights: [Double] = []
            for (i, item) in items.enumerated() {
                weights.append(try ObjectReader.real(item, path: "\(path)[\(i)]", "> 0") { $0 > 0 })
            }
            return .weights(weights)
        case let .some(other):
            throw ScenarioError(.invalid, path: path, "\(other.compactText) is not allowed; use \"uniform\", {\"long_tailed\": ratio} or a list of \(classes) positive weights")
        }
    }

    /// The `prior_estimation` section (multi-class data only).
    static func decodePriorStudy(_ reader: ObjectReader, data: DataConfiguration) throws(ScenarioError) -> PriorStudyConfiguration {
        guard data.isMulticlass else {
            throw ScenarioError(.invalid, path: "prior_estimation", "needs multi-class data (\"data\": {\"core\": {\"relation\": \"class_blocks\"}})")
        }
        let sizes = reader.value("labelled_per_class") ?? .array([.integer(5), .integer(20), .integer(100)])
        guard case let .array(items) = sizes, !items.isEmpty else {
            throw reader.invalid("labelled_per_class", "expected a non-empty list of samples per class, e.g. [5, 20, 100]")
        }
        var labelled: [Int] = []
        for (i, item) in items.enumerated() {
            let limit = max(10_000_000 / data.classes, 1)
            let count = try ObjectReader.integer(item, path: reader.fieldPath("labelled_per_class") + "[\(i)]", range: 1...limit)
            guard !labelled.contains(count) else {
                throw reader.invalid("labelled_per_class", "\(count) is listed twice; sizes must be distinct")
            }
            labelled.append(count)
        }
        let unlabelled = try reader.integer("unlabelled_size", default: 2000, range: 0...10_000_000)
        var partner: PriorStudyConfiguration.Partner?
        if reader.value("partner") != nil {
            let partnerReader = try reader.object("partner", allowed: ["prior", "train_size"])
            let prior = try decodePrior(partnerReader.value("prior"), path: partnerReader.fieldPath("prior"), classes: data.classes)
            let size = try partnerReader.integer("train_size", range: 2...10_000_000)
            if let empty = prior.counts(total: size, classes: data.classes).firstIndex(of: 0) {
                throw partnerReader.invalid("train_size", "\(size) samples leave class \(empty) without a training sample; allowed: a larger train_size")
            }
            partner = .init(prior: prior, trainSize: size)
        }
        return PriorStudyConfiguration(labelledPerClass: labelled, unlabelledSize: unlabelled, partner: partner)
    }

    static let distributionFamilies = ["uniform", "gaussian", "rademacher", "bernoulli", "constant"]

    /// `{"uniform": [low, high]}`, `{"gaussian": {"mean": μ, "std": σ}}`, `{"rademacher": scale}`,
    /// `{"bernoulli": {"p": p, "scale": s}}` or `{"constant": value}`.
    static func decodeDistribution(_ value: JSONValue?, path: String, fallback: Distribution) throws(ScenarioError) -> Distribution {
        guard let value else { return fallback }
        guard case let .object(members) = value, members.count == 1, let member = members.first else {
            throw ScenarioError(.invalid, path: path, "expected an object with one distribution, e.g. {\"uniform\": [0, 1]}; families: \(distributionFamilies.joined(separator: ", "))")
        }
        let inner = "\(path).\(member.key)"
        switch member.key {
        case "uniform":
            guard case let .array(bounds) = member.value, bounds.count == 2 else {
                throw ScenarioError(.invalid, path: inner, "expected [low, high], found \(member.value.compactText)")
            }
            let low = try ObjectReader.real(bounds[0], path: "\(inner)[0]", "(any finite number)") { _ in true }
            let high = try ObjectReader.real(bounds[1], path: "\(inner)[1]", "> low (\(low))") { $0 > low }
            return .uniform(low: low, high: high)
        case "gaussian":
            let reader = try ObjectReader(member.value, path: inner, allowed: ["mean", "std"])
            return .gaussian(mean: try reader.real("mean", default: 0, "(any finite number)") { _ in true },
                             standardDeviation: try reader.real("std", default: 1, "> 0") { $0 > 0 })
        case "rademacher":
            return .rademacher(scale: try ObjectReader.real(member.value, path: inner, "> 0") { $0 > 0 })
        case "bernoulli":
            let reader = try ObjectReader(member.value, path: inner, allowed: ["p", "scale"])
            return .bernoulli(p: try reader.real("p", "in [0, 1]") { $0 >= 0 && $0 <= 1 },
                              scale: try reader.real("scale", default: 1, "≠ 0") { $0 != 0 })
        case "constant":
            return .constant(try ObjectReader.real(member.value, path: inner, "(any finite number)") { _ in true })
        default:
            throw ScenarioError(.invalid, path: inner, "unknown distribution; " + suggestion(for: member.key, in: distributionFamilies))
        }
    }

    static let shiftKinds = ["flip", "scale", "mean_shift", "zero", "redraw"]

    static func decodeShifts(_ value: JSONValue?, path: String, background: Distribution) throws(ScenarioError) -> [BackgroundShift] {
        guard let value else { return [BackgroundShift(name: "flip", kind: .flip(factor: 1))] }
        guard case let .array(items) = value else {
            throw ScenarioError(.invalid, path: path, "expected a list of shifts, found \(value.typeName)")
        }
        var shifts: [BackgroundShift] = []
        for (i, item) in items.enumerated() {
            let reader = try ObjectReader(item, path: "\(path)[\(i)]",
                                          allowed: ["name", "kind", "factor", "delta", "coefficients", "reuse_train_core"])
            let kindName = try reader.choice("kind", default: nil, from: shiftKinds)
            let allowedExtras: [String: [String]] = ["flip": ["factor"], "scale": ["factor"], "mean_shift": ["delta"],
                                                     "zero": [], "redraw": ["coefficients"]]
            for extra in ["factor", "delta", "coefficients"] where reader.value(extra) != nil && !(allowedExtras[kindName] ?? []).contains(extra) {
                throw reader.invalid(extra, "not used by a '\(kindName)' shift")
            }
            let kind: BackgroundShift.Kind
            switch kindName {
            case "flip": kind = .flip(factor: try reader.real("factor", default: 1, "> 0") { $0 > 0 })
            case "scale": kind = .scale(factor: try reader.real("factor", "(any finite number)") { _ in true })
            case "mean_shift": kind = .meanShift(delta: try reader.real("delta", "(any finite number)") { _ in true })
            case "zero": kind = .zero
            default: kind = .redraw(try decodeDistribution(try reader.required("coefficients"), path: reader.fieldPath("coefficients"), fallback: background))
            }
            let name = try reader.string("name", default: kindName)
            guard !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) else {
                throw reader.invalid("name", "'\(name)' is not allowed; use lower-case letters, digits and '_' (it becomes part of metric names)")
            }
            guard !shifts.contains(where: { $0.name == name }) else {
                throw reader.invalid("name", "'\(name)' is used by another shift; names must be unique")
            }
            shifts.append(BackgroundShift(name: name, kind: kind, reuseTrainingCore: try reader.bool("reuse_train_core", default: false)))
        }
        return shifts
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
