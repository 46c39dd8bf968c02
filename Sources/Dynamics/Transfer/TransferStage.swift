import Schema

/// One stage of a transfer protocol: which task it trains on, what it starts from, which parameters
/// train and how (steps, batch, optimiser with its weight decay, schedule; the loss is softmax
/// cross-entropy on the task's K classes).
public struct TransferStage: Sendable, Equatable {
    /// Where the stage's network comes from.
    public enum Start: Sendable, Equatable {
        /// A fresh network, initialised from the stage's own stream.
        case scratch
        /// The network at the end of an earlier stage.
        case stage(String)
        /// A weight-space combination of two earlier stages' networks, every parameter
        /// (1 − α)·θ_from + α·θ_to (WiSE-FT, with `from` the zero-shot model and `to` its fine-tuned one).
        case interpolation(Interpolation)

        /// The earlier stages it reads.
        var sources: [String] {
            switch self {
            case .scratch: []
            case let .stage(name): [name]
            case let .interpolation(mix): [mix.from, mix.to]
            }
        }
    }

    /// `{"interpolate": [from, to], "alpha": α}`.
    public struct Interpolation: Sendable, Equatable {
        public var from: String
        public var to: String
        public var alpha: Double
    }

    /// The head (second layer) the stage starts with, when it starts from an earlier stage.
    public enum Head: String, Sendable, Equatable, CaseIterable {
        /// A freshly initialised head for the stage's task (a new label space).
        case new
        /// The earlier stage's head (the same label space: zero-shot, or continuing).
        case inherited
        /// A head of zeros (a linear probe from a zero head, as LP-FT's first step).
        case zero
    }

    /// Which parameters the stage trains.
    public enum Trains: String, Sendable, Equatable, CaseIterable {
        /// Every layer (full fine-tuning, or training from scratch).
        case all
        /// The head only; the first layer stays exactly as it started (a linear probe on fixed features).
        case head
    }

    public var name: String
    public var task: String
    public var start: Start
    public var head: Head
    public var trains: Trains
    public var steps: Int
    public var batch: BatchSize
    public var optimizer: OptimizerConfiguration
    public var schedule: LearningRateSchedule
    /// The mini-batch size on a training set of `count` samples: all of them, or at most `batch`.
    func batchSize(of count: Int) -> Int {
        switch batch {
        case .full: count
        case let .samples(size): min(size, count)
        }
    }

    /// Further tasks (with the same classes) the final network is evaluated on: OOD sets.
    public var alsoOn: [String]
    /// A residual adapter on the first layer, trained instead of it (R-Adapter), or nil.
    public var adapter: AdapterConfiguration?
    /// The earlier stage whose hidden representation the first layer is trained to reproduce on the
    /// task's inputs (representation distillation), or nil.
    public var distillFrom: String?
    /// With `distillFrom`: the number k of fixed random projections of the hidden layer the squared
    /// error is taken on (a linear map of the representation), or nil for the hidden layer itself.
    public var distillProjection: Int?
}

extension TransferStage {
    static let name = Field(
        "name", TransferConfiguration.nameCodec, fallback: .required,
        "The stage's name: later stages start from it, and its metrics are named <name>_<metric>.")
    static let task = Field.required("task", Codec.string(), "The task (by name) the stage trains and is evaluated on.")
    static let interpolate = Field.required(
        "interpolate", Codec.pair(Codec.string(), Codec.string(), names: "[from, to]: two earlier stages"),
        "The two earlier stages whose networks are combined, θ_from and θ_to.")
    static let alpha = Field.required("alpha", Codec.number(.probability), "α: the combination is (1 − α)·θ_from + α·θ_to.")
    static let interpolation = Codec<Interpolation>.object(
        [interpolate, alpha],
        decode: { read throws(ScenarioError) in
            let (from, to) = try read(interpolate)
            return Interpolation(from: from, to: to, alpha: try read(alpha))
        }, encode: { [interpolate.member(($0.from, $0.to)), alpha.member($0.alpha)] })
    static let start = Field(
        "from",
        Codec<Start>.oneOf([
            .literal("scratch", .scratch),
            Alternative(Codec.string(), embed: { Start.stage($0) }, extract: { if case let .stage(name) = $0 { name } else { nil } }),
            Alternative(
                interpolation, embed: { Start.interpolation($0) }, extract: { if case let .interpolation(mix) = $0 { mix } else { nil } }),
        ]), default: .scratch,
        "\"scratch\", the name of an earlier stage whose final network this stage starts from, or {\"interpolate\": [from, to], \"alpha\": α}.")
    static let steps = Field(
        "steps", Codec.integer(0...100_000_000), default: 1000,
        "Updates; 0 evaluates the starting network as it is (a zero-shot model, or a weight-space combination).")
    static let alsoOn = Field(
        "also_on", Codec.list(of: Codec.string(), distinct: true), default: [],
        "Further tasks, with the same classes, the final network is evaluated on (OOD sets): metric <name>_accuracy_<task>.")
    static let distill = Field(
        "distill", Codec.string(), fallback: .absent,
        "An earlier stage (the teacher): the first layer is trained to reproduce its hidden representation σ(W_T x + b_T) on the task's inputs (squared error), the head is left as it starts."
    )
    static let distillProjection = Field(
        "distill_projection", Codec.integer(1...100_000), fallback: .absent,
        "With distill: the squared error is taken on k fixed random projections P(h − h_T) of the hidden representation (P: k × width, entries N(0, 1/k), from the stream stage:<name>:projection); absent: on the hidden layer itself."
    )
    static let adapter = Field(
        "adapter", AdapterConfiguration.codec, fallback: .absent,
        "A residual adapter on the first layer (R-Adapter): the layer stays as it started and the adapter and the head train.")
    static let head = Field(
        "head", Codec<Head>.choice, default: .new,
        "Starting from an earlier stage: a new head for this task, or the earlier stage's head (same classes).")
    static let trains = Field(
        "trains", Codec<Trains>.choice, default: .all, "\"all\" layers, or the \"head\" only (the first layer stays fixed).")

    static let codec = Codec<TransferStage>.object(
        [
            name, task, start, head, trains, steps, TrainingConfiguration.batch, TrainingConfiguration.optimizer,
            TrainingConfiguration.schedule, alsoOn, adapter, distill, distillProjection,
        ],
        decode: { read throws(ScenarioError) in
            let stage = TransferStage(
                name: try read(name), task: try read(task), start: try read(start), head: try read(head), trains: try read(trains),
                steps: try read(steps), batch: try read(TrainingConfiguration.batch),
                optimizer: try read(TrainingConfiguration.optimizer), schedule: try read(TrainingConfiguration.schedule),
                alsoOn: try read(alsoOn), adapter: try read.optional(adapter), distillFrom: try read.optional(distill),
                distillProjection: try read.optional(distillProjection))
            try stage.schedule.checkWarmup(steps: stage.steps, stepsField: "this stage's steps", at: read.path)
            return stage
        },
        encode: { stage in
            [
                name.member(stage.name), task.member(stage.task), start.member(stage.start), head.member(stage.head),
                trains.member(stage.trains), steps.member(stage.steps), TrainingConfiguration.batch.member(stage.batch),
                TrainingConfiguration.optimizer.member(stage.optimizer), TrainingConfiguration.schedule.member(stage.schedule),
                alsoOn.member(stage.alsoOn),
            ] + adapter.member(stage.adapter) + distill.member(stage.distillFrom) + distillProjection.member(stage.distillProjection)
        })
}
