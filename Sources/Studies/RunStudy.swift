import Dynamics
import GSL

/// One run of a configuration and seed, analysed: `Simulation.run` trains and records the probes, then
/// the final analyses — calibration on every evaluation set (`CalibrationProbe`) and, with a
/// `prior_estimation` section, the prior study (`PriorStudyProbe`) — add their metrics and reliability
/// bins. The network outputs they need are dropped afterwards: a result holds numbers only.
public enum RunStudy {
    public static func run(_ configuration: RunConfiguration, seed: UInt64,
                           progress: (Int) -> Void = { _ in }) throws(GSLError) -> RunResult {
        var result = try Simulation.run(configuration, seed: seed, progress: progress)
        result.finalExtras = (CalibrationProbe.measure(result, configuration: configuration)
            + PriorStudyProbe.measure(result, configuration: configuration)).map { ($0.metric.name, $0.value) }
        result.reliability = CalibrationProbe.reliability(result, configuration: configuration)
        result.finalOutputs = [:]
        return result
    }

    /// The final metrics `run` adds for this configuration, in order.
    public static func finalMetrics(_ configuration: RunConfiguration) -> [FinalMetric] {
        CalibrationProbe.metrics(configuration) + PriorStudyProbe.metrics(configuration)
    }
}
