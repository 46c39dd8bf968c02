import Dynamics
import GSL

/// The extra material of a prior study (`prior_estimation`), drawn from its own streams of the run's
/// seed so that it changes nothing in training: one class-balanced labelled set per size, an
/// unlabelled sample with the training prior, and the outputs of a partner model trained identically
/// on another prior and set size.
public enum PriorStudySets {
    /// The name of a study's set among a run's outputs: `labelled5`, `unlabelled`, `partner:id`. Each
    /// is also the stream its samples come from.
    public enum Name {
        case labelled(perClass: Int)
        case unlabelled
        /// The partner model's outputs on one of the run's sets.
        case partner(of: String)

        public var text: String {
            switch self {
            case let .labelled(count): "labelled\(count)"
            case .unlabelled: "unlabelled"
            case let .partner(set): "partner:\(set)"
            }
        }
    }

    /// The labelled sets and the unlabelled sample.
    static func sets(_ study: PriorStudyConfiguration, in experiment: Experiment) -> [(name: String, data: Dataset)] {
        let data = experiment.configuration.data
        var sets = study.labelledPerClass.map { count in
            let name = Name.labelled(perClass: count).text
            return (name, experiment.sample(count: count * data.classes, stream: name))
        }
        if study.unlabelledSize > 0 {
            let name = Name.unlabelled.text
            sets.append((name, experiment.sample(count: study.unlabelledSize, prior: data.prior, stream: name)))
        }
        return sets
    }

    /// The partner's outputs on `sets` (named `partner:<set>`); none if its training diverged.
    static func partnerOutputs(
        _ partner: PriorStudyConfiguration.Partner, in experiment: Experiment,
        on sets: [(name: String, data: Dataset)]
    ) -> [String: (logits: Matrix, labels: [Int])] {
        var configuration = experiment.configuration
        configuration.data.prior = partner.prior
        configuration.data.trainSize = partner.trainSize
        let train = experiment.sample(count: partner.trainSize, prior: partner.prior, stream: "partner:train")
        let (model, result) = experiment.trainNetwork(configuration, on: train, stream: "partner:")
        guard result.status == .completed else { return [:] }
        return Dictionary(uniqueKeysWithValues: model.outputs(on: sets).map { (Name.partner(of: $0.key).text, $0.value) })
    }
}
