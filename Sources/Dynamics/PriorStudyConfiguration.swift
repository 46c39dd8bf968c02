import Schema

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

}

extension PriorStudyConfiguration.Partner {
    private static let prior = Field("prior", ClassPrior.codec, default: .uniform, "The partner's training prior.")
    private static let trainSize = Field.required("train_size", Codec.integer(2...10_000_000), "The partner's training-set size.")

    static let codec = Codec<Self>.object(
        [prior, trainSize],
        decode: { read throws(ScenarioError) in
            Self(prior: try read(prior), trainSize: try read(trainSize))
        }, encode: { [prior.member($0.prior), trainSize.member($0.trainSize)] })
}

extension PriorStudyConfiguration {
    private static let labelled = Field(
        "labelled_per_class", Codec.list(of: Codec.integer(1...10_000_000), minimum: 1, distinct: true, example: "[5, 20, 100]"),
        default: [5, 20, 100], "Sizes, per class, of the labelled class-balanced sets (one set per size).")
    private static let unlabelled = Field(
        "unlabelled_size", Codec.integer(0...10_000_000), default: 2000,
        "Size of an unlabelled sample with the training prior (for MLLS and BBSE).")
    private static let partner = Field(
        "partner", Partner.codec, fallback: .absent,
        "A second model trained on another prior, for the GLA ensemble.")

    /// The `prior_estimation` section (multi-class data only; checked against the data by the run).
    static let codec = Codec<Self>.object(
        [labelled, unlabelled, partner],
        decode: { read throws(ScenarioError) in
            Self(labelledPerClass: try read(labelled), unlabelledSize: try read(unlabelled), partner: try read.optional(partner))
        },
        encode: { study in
            [labelled.member(study.labelledPerClass), unlabelled.member(study.unlabelledSize)] + partner.member(study.partner)
        })

    /// Why this study does not fit `data`, as (field path below the section, message), or nil.
    func problem(for data: DataConfiguration) -> (path: String, message: String)? {
        guard data.isMulticlass else {
            return ("", "needs multi-class data (\"data\": {\"core\": {\"relation\": \"class_blocks\"}})")
        }
        let limit = max(10_000_000 / data.classes, 1)
        if let index = labelledPerClass.firstIndex(where: { $0 > limit }) {
            return (
                "labelled_per_class[\(index)]",
                "\(labelledPerClass[index]) is out of range; allowed: 1…\(limit) (10,000,000 samples over \(data.classes) classes)"
            )
        }
        guard let partner else { return nil }
        if let problem = partner.prior.problem(classes: data.classes) { return ("partner.prior", problem) }
        if let empty = partner.prior.counts(total: partner.trainSize, classes: data.classes).firstIndex(of: 0) {
            return ("partner.train_size", "\(partner.trainSize) samples leave class \(empty) without a training sample; allowed: a larger train_size")
        }
        return nil
    }
}
