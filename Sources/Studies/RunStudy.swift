import Dynamics
import GSL

/// One run of a configuration and seed, analysed: `Simulation.run` trains and records the probes, then
/// the final analyses — calibration on every evaluation set (`CalibrationProbe`) and, with a
/// `prior_estimation` section, the prior study (`PriorStudyProbe`) — add their metrics and reliability
/// bins. The network outputs they need are dropped afterwards: a result holds numbers only.
public enum RunStudy {
    public static func run(
        _ configuration: RunConfiguration, seed: UInt64,
        progress: (Int) -> Void = { _ in }
    ) throws(GSLError) -> RunResult {
        var result = try train(configuration, seed: seed, progress: progress)
        result.finalExtras =
            (CalibrationProbe.measure(result, configuration: configuration)
            + PriorStudyProbe.measure(result, configuration: configuration)).map { ($0.metric.name, $0.value) }
        result.reliability = CalibrationProbe.reliability(result, configuration: configuration)
        result.finalOutputs = [:]
        return result
    }

    /// Trains the run's network and keeps its outputs on every set the analyses read: the evaluation
    /// sets and, with a prior study, its labelled and unlabelled sets and the partner's outputs.
    public static func train(
        _ configuration: RunConfiguration, seed: UInt64,
        progress: (Int) -> Void = { _ in }
    ) throws(GSLError) -> RunResult {
        var (experiment, model, result) = try Simulation.train(configuration, seed: seed, progress: progress)
        guard let model else { return result }
        var sets = experiment.evaluationSets
        if let study = configuration.priorStudy { sets += PriorStudySets.sets(study, in: experiment) }
        result.finalOutputs = model.outputs(on: sets)
        if let partner = configuration.priorStudy?.partner {
            result.finalOutputs.merge(PriorStudySets.partnerOutputs(partner, in: experiment, on: sets)) { first, _ in first }
        }
        return result
    }

    /// The final metrics `run` adds for this configuration, in order.
    public static func finalMetrics(_ configuration: RunConfiguration) -> [FinalMetric] {
        CalibrationProbe.metrics(configuration) + PriorStudyProbe.metrics(configuration)
    }
}
