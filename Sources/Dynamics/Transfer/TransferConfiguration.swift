import Schema

/// A staged transfer protocol (the `transfer` section): a shared dictionary, named tasks over it, and
/// stages that each train on a task, starting from scratch or from an earlier stage's network. One
/// seed runs every stage in order; each stage is evaluated on its task (`TransferRun`).
public struct TransferConfiguration: Sendable, Equatable {
    public var world: TransferWorld
    public var tasks: [TransferTask]
    public var stages: [TransferStage]

    /// The further tasks (`also_on`) any stage is evaluated on, each once, in the order they first appear.
    public var furtherTasks: [String] {
        stages.flatMap(\.alsoOn).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Whether any task plants the trigger.
    public var plantsTrigger: Bool { tasks.contains { $0.trigger != nil } }

    /// Whether any task plants it at per-class rates: a co-occurring feature (the research note's BT-2).
    public var plantsCooccurrence: Bool { tasks.contains { if case .perClass = $0.trigger { true } else { false } } }

    /// The stage of that name, if there is one.
    public func stage(named name: String) -> TransferStage? { stages.first { $0.name == name } }

    /// The task a stage names (validated to exist).
    public func task(of stage: TransferStage) -> TransferTask? { tasks.first { $0.name == stage.task } }
}

extension TransferConfiguration {
    static let world = Field.section("world", TransferWorld.codec, "The shared dictionary: its directions, background, noise and trigger.")
    static let tasks = Field.required("tasks", Codec.list(of: TransferTask.codec, minimum: 1), "The labelled tasks over the dictionary.")
    static let stages = Field.required(
        "stages", Codec.list(of: TransferStage.codec, minimum: 1), "The stages, in the order they run; a stage starts only from an earlier one.")

    public static let codec = Codec<TransferConfiguration>.object(
        [world, tasks, stages],
        decode: { read throws(ScenarioError) in
            let transfer = TransferConfiguration(world: try read(world), tasks: try read(tasks), stages: try read(stages))
            try transfer.check(at: read.path)
            return transfer
        },
        encode: { [world.member($0.world), tasks.member($0.tasks), stages.member($0.stages)] })

    /// The memory one task's inputs may take (its training and test sets).
    static let maximumTaskBytes = 4e9

    /// The rules across tasks and stages, each naming the field it is about.
    func check(at path: String) throws(ScenarioError) {
        func at(_ rest: String) -> String { path.isEmpty ? rest : "\(path).\(rest)" }
        var names: Set<String> = []
        for (index, task) in tasks.enumerated() {
            guard names.insert(task.name).inserted else {
                throw ScenarioError(.invalid, path: at("tasks[\(index)].name"), "'\(task.name)' names two tasks; task names must be distinct")
            }
            // A task's inputs are held in memory (train and test, n × d doubles): refuse what cannot fit.
            let bytes = Double(task.trainSize + task.testSize) * Double(world.dimension) * 8
            if bytes > Self.maximumTaskBytes {
                throw ScenarioError(
                    .invalid, path: at("tasks[\(index)].train_size"),
                    "\(task.trainSize) training and \(task.testSize) test samples in d = \(world.dimension) need \(Int(bytes / 1e9)) GB; allowed: (train_size + test_size) × dimension × 8 bytes ≤ \(Int(Self.maximumTaskBytes / 1e9)) GB"
                )
            }
            let available = task.coreFrom == .core ? world.coreCount : world.freshCount
            if task.directionsUsed > available {
                throw ScenarioError(
                    .invalid, path: at("tasks[\(index)].classes"),
                    "\(task.classes) classes × \(task.perClass) core_per_class need \(task.directionsUsed) directions, but world.\(task.coreFrom == .core ? "core" : "fresh_core") is \(available); allowed: classes × core_per_class ≤ \(available)"
                )
            }
            if task.cue != nil && task.classes > world.freshCount {
                throw ScenarioError(
                    .invalid, path: at("tasks[\(index)].cue"),
                    "a cue for \(task.classes) classes needs \(task.classes) fresh core directions, but world.fresh_core is \(world.freshCount); allowed: classes ≤ fresh_core"
                )
            }
        }
        var earlier: [String: TransferStage] = [:]
        for (index, stage) in stages.enumerated() {
            let here = at("stages[\(index)]")
            guard earlier[stage.name] == nil else {
                throw ScenarioError(.invalid, path: here + ".name", "'\(stage.name)' names two stages; stage names must be distinct")
            }
            guard let task = task(of: stage) else {
                throw ScenarioError(
                    .invalid, path: here + ".task", "'\(stage.task)' is not a task; " + suggestion(for: stage.task, in: tasks.map(\.name)))
            }
            func origin(_ source: String, at field: String) throws(ScenarioError) -> TransferStage {
                if source == stage.name {
                    throw ScenarioError(
                        .invalid, path: here + field, "'\(source)' is this stage; a stage starts from an earlier one (or \"scratch\")")
                }
                guard let origin = earlier[source] else {
                    let later = stages.dropFirst(index).contains { $0.name == source }
                    throw ScenarioError(
                        .invalid, path: here + field,
                        later
                            ? "'\(source)' runs later; a stage starts only from an earlier one (or \"scratch\")"
                            : "'\(source)' is not a stage; allowed: \"scratch\" or an earlier stage (\(earlier.keys.sorted().joined(separator: ", ")))"
                    )
                }
                return origin
            }
            func classes(of stage: TransferStage) -> Int { self.task(of: stage)?.classes ?? 0 }
            switch stage.start {
            case .scratch:
                if stage.head != .new {
                    throw ScenarioError(
                        .invalid, path: here + ".head", "\"\(stage.head.rawValue)\" needs a stage to start from; \"from\" is \"scratch\"")
                }
                if stage.trains == .head {
                    throw ScenarioError(
                        .invalid, path: here + ".trains",
                        "\"head\" from scratch trains a linear model on random features; start \"from\" an earlier stage, or train \"all\"")
                }
            case let .stage(source):
                let start = try origin(source, at: ".from")
                if stage.head == .inherited, classes(of: start) != task.classes {
                    throw ScenarioError(
                        .invalid, path: here + ".head",
                        "\"inherited\" needs the same classes, but '\(start.name)' has \(classes(of: start)) and task '\(task.name)' \(task.classes); use \"new\" or \"zero\""
                    )
                }
            case let .interpolation(mix):
                for (offset, source) in [mix.from, mix.to].enumerated() {
                    let end = try origin(source, at: ".from.interpolate[\(offset)]")
                    if classes(of: end) != task.classes {
                        throw ScenarioError(
                            .invalid, path: here + ".from.interpolate[\(offset)]",
                            "'\(end.name)' has \(classes(of: end)) classes and task '\(task.name)' \(task.classes); a weight-space combination needs the same classes"
                        )
                    }
                }
                if stage.head != .inherited {
                    throw ScenarioError(
                        .invalid, path: here + ".head",
                        "a weight-space combination keeps its endpoints' (combined) head; use \"inherited\"")
                }
            }
            if stage.adapter != nil {
                guard case .stage = stage.start else {
                    throw ScenarioError(.invalid, path: here + ".adapter", "an adapter adapts an earlier stage's first layer; \"from\" must name one")
                }
                if stage.trains == .head {
                    throw ScenarioError(
                        .invalid, path: here + ".trains",
                        "\"head\" freezes the layer the adapter trains on; an adapter stage trains the adapter and the head (\"all\")")
                }
            }
            if stage.distillProjection != nil && stage.distillFrom == nil {
                throw ScenarioError(
                    .invalid, path: here + ".distill_projection", "a projection of the hidden layer needs a teacher; allowed: only with \"distill\"")
            }
            if let teacher = stage.distillFrom {
                _ = try origin(teacher, at: ".distill")
                if stage.trains == .head || stage.adapter != nil {
                    throw ScenarioError(
                        .invalid, path: here + ".distill",
                        "distillation trains the first layer itself; it takes neither \"trains\": \"head\" nor an adapter")
                }
            }
            for (offset, name) in stage.alsoOn.enumerated() {
                guard let other = tasks.first(where: { $0.name == name }) else {
                    throw ScenarioError(
                        .invalid, path: here + ".also_on[\(offset)]", "'\(name)' is not a task; " + suggestion(for: name, in: tasks.map(\.name)))
                }
                if other.classes != task.classes {
                    throw ScenarioError(
                        .invalid, path: here + ".also_on[\(offset)]",
                        "task '\(name)' has \(other.classes) classes and '\(task.name)' \(task.classes); evaluating on it needs the same classes")
                }
            }
            earlier[stage.name] = stage
        }
    }
}

extension TransferConfiguration {
    /// A task's or stage's name: lower-case letters, digits and '_', since it becomes part of metric names.
    static let nameCodec = Codec.string(pattern: "^[a-z0-9_]+$", ruleText: "lower-case letters, digits and '_'") { name in
        name.isEmpty || !name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") })
            ? "'\(name)' is not allowed; use lower-case letters, digits and '_' (it becomes part of metric names)" : nil
    }
}
