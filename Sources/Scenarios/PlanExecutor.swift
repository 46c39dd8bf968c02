import Dispatch
import Dynamics
import Foundation
import GSL

/// What one planned run produced.
public struct RunOutcome: Sendable {
    public var run: PlannedRun
    /// The result, or the error that stopped the run before it started training.
    public var result: Result<RunResult, GSLError>
    public var wallSeconds: Double
}

/// Executes a scenario's runs, `jobs` at a time, one run per thread with a single-threaded BLAS.
/// Outcomes are returned in plan order, so every output is independent of `jobs`.
public enum PlanExecutor {
    /// - Parameters:
    ///   - onProbe: called (from worker threads) with a run index and the step reached.
    ///   - onFinish: called (from worker threads) when a run ends.
    public static func execute(
        _ runs: [PlannedRun], jobs: Int,
        onProbe: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
        onFinish: @escaping @Sendable (RunOutcome) -> Void = { _ in }
    ) -> [RunOutcome] {
        BLASInfo.setThreads(1)
        let collector = OutcomeCollector(count: runs.count)
        let workers = max(1, min(jobs, runs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = collector.claimNext() {
                let run = runs[index]
                let start = DispatchTime.now().uptimeNanoseconds
                let result = Result { () throws(GSLError) -> RunResult in
                    try Simulation.run(run.configuration, seed: run.seed) { onProbe(index, $0) }
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let outcome = RunOutcome(run: run, result: result, wallSeconds: seconds)
                collector.store(outcome, at: index)
                onFinish(outcome)
            }
        }
        return collector.outcomes
    }
}

/// Hands out run indices and stores outcomes by index, under a lock.
private final class OutcomeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var stored: [RunOutcome?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func claimNext() -> Int? {
        lock.withLock {
            guard next < stored.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ outcome: RunOutcome, at index: Int) {
        lock.withLock { stored[index] = outcome }
    }

    var outcomes: [RunOutcome] { lock.withLock { stored.compactMap { $0 } } }
}
