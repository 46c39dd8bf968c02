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
        result.finalExtras = CalibrationProbe.measure(result, configuration: configuration)
            + PriorStudyProbe.measure(result, configuration: configuration)
        result.reliability = CalibrationProbe.reliability(result, configuration: configuration)
        result.finalOutputs = [:]
        return result
    }

    /// The names of the final metrics `run` adds for this configuration, in order.
    public static func finalMetricNames(_ configuration: RunConfiguration) -> [String] {
        CalibrationProbe.names(configuration) + PriorStudyProbe.names(configuration)
    }
}
