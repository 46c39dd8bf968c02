import Dynamics
import GSL

/// The extra material of a prior study (`prior_estimation`), drawn from its own streams of the run's
/// seed so that it changes nothing in training: one class-balanced labelled set per size, an
/// unlabelled sample with the training prior, and the outputs of a partner model trained identically
/// on another prior and set size.
public enum PriorStudySets {
    /// The labelled sets and the unlabelled sample, each drawn from the stream its name names.
    static func sets(_ study: PriorStudyConfiguration, in experiment: Experiment) -> [(set: EvaluationSet, data: Dataset)] {
        let data = experiment.configuration.data
        var sets = study.labelledPerClass.map { count in
            let set = EvaluationSet.labelled(perClass: count)
            return (set, experiment.sample(count: count * data.classes, stream: set.name))
        }
        if study.unlabelledSize > 0 {
            let set = EvaluationSet.unlabelled
            sets.append((set, experiment.sample(count: study.unlabelledSize, prior: data.prior, stream: set.name)))
        }
        return sets
    }

    /// The partner's outputs on `sets` (as `.partner(of:)` each); none if its training diverged.
    static func partnerOutputs(
        _ partner: PriorStudyConfiguration.Partner, in experiment: Experiment,
        on sets: [(set: EvaluationSet, data: Dataset)]
    ) -> SetOutputs {
        var configuration = experiment.configuration
        configuration.data.prior = partner.prior
        configuration.data.trainSize = partner.trainSize
        let train = experiment.sample(count: partner.trainSize, prior: partner.prior, stream: "partner:train")
        let (model, result) = experiment.trainNetwork(configuration, on: train, stream: "partner:")
        guard result.status == .completed else { return [:] }
        return Dictionary(uniqueKeysWithValues: model.outputs(on: sets).map { (EvaluationSet.partner(of: $0.key), $0.value) })
    }
}
