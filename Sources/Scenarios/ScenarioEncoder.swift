import Dynamics

/// Writes a scenario with every default explicit: the `scenario.resolved.json` beside the results.
/// Decoding the output gives the same configuration back.
public enum ScenarioEncoder {
    public static func document(name: String, description: String, seeds: [UInt64],
                                configuration c: RunConfiguration, sweep: [SweepAxis], report: ReportSpec? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(name)),
            ("description", .string(description)),
            ("seeds", .array(seeds.map { .integer(Int($0)) })),
            ("data", data(c.data)),
            ("model", model(c.model)),
            ("training", training(c.training)),
            ("probes", .object([("every", .integer(c.probeEvery))])),
        ]
        if let study = c.priorStudy {
            var section: [(key: String, value: JSONValue)] = [
                ("labelled_per_class", .array(study.labelledPerClass.map { .integer($0) })),
                ("unlabelled_size", .integer(study.unlabelledSize)),
            ]
            if let partner = study.partner {
                section.append(("partner", .object([("prior", prior(partner.prior)), ("train_size", .integer(partner.trainSize))])))
            }
            members.append(("prior_estimation", .object(section)))
        }
        if let report { members.append(("report", Self.report(report))) }
        if let variants = sweep.first(where: \.isVariants) {
            members.append(("variants", .array(variants.values)))
        }
        let fields = sweep.filter { !$0.isVariants }
        if !fields.isEmpty {
            members.append(("sweep", .object(fields.map { ($0.path, .array($0.values)) })))
        }
        return .object(members)
    }

    static func distribution(_ d: Distribution) -> JSONValue {
        switch d {
        case let .uniform(low, high): .object([("uniform", .array([.number(low), .number(high)]))])
        case let .gaussian(mean, sd): .object([("gaussian", .object([("mean", .number(mean)), ("std", .number(sd))]))])
        case let .rademacher(scale): .object([("rademacher", .number(scale))])
        case let .bernoulli(p, scale): .object([("bernoulli", .object([("p", .number(p)), ("scale", .number(scale))]))])
        case let .constant(value): .object([("constant", .number(value))])
        }
    }

    static func data(_ d: DataConfiguration) -> JSONValue {
        let core: JSONValue
        switch d.core {
        case let .sign(coefficients):
            core = .object([("count", .integer(d.coreCount)), ("relation", .string("sign")),
                            ("coefficients", distribution(coefficients))])
        case let .radius(positive, negative):
            core = .object([("count", .integer(d.coreCount)), ("relation", .string("radius")),
                            ("radii", .array([.number(positive), .number(negative)]))])
        case let .classBlocks(signal, noise):
            core = .object([("count", .integer(d.coreCount)), ("relation", .string("class_blocks")),
                            ("coefficients", distribution(signal)), ("noise", .number(noise))])
        }
        return .object([
            ("dimension", .integer(d.dimension)),
            ("basis", .string(d.basis.rawValue)),
            ("core", core),
            ("classes", .integer(d.classes)),
            ("prior", prior(d.prior)),
            ("background", .object([("count", .integer(d.backgroundCount)), ("coefficients", distribution(d.background))])),
            ("noise", .number(d.noise)),
            ("train_size", .integer(d.trainSize)),
            ("test_size", .integer(d.testSize)),
            ("shifts", .array(d.shifts.map(shift))),
        ])
    }

    static func prior(_ p: ClassPrior) -> JSONValue {
        switch p {
        case .uniform: .string("uniform")
        case let .longTailed(ratio): .object([("long_tailed", .number(ratio))])
        case let .weights(w): .array(w.map { .number($0) })
        }
    }

    static func shift(_ s: BackgroundShift) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("name", .string(s.name))]
        switch s.kind {
        case let .flip(factor): members += [("kind", .string("flip")), ("factor", .number(factor))]
        case let .scale(factor): members += [("kind", .string("scale")), ("factor", .number(factor))]
        case let .meanShift(delta): members += [("kind", .string("mean_shift")), ("delta", .number(delta))]
        case .zero: members += [("kind", .string("zero"))]
        case let .redraw(d): members += [("kind", .string("redraw")), ("coefficients", distribution(d))]
        }
        members.append(("reuse_train_core", .bool(s.reuseTrainingCore)))
        return .object(members)
    }

    static func model(_ m: ModelConfiguration) -> JSONValue {
        let initialization: JSONValue
        switch m.initialization {
        case .pytorch: initialization = .string("pytorch")
        case let .gaussian(sd): initialization = .object([("gaussian", .number(sd))])
        }
        return .object([
            ("width", .integer(m.width)),
            ("activation", activation(m.activation)),
            ("bias", .bool(m.hiddenBias)),
            ("init", initialization),
            ("output", .object([("trained", .bool(m.trainOutput)), ("bias", .bool(m.outputBias))])),
        ])
    }

    static func activation(_ a: Activation) -> JSONValue {
        guard let parameter = a.parameter else { return .string(a.name) }
        return .object([("name", .string(a.name)), (parameter.name, .number(parameter.value))])
    }

    static func training(_ t: TrainingConfiguration) -> JSONValue {
        let batch: JSONValue
        switch t.batch {
        case .full: batch = .string("full")
        case let .samples(n): batch = .integer(n)
        }
        return .object([
            ("loss", .string(t.loss.rawValue)),
            ("steps", .integer(t.steps)),
            ("batch", batch),
            ("samples", .string(t.sampling.rawValue)),
            ("optimizer", optimizer(t.optimizer)),
            ("schedule", schedule(t.schedule)),
            ("representation", .string(t.representation.rawValue)),
        ])
    }

    static func optimizer(_ o: OptimizerConfiguration) -> JSONValue {
        switch o {
        case let .sgd(s):
            return .object([("name", .string("sgd")), ("lr", .number(s.learningRate)), ("momentum", .number(s.momentum)),
                            ("dampening", .number(s.dampening)), ("nesterov", .bool(s.nesterov)),
                            ("weight_decay", .number(s.weightDecay))])
        case let .adam(a):
            return .object([("name", .string(o.name)), ("lr", .number(a.learningRate)),
                            ("betas", .array([.number(a.beta1), .number(a.beta2)])), ("eps", .number(a.epsilon)),
                            ("weight_decay", .number(a.weightDecay))])
        case let .rmsprop(r):
            return .object([("name", .string("rmsprop")), ("lr", .number(r.learningRate)), ("alpha", .number(r.alpha)),
                            ("eps", .number(r.epsilon)), ("weight_decay", .number(r.weightDecay)),
                            ("momentum", .number(r.momentum)), ("centered", .bool(r.centered))])
        case let .adagrad(a):
            return .object([("name", .string("adagrad")), ("lr", .number(a.learningRate)), ("lr_decay", .number(a.learningRateDecay)),
                            ("weight_decay", .number(a.weightDecay)), ("initial_accumulator_value", .number(a.initialAccumulator)),
                            ("eps", .number(a.epsilon))])
        }
    }

    static func schedule(_ s: LearningRateSchedule) -> JSONValue {
        var members: [(key: String, value: JSONValue)]
        switch s.shape {
        case .constant: members = [("name", .string("constant"))]
        case let .step(size, gamma): members = [("name", .string("step")), ("step_size", .integer(size)), ("gamma", .number(gamma))]
        case let .cosine(minimum): members = [("name", .string("cosine")), ("min_lr", .number(minimum))]
        }
        members.append(("warmup", .integer(s.warmup)))
        return .object(members)
    }
}
