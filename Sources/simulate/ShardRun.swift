import ArgumentParser
import Dispatch
import Foundation
import GSL
import Reports
import Scenarios
import Synchronization

/// `simulate run --shard i/n`: runs one shard's share of a plan into the shared run cache, records
/// the plan and the shard's progress in the sweep folder (`SweepFolder`), and writes no results
/// folder — `simulate merge` does, once every run is cached. A signal (Slurm's pre-timeout USR1,
/// TERM on a requeue or cancel, ^C) stops it at once: what finished is cached, the entry being
/// written is atomic, and the shard log says `interrupted`; exit 75 (run it again).
struct ShardRun {
    let shard: Shard
    let plan: LoadedScenario
    let scenarioFile: String
    let destination: String

    /// The unsharded command that gives the same results: this command line without `--shard`.
    static var unshardedCommand: String {
        var words: [String] = [], arguments = Array(CommandLine.arguments.dropFirst())
        while let word = arguments.first {
            arguments.removeFirst()
            if word == "--shard" {
                if !arguments.isEmpty { arguments.removeFirst() }
            } else if !word.hasPrefix("--shard=") {
                words.append(word)
            }
        }
        return (["simulate"] + words).joined(separator: " ")
    }

    func execute(jobs: Int, reuse: Bool, quiet: Bool) throws(ExitCode) -> [RunOutcome] {
        let folder = try ResultsFolderAccess.checked { () throws(StorageError) in
            try ResultsFolder.destination(destination, scenarioFile: scenarioFile)
        }
        let cache = ResultsFolderAccess.cache(beside: folder)
        let sweep = SweepFolder(resultsFolder: folder, cache: cache)
        let runs = plan.scenario.runs
        let sweepPlan = SweepPlan(
            scenarioFile: scenarioFile, command: Self.unshardedCommand, resolved: plan.resolved.serialized() + "\n", runs: runs,
            blas: BLASInfo.active)
        if let note = try ResultsFolderAccess.checked({ () throws(StorageError) in try sweep.write(sweepPlan) }) {
            StandardError.write(note + "\n")
        }
        let mine = runs.filter { shard.owns($0.index) }
        let environment = ProcessInfo.processInfo.environment
        let now = Self.timestamp()
        let recorder = ShardRecorder(
            ShardLog(
                shard: shard.number, of: shard.count, host: WriterIdentity.current.host, pid: WriterIdentity.current.pid,
                slurmJob: environment["SLURM_JOB_ID"].map { job in environment["SLURM_ARRAY_TASK_ID"].map { "\(job) (array task \($0))" } ?? job },
                state: .running, started: now, updated: now),
            folder: sweep)
        let signals = Self.stopOnSignals(recorder)
        defer { signals.forEach { $0.cancel() } }
        let outcomes = executeRuns(
            mine, of: plan, jobs: jobs, cache: cache, reuse: reuse, quiet: quiet, onFinish: { recorder.record($0) })
        recorder.finish()
        let status = SweepStatus(plan: sweepPlan, runs: runs, folder: sweep, verify: false)
        StandardError.write(
            "simulate: shard \(shard) ran \(mine.count) of \(runs.count) runs (\(outcomes.filter(\.reused).count) from the cache). "
                + "Sweep: \(status.summary)\n")
        if status.isComplete {
            StandardError.write("simulate: every run is in; write the results with `simulate merge \(destination)`\n")
        }
        return outcomes
    }

    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }

    /// Signal sources that mark the shard interrupted and exit 75. Kept alive by the caller.
    static func stopOnSignals(_ recorder: ShardRecorder) -> [any DispatchSourceSignal] {
        [(SIGUSR1, "USR1"), (SIGTERM, "TERM"), (SIGINT, "INT"), (SIGHUP, "HUP")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                recorder.interrupt()
                StandardError.write("simulate: shard interrupted by SIG\(name); its finished runs are cached — run it again to finish\n")
                // _exit, not exit: exit's handlers tear down OpenBLAS and the runtime under the worker
                // threads still computing (a crash, seen under Slurm); the log and the cache are written.
                _exit(ExitStatus.busy.rawValue)
            }
            source.resume()
            return source
        }
    }
}

/// The shard's log, updated as runs finish (from worker threads) and rewritten each time.
final class ShardRecorder: Sendable {
    private let log: Mutex<ShardLog>
    private let folder: SweepFolder

    init(_ log: ShardLog, folder: SweepFolder) {
        self.log = Mutex(log)
        self.folder = folder
        folder.write(log)
    }

    func record(_ outcome: RunOutcome) {
        update { log in
            switch outcome.result {
            case .success: log.finished.append(outcome.run.index)
            case let .failure(failure): log.failed.append(ShardLog.Failure(index: outcome.run.index, error: failure.reason))
            }
        }
    }

    func finish() { update { $0.state = .finished } }
    func interrupt() { update { $0.state = .interrupted } }

    private func update(_ change: (inout ShardLog) -> Void) {
        log.withLock { log in
            change(&log)
            log.updated = ShardRun.timestamp()
            folder.write(log)
        }
    }
}
