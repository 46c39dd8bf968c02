import Schema

/// The full, resolved description of one run (without its seed).
public struct RunConfiguration: Sendable, Equatable {
    public var data: DataConfiguration
    public var model: ModelConfiguration
    public var training: TrainingConfiguration
    /// Probes are taken at step 0, every `probeEvery` steps, and at the end; nil: every steps/40.
    public var probeEvery: Int?
    /// Sets and a partner model for prior estimation (multi-class data), or nil.
    public var priorStudy: PriorStudyConfiguration?
    /// A staged transfer protocol, or nil. With one, the run is the protocol's stages (on the `model`
    /// network); `data` and `training` describe no run and are not read.
    public var transfer: TransferConfiguration?

    public init(
        data: DataConfiguration, model: ModelConfiguration, training: TrainingConfiguration, probeEvery: Int?,
        priorStudy: PriorStudyConfiguration? = nil, transfer: TransferConfiguration? = nil
    ) {
        self.data = data
        self.model = model
        self.training = training
        self.probeEvery = probeEvery
        self.priorStudy = priorStudy
        self.transfer = transfer
    }

    /// The configuration the sections of a scenario file describe (`data`, `model`, `training`,
    /// `probes`, `prior_estimation`, as JSON text), every omitted field at its declared default.
    public init(json text: String) throws(ScenarioError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw ScenarioError(.syntax, path: "", "JSON syntax error at line \(error.line), column \(error.column): \(error.message)")
        }
        self = try Self.codec.decode(document, at: "")
    }

    /// The steps between probes: `probeEvery`, or steps/40 (at least 1) when it is not set.
    public var probeInterval: Int { probeEvery ?? max(training.steps / 40, 1) }

    /// Whether training in the feature basis is exactly equivalent to training in R^d: the optimiser
    /// is rotation-equivariant and every input lies in the span of the dictionary (no noise).
    public var featureBasisIsExact: Bool {
        training.optimizer.isRotationEquivariant && data.noise == 0
    }

    /// The representation a run actually uses.
    public var effectiveRepresentation: Representation {
        switch training.representation {
        case .auto: featureBasisIsExact ? .featureBasis : .ambient
        case let chosen: chosen
        }
    }
}

extension RunConfiguration {
    static let data = Field.section("data", DataConfiguration.codec, "The synthetic data: features, classes, background and shifts.")
    static let model = Field.section("model", ModelConfiguration.codec, "The two-layer network.")
    static let training = Field.section("training", TrainingConfiguration.codec, "The training procedure.")
    static let probeEvery = Field(
        "every",
        Codec.oneOf([
            .literal("auto", Int?.none),
            Alternative(Codec.integer(1...Int.max), embed: { Int?.some($0) }, extract: { $0 }),
        ]), default: nil, "Steps between probes (also taken at step 0 and at the end); \"auto\": training.steps/40.")
    static let probes = Field.section(
        "probes",
        Codec<Int?>.object(
            [probeEvery],
            decode: { read throws(ScenarioError) in
                try read(probeEvery)
            }, encode: { [probeEvery.member($0)] }), "When the probes are taken.")
    static let priorStudy = Field(
        "prior_estimation", PriorStudyConfiguration.codec, fallback: .absent,
        "Labelled sets, an unlabelled sample and a partner model for estimating the absorbed label prior (multi-class data).")

    static let transfer = Field(
        "transfer", TransferConfiguration.codec, fallback: .absent,
        "A staged transfer protocol (tasks over one shared dictionary, and stages that train on them); the run is its stages.")

    /// The sections a transfer protocol replaces (its tasks and stages describe the data and the
    /// training): a scenario with `transfer` has none of them, and its encoding leaves them out.
    public static let excludedByTransfer = [data.key, training.key, probes.key]

    /// The fields of a run's configuration, at the top level of a scenario.
    public static let fields: [any FieldDeclaration] = [data, model, training, probes, priorStudy, transfer]

    /// The configuration sections of a scenario, with every rule across sections.
    public static let codec = Codec<RunConfiguration>.object(
        fields,
        decode: { read throws(ScenarioError) in
            if read.has(transfer.key), let key = excludedByTransfer.first(where: read.has) {
                throw read.invalid(
                    key, "a transfer protocol describes its data in transfer.tasks and its training in transfer.stages; remove \"\(key)\"")
            }
            let configuration = RunConfiguration(
                data: try read(data), model: try read(model), training: try read(training),
                probeEvery: try read(probes), priorStudy: try read.optional(priorStudy), transfer: try read.optional(transfer))
            try configuration.checkConsistency()
            return configuration
        },
        encode: { c in
            guard let protocolStages = c.transfer else {
                return [data.member(c.data), model.member(c.model), training.member(c.training), probes.member(c.probeEvery)]
                    + priorStudy.member(c.priorStudy)
            }
            return [model.member(c.model), transfer.member(protocolStages)]
        })

    /// Checks across sections (impossible combinations).
    func checkConsistency() throws(ScenarioError) {
        if transfer != nil {
            if !model.trainOutput {
                throw ScenarioError(
                    .invalid, path: "model.output.trained", "false freezes the head, but every transfer stage trains its head; use true")
            }
            if priorStudy != nil {
                throw ScenarioError(.invalid, path: "prior_estimation", "a transfer protocol has no prior study; remove one of the two sections")
            }
            // More projections than hidden units add nothing (PᵀP has rank ≤ width) and cost k × width memory.
            for (index, stage) in (transfer?.stages ?? []).enumerated() {
                if let k = stage.distillProjection, k > model.width {
                    throw ScenarioError(
                        .invalid, path: "transfer.stages[\(index)].distill_projection",
                        "\(k) projections of a width-\(model.width) hidden layer; allowed: 1…\(model.width) (model.width)")
                }
            }
            return
        }
        if data.isMulticlass && training.loss != .crossEntropy {
            throw ScenarioError(
                .invalid, path: "training.loss",
                "'\(training.loss.rawValue)' takes one output and ±1 labels; \(data.classes)-class data (class_blocks) needs \"cross_entropy\"")
        }
        if !data.isMulticlass && training.loss == .crossEntropy {
            throw ScenarioError(
                .invalid, path: "training.loss",
                "\"cross_entropy\" needs multi-class data (\"core\": {\"relation\": \"class_blocks\"}); for binary data use \"logistic\" (the same loss on one output)"
            )
        }
        if data.isMulticlass && !model.trainOutput && model.width < data.classes {
            throw ScenarioError(
                .invalid, path: "model.width",
                "\(model.width) is too small for a frozen \(data.classes)-class output layer; allowed: ≥ \(data.classes)")
        }
        if case let .samples(size) = training.batch, training.sampling == .fixed, size > data.trainSize {
            throw ScenarioError(
                .invalid, path: "training.batch",
                "\(size) exceeds data.train_size (\(data.trainSize)); allowed: ≤ train_size, or \"full\"")
        }
        if training.batch == .full && training.sampling == .fresh {
            throw ScenarioError(
                .invalid, path: "training.batch",
                "\"full\" has no meaning with \"samples\": \"fresh\"; give a batch size (fresh samples per step)")
        }
        if training.representation == .featureBasis && !featureBasisIsExact {
            throw ScenarioError(
                .invalid, path: "training.representation",
                "\"feature_basis\" is exact only without input noise (data.noise = 0) and with a rotation-equivariant optimiser (sgd); use \"auto\" or \"ambient\""
            )
        }
        if let study = priorStudy, let problem = study.problem(for: data) {
            throw ScenarioError(.invalid, path: problem.path.isEmpty ? "prior_estimation" : "prior_estimation.\(problem.path)", problem.message)
        }
    }
}

extension RunConfiguration {
    /// The top-level keys of a scenario that belong to the run's configuration.
    public static var sectionKeys: [String] { fields.map(\.shape.key) }
}
