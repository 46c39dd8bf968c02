import Schema

/// How many samples each step uses.
public enum BatchSize: Sendable, Equatable {
    /// Every training sample, every step (the authors' code).
    case full
    /// A mini-batch of this many samples.
    case samples(Int)
}

/// Where the samples of a step come from.
public enum Sampling: String, Sendable, Equatable, CaseIterable {
    /// A training set drawn once; mini-batches are reshuffled every epoch.
    case fixed
    /// Fresh samples every step (online SGD, as the theory analyses).
    case fresh
}

/// The coordinates the first layer is trained in.
public enum Representation: String, Sendable, Equatable, CaseIterable {
    /// The feature basis when that is exact, else the ambient space.
    case auto
    /// Weights in R^d, inputs x ∈ R^d.
    case ambient
    /// Weights as projections on the k dictionary features plus an exactly tracked orthogonal part:
    /// d/k times cheaper, exact for rotation-equivariant optimisers without input noise.
    case featureBasis = "feature_basis"
}

/// The training procedure of a run.
public struct TrainingConfiguration: Sendable, Equatable {
    public var loss: Loss
    public var steps: Int
    public var batch: BatchSize
    public var sampling: Sampling
    public var optimizer: OptimizerConfiguration
    public var schedule: LearningRateSchedule
    public var representation: Representation
    /// The floating-point precision of the training path.
    public var precision: Precision

    public init(
        loss: Loss, steps: Int, batch: BatchSize, sampling: Sampling,
        optimizer: OptimizerConfiguration, schedule: LearningRateSchedule,
        representation: Representation, precision: Precision = .float64
    ) {
        self.loss = loss
        self.steps = steps
        self.batch = batch
        self.sampling = sampling
        self.optimizer = optimizer
        self.schedule = schedule
        self.representation = representation
        self.precision = precision
    }
}

extension BatchSize {
    /// `"full"` or a batch size.
    public static let codec = Codec<BatchSize>.oneOf([
        .literal("full", .full),
        Alternative(
            Codec.integer(1...10_000_000), embed: { BatchSize.samples($0) },
            extract: { if case let .samples(size) = $0 { size } else { nil } }),
    ])
}

extension TrainingConfiguration {
    static let loss = Field(
        "loss", Codec<Loss>.choice, default: .hinge,
        "Training loss: hinge, logistic or squared on one output; cross_entropy on K logits.")
    static let steps = Field("steps", Codec.integer(1...100_000_000), default: 20_000, "Number of updates.")
    static let batch = Field("batch", BatchSize.codec, default: .full, "\"full\" (every training sample each step) or a mini-batch size.")
    static let sampling = Field(
        "samples", Codec<Sampling>.choice, default: .fixed,
        "\"fixed\": a training set drawn once, reshuffled each epoch; \"fresh\": new samples every step (online SGD).")
    static let optimizer = Field.section("optimizer", OptimizerConfiguration.codec, "The optimiser and its settings (PyTorch's names and defaults).")
    static let schedule = Field.section("schedule", LearningRateSchedule.codec, "How the learning rate changes over training.")
    static let representation = Field(
        "representation", Codec<Representation>.choice, default: .auto,
        "Coordinates of the first layer: \"feature_basis\" is exact without input noise and with SGD; \"auto\" picks it when exact.")

    static let precision = Field(
        "precision", Codec<Precision>.choice, default: .float64,
        "Floating-point precision of training (network, gradient, optimiser state, batches): \"float64\", or \"float32\" — half the GEMMs' cost and memory traffic, like a float32 PyTorch or JAX script. Data are drawn and probes measured in float64 either way."
    )

    /// The `training` section.
    public static let codec = Codec<TrainingConfiguration>.object(
        [loss, steps, batch, sampling, optimizer, schedule, representation, precision],
        decode: { read throws(ScenarioError) in
            let training = TrainingConfiguration(
                loss: try read(loss), steps: try read(steps), batch: try read(batch),
                sampling: try read(sampling), optimizer: try read(optimizer),
                schedule: try read(schedule), representation: try read(representation), precision: try read(precision))
            try training.schedule.checkWarmup(steps: training.steps, stepsField: "training.steps", at: read.path)
            return training
        },
        encode: { training in
            [
                loss.member(training.loss), steps.member(training.steps), batch.member(training.batch),
                sampling.member(training.sampling), optimizer.member(training.optimizer), schedule.member(training.schedule),
                representation.member(training.representation), precision.member(training.precision),
            ]
        })
}
