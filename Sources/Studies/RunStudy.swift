import Dynamics
import GSL

/// One run of a configuration and seed, analysed: `Simulation.run` trains and records the probes, then
/// the final analyses — calibration on every evaluation set (`CalibrationProbe`) and, with a
/// `prior_estimation` section, the prior study (`PriorStudyProbe`) — add their metrics and reliability
/// bins. The network outputs they read are not kept: a result holds numbers only.
public enum RunStudy {
    public static func run(
        _ configuration: RunConfiguration, seed: UInt64,
        progress: (Int) -> Void = { _ in }
    ) throws(GSLError) -> RunResult {
        if let transfer = configuration.transfer {
            var (result, outputs) = try TransferRun.resultWithOutputs(transfer, model: configuration.model, seed: seed)
            if result.status == .completed { result.finalExtras = TransferCalibration.measure(outputs) }
            return result
        }
        var (result, outputs) = try train(configuration, seed: seed, progress: progress)
        result.finalExtras =
            (CalibrationProbe.measure(outputs, configuration: configuration)
            + PriorStudyProbe.measure(outputs, configuration: configuration)).map { ($0.metric.name, $0.value) }
        result.reliability = CalibrationProbe.reliability(outputs, configuration: configuration)
        return result
    }

    /// Trains the run's network: its probe series, and its outputs on every set the analyses read —
    /// the evaluation sets and, with a prior study, its labelled and unlabelled sets and the partner's
    /// outputs (none when the network diverged).
    public static func train(
        _ configuration: RunConfiguration, seed: UInt64,
        progress: (Int) -> Void = { _ in }
    ) throws(GSLError) -> (result: RunResult, outputs: SetOutputs) {
        let (experiment, model, result) = try Simulation.train(configuration, seed: seed, progress: progress)
        guard let model else { return (result, [:]) }
        var sets = experiment.evaluationSets
        if let study = configuration.priorStudy { sets += PriorStudySets.sets(study, in: experiment) }
        var outputs = model.outputs(on: sets)
        if let partner = configuration.priorStudy?.partner {
            outputs.merge(PriorStudySets.partnerOutputs(partner, in: experiment, on: sets)) { first, _ in first }
        }
        return (result, outputs)
    }

    /// The names of every final-only metric `run` adds for this configuration, in order.
    public static func finalMetricNames(_ configuration: RunConfiguration) -> [String] {
        configuration.transfer.map(TransferCalibration.metricNames) ?? finalMetrics(configuration).map(\.name)
    }

    /// The final metrics `run` adds for this configuration, in order.
    public static func finalMetrics(_ configuration: RunConfiguration) -> [FinalMetric] {
        guard configuration.transfer == nil else { return [] }
        return CalibrationProbe.metrics(configuration) + PriorStudyProbe.metrics(configuration)
    }
}
