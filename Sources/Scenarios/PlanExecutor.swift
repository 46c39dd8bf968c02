import Dispatch
import Dynamics
import Foundation
import GSL
import Studies
import Synchronization

/// What one planned run produced.
public struct RunOutcome: Sendable {
    public var run: PlannedRun
    /// The result, or why there is none (`RunFailure`).
    public var result: Result<RunResult, RunFailure>
    /// The run's own compute time (for a reused run, the time it took when it ran).
    public var wallSeconds: Double
    /// Whether the result came from the run cache.
    public var reused = false

    public init(run: PlannedRun, result: Result<RunResult, RunFailure>, wallSeconds: Double, reused: Bool = false) {
        self.run = run
        self.result = result
        self.wallSeconds = wallSeconds
        self.reused = reused
    }
}

/// Executes a scenario's runs, `jobs` at a time, one run per thread with a single-threaded BLAS.
/// Outcomes are returned in plan order, so every output is independent of `jobs`.
public enum PlanExecutor {
    /// - Parameters:
    ///   - onProbe: called (from worker threads) with a run index and the step reached.
    ///   - onFinish: called (from worker threads) when a run ends.
    ///   - cache: where finished runs are stored as they finish and, if `reuse`, looked up before running.
    public static func execute(
        _ runs: [PlannedRun], jobs: Int, cache: RunCache? = nil, reuse: Bool = true,
        onProbe: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
        onFinish: @escaping @Sendable (RunOutcome) -> Void = { _ in }
    ) -> [RunOutcome] {
        BLASInfo.setThreads(1)
        let blas = BLASInfo.active
        let collector = OutcomeCollector(count: runs.count)
        var pending: [Int] = []
        for (index, run) in runs.enumerated() {
            if reuse, let (result, seconds) = cache?.load(run, blas: blas) {
                let outcome = RunOutcome(run: run, result: .success(result), wallSeconds: seconds, reused: true)
                collector.store(outcome, at: index)
                onFinish(outcome)
            } else {
                pending.append(index)
            }
        }
        collector.setPending(pending)
        let workers = max(1, min(jobs, pending.count))
        DispatchQueue.concurrentPerform(iterations: pending.isEmpty ? 0 : workers) { _ in
            while let index = collector.claimNext() {
                let run = runs[index]
                let start = DispatchTime.now().uptimeNanoseconds
                let result = Result { () throws(GSLError) -> RunResult in
                    try RunStudy.run(run.configuration, seed: run.seed) { onProbe(index, $0) }
                }.mapError(RunFailure.gsl)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let outcome = RunOutcome(run: run, result: result, wallSeconds: seconds)
                if case let .success(finished) = result {
                    cache?.store(run, result: finished, wallSeconds: seconds, blas: blas)
                }
                collector.store(outcome, at: index)
                onFinish(outcome)
            }
        }
        return collector.outcomes
    }
}

/// Hands out run indices and stores outcomes by index, under a lock.
private final class OutcomeCollector: Sendable {
    private struct State {
        var next = 0
        var pending: [Int] = []
        var stored: [RunOutcome?]
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(stored: Array(repeating: nil, count: count))) }

    func setPending(_ indices: [Int]) { state.withLock { $0.pending = indices } }

    func claimNext() -> Int? {
        state.withLock { state in
            guard state.next < state.pending.count else { return nil }
            defer { state.next += 1 }
            return state.pending[state.next]
        }
    }

    func store(_ outcome: RunOutcome, at index: Int) {
        state.withLock { $0.stored[index] = outcome }
    }

    var outcomes: [RunOutcome] { state.withLock { $0.stored.compactMap { $0 } } }
}
