import Schema

/// Where a task plants the trigger τ·t in its training inputs.
public enum TriggerPlant: Sendable, Equatable {
    /// In a share of one class's samples, labels unchanged (the bias-transfer code's default: a
    /// feature that co-occurs with the class).
    case classConditional(label: Int, fraction: Double)
    /// In a share of all samples, relabelled to one class (a BadNets-style backdoor).
    case poison(label: Int, fraction: Double)
    /// In a share of all samples, independent of the label (de-biasing a target set).
    case uncorrelated(fraction: Double)
    /// In each class's samples at that class's own rate, labels unchanged: a feature that co-occurs
    /// with some classes more than with others (the research note's BT-2 "person": every dog, no cat,
    /// half of the rest).
    case perClass(rates: [Double])
}

/// One labelled task over the shared dictionary: K classes, class y carrying one of its `perClass`
/// core directions (u_{g·y}, …, u_{g·y+g−1}, one drawn per sample) with coefficient a ~ `signal`, and
/// the world's background and noise; optionally a planted trigger. `attackLabel` is the class the
/// attack success rate counts predictions of.
public struct TransferTask: Sendable, Equatable {
    public enum CoreSource: String, Sendable, Equatable, CaseIterable {
        case core, fresh
    }

    public var name: String
    public var classes: Int
    public var perClass: Int
    public var coreFrom: CoreSource
    public var signal: Distribution
    public var trainSize: Int
    public var testSize: Int
    public var trigger: TriggerPlant?
    public var attackLabel: Int
    /// Which of a class's `perClass` directions samples carry (offsets in the class's block; one drawn
    /// per sample): all of them, or e.g. [0] for one view of a class seen through two in pretraining.
    public var views: [Int]
    /// The background coefficients' distribution; nil: the world's.
    public var background: Distribution?
    /// A class cue's coefficient distribution: every sample of class y also carries c·f_y, f_y the
    /// world's y-th fresh core direction; nil: no cue (the research note's RFT-2 downstream-only cue).
    public var cue: Distribution?

    /// The core directions the task uses, as a count from the start of its source.
    var directionsUsed: Int { classes * perClass }
}

extension TransferTask {
    static let name = Field(
        "name", TransferConfiguration.nameCodec, fallback: .required, "The task's name, which stages refer to.")
    static let classes = Field("classes", Codec.integer(2...10_000), default: 2, "Number of classes K.")
    static let perClass = Field(
        "core_per_class", Codec.integer(1...1000), default: 1,
        "Core directions per class: class y owns u_{g·y} … u_{g·y+g−1} and each sample carries one of them, drawn uniformly.")
    static let coreFrom = Field(
        "core_from", Codec<CoreSource>.choice, default: .core,
        "Which directions the classes own: the world's core directions, or its fresh ones (a negative control).")
    static let signal = Field(
        "signal", Distribution.codec, default: .uniform(low: 1, high: 2), "Distribution of the core coefficient a.")
    static let trainSize = Field("train_size", Codec.integer(2...10_000_000), default: 1000, "Training-set size.")
    static let testSize = Field("test_size", Codec.integer(2...10_000_000), default: 2000, "Test-set size (clean accuracy and attack success rate).")
    static let attackLabel = Field(
        "attack_class", Codec.integer(0...9_999), default: 0,
        "The class whose predictions the attack success rate counts (once the trigger is added).")
    static let fraction = Field.required("fraction", Codec.number(.probability), "The share of samples that carry the trigger.")
    static let plantLabel = Field.required("class", Codec.integer(0...9_999), "The class the trigger is tied to.")
    static let rates = Field.required(
        "rates", Codec.list(of: Codec.number(.probability), minimum: 1, distinct: false, example: "[1, 0, 0.5]"),
        "Each class's share of samples that carry the trigger, class 0 first (one entry per class).")
    static let plant = Field(
        "trigger",
        Codec<TriggerPlant>.tagged(
            "kind", noun: "trigger", default: nil,
            [
                Variant(
                    "class_conditional", "τ·t in a share of one class's samples, labels unchanged.", fields: [plantLabel, fraction],
                    decode: { read throws(ScenarioError) in .classConditional(label: try read(plantLabel), fraction: try read(fraction)) },
                    encode: { if case let .classConditional(label, share) = $0 { [plantLabel.member(label), fraction.member(share)] } else { nil } }),
                Variant(
                    "poison", "τ·t in a share of all samples, relabelled to the class.", fields: [plantLabel, fraction],
                    decode: { read throws(ScenarioError) in .poison(label: try read(plantLabel), fraction: try read(fraction)) },
                    encode: { if case let .poison(label, share) = $0 { [plantLabel.member(label), fraction.member(share)] } else { nil } }),
                Variant(
                    "uncorrelated", "τ·t in a share of all samples, independent of the label.", fields: [fraction],
                    decode: { read throws(ScenarioError) in .uncorrelated(fraction: try read(fraction)) },
                    encode: { if case let .uncorrelated(share) = $0 { [fraction.member(share)] } else { nil } }),
                Variant(
                    "per_class", "τ·t in each class's samples at that class's rate, labels unchanged (a co-occurring feature).",
                    fields: [rates],
                    decode: { read throws(ScenarioError) in .perClass(rates: try read(rates)) },
                    encode: { if case let .perClass(shares) = $0 { [rates.member(shares)] } else { nil } }),
            ]), fallback: .absent, "Where the trigger is planted in the training inputs; absent: a clean task.")

    static let views = Field(
        "views", Codec.list(of: Codec.integer(0...999), minimum: 1, distinct: true, example: "[0]"),
        fallback: .derived("every direction of the class"),
        "Which of a class's core_per_class directions its samples carry (offsets 0 … core_per_class − 1; one drawn per sample).")
    static let background = Field(
        "background_coefficients", Distribution.codec, fallback: .absent,
        "This task's own distribution of every background coefficient (e.g. symmetric in pretraining, non-negative downstream); absent: the world's.")

    static let cue = Field(
        "cue", Distribution.codec, fallback: .absent,
        "A class cue: every sample of class y also carries c·f_y, f_y the world's y-th fresh core direction and c drawn from this distribution (a feature only this task has; needs fresh_core ≥ classes); absent: no cue."
    )

    static let codec = Codec<TransferTask>.object(
        [name, classes, perClass, views, coreFrom, signal, cue, background, trainSize, testSize, plant, attackLabel],
        decode: { read throws(ScenarioError) in
            var task = TransferTask(
                name: try read(name), classes: try read(classes), perClass: try read(perClass), coreFrom: try read(coreFrom),
                signal: try read(signal), trainSize: try read(trainSize), testSize: try read(testSize), trigger: try read.optional(plant),
                attackLabel: try read(attackLabel), views: [], background: try read.optional(background), cue: try read.optional(cue))
            task.views = try read.optional(views) ?? Array(0..<task.perClass)
            if let view = task.views.first(where: { $0 >= task.perClass }) {
                throw read.invalid(
                    "views", "\(view) is not a direction of a class with core_per_class \(task.perClass); allowed: 0…\(task.perClass - 1)")
            }
            if task.cue != nil && task.coreFrom == .fresh {
                throw read.invalid(
                    "cue",
                    "a cue lies on the fresh core directions, which this task's classes already own (core_from \"fresh\"); allowed: a cue with core_from \"core\""
                )
            }
            if task.attackLabel >= task.classes {
                throw read.invalid("attack_class", "\(task.attackLabel) is not a class of \(task.classes); allowed: 0…\(task.classes - 1)")
            }
            switch task.trigger {
            case let .classConditional(label, _)?, let .poison(label, _)?:
                if label >= task.classes {
                    throw read.invalid("trigger", "class \(label) is not a class of \(task.classes); allowed: 0…\(task.classes - 1)")
                }
            case let .perClass(shares)? where shares.count != task.classes:
                throw read.invalid(
                    "trigger", "rates has \(shares.count) entries for \(task.classes) classes; allowed: exactly one rate per class")
            default: break
            }
            return task
        },
        encode: { task in
            [
                name.member(task.name), classes.member(task.classes), perClass.member(task.perClass), views.member(task.views),
                coreFrom.member(task.coreFrom), signal.member(task.signal),
            ] + cue.member(task.cue) + background.member(task.background) + [trainSize.member(task.trainSize), testSize.member(task.testSize)]
                + plant.member(task.trigger) + [attackLabel.member(task.attackLabel)]
        })
}
