import ArgumentParser
import Foundation
import Reports
import Scenarios

/// A sharded sweep's results folder as `merge` and `status` open it: its sweep folder, the plan the
/// shards wrote, and that plan's runs decoded again (and checked to be the same runs, key for key).
struct SweepAccess {
    let display: String
    let folder: String
    let sweep: SweepFolder
    let plan: SweepPlan
    let loaded: LoadedScenario

    init(_ display: String) throws(ExitCode) {
        self.display = display
        folder = try ResultsFolderAccess.checked { () throws(StorageError) in try ResultsFolder.destination(display) }
        sweep = SweepFolder(resultsFolder: folder, cache: ResultsFolderAccess.cache(beside: folder))
        let folder = folder, sweep = sweep
        plan = try ResultsFolderAccess.checked { () throws(StorageError) in try sweep.plan(for: display) }
        do {
            loaded = try LoadedScenario.decode(plan.resolved, file: sweep.planPath)
        } catch {
            StandardError.write("error: \(sweep.planPath): the plan's scenario no longer decodes: \(error)\n")
            throw ExitStatus.dataError.code
        }
        guard plan.matches(loaded.scenario.runs, blas: plan.blas) else {
            StandardError.write(
                "error: \(sweep.planPath) lists runs this simulate would not plan from its scenario (written by another engine version?); run the shards again to replace it\n"
            )
            throw ExitStatus.dataError.code
        }
        _ = folder
    }

    func status(verify: Bool = true) -> SweepStatus {
        SweepStatus(plan: plan, runs: loaded.scenario.runs, folder: sweep, verify: verify)
    }

    /// What to run again for the unfinished runs: the shards (of the latest shard count) that own them.
    func rerunAdvice(_ status: SweepStatus) -> String {
        let count = status.shardCount ?? 1
        let shards = status.unfinishedShards(of: count)
        return "run them again with `\(plan.command) --shard i/\(count)` for i in \(shards.map(String.init).joined(separator: ",")), "
            + "or submit the same `simulate slurm … --submit` again (it submits only the shards with unfinished runs)"
    }
}
