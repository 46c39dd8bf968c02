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

    public init(loss: Loss, steps: Int, batch: BatchSize = .full, sampling: Sampling = .fixed,
                optimizer: OptimizerConfiguration, schedule: LearningRateSchedule = .constant,
                representation: Representation = .auto) {
        self.loss = loss
        self.steps = steps
        self.batch = batch
        self.sampling = sampling
        self.optimizer = optimizer
        self.schedule = schedule
        self.representation = representation
    }
}

/// The full, resolved description of one run (without its seed).
public struct RunConfiguration: Sendable, Equatable {
    public var data: DataConfiguration
    public var model: ModelConfiguration
    public var training: TrainingConfiguration
    /// Probes are taken at step 0, every `probeEvery` steps, and at the end.
    public var probeEvery: Int
    /// Sets and a partner model for prior estimation (multi-class data), or nil.
    public var priorStudy: PriorStudyConfiguration?

    public init(data: DataConfiguration, model: ModelConfiguration, training: TrainingConfiguration, probeEvery: Int,
                priorStudy: PriorStudyConfiguration? = nil) {
        self.data = data
        self.model = model
        self.training = training
        self.probeEvery = probeEvery
        self.priorStudy = priorStudy
    }

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

/// The extra material a run produces for estimating the label prior its model absorbed (multi-class
/// data): small class-balanced labelled sets, an unlabelled sample of the training distribution, and a
/// partner model trained on another prior for the GLA ensemble. Only the final outputs on these sets
/// are kept; they change nothing in training.
public struct PriorStudyConfiguration: Sendable, Equatable {
    /// Sizes, per class, of the labelled class-balanced sets (one set per size, each its own stream).
    public var labelledPerClass: [Int]
    /// Size of an unlabelled sample drawn with the training prior (for label-shift estimators).
    public var unlabelledSize: Int
    /// A second model, trained with the same model and procedure on another prior and set size.
    public var partner: Partner?

    public struct Partner: Sendable, Equatable {
        public var prior: ClassPrior
        public var trainSize: Int

        public init(prior: ClassPrior, trainSize: Int) {
            self.prior = prior
            self.trainSize = trainSize
        }
    }

    public init(labelledPerClass: [Int], unlabelledSize: Int, partner: Partner? = nil) {
        self.labelledPerClass = labelledPerClass
        self.unlabelledSize = unlabelledSize
        self.partner = partner
    }

    /// The name of the labelled set with `count` samples per class in `RunResult.finalOutputs`.
    public static func labelledSet(_ count: Int) -> String { "labelled\(count)" }
    public static let unlabelledSet = "unlabelled"
    /// The name of a partner model's outputs on `set`.
    public static func partnerSet(_ set: String) -> String { "partner:\(set)" }
}
