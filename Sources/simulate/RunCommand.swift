import ArgumentParser
import Dynamics
import Foundation
import GSL
import Reports
import Scenarios

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its report (the default command).",
        discussion: """
            With --shard i/n only the runs whose plan index ≡ i (mod n) run, into the run cache the results \
            folder shares (<out>/../.simulate-cache); nothing is written to the results folder until \
            `simulate merge <out>` finds every run there. Any number of shards may run at once, on any machines \
            that share the folder; a shard run again skips what is cached.
            """)

    @OptionGroup var options: ScenarioOptions

    @Option(help: "Runs in parallel (default: all cores). Results do not depend on it.")
    var jobs: Int?

    @Option(help: ArgumentHelp("Run only shard i of n (0 ≤ i < n), or `slurm` for this Slurm array task's shard.", valueName: "i/n"))
    var shard: String?

    @Flag(help: "No progress output on stderr.")
    var quiet = false

    @Flag(help: "Show the runs that would execute (and which are cached), then stop (as `simulate plan`).")
    var dryRun = false

    @Flag(help: "Run everything again instead of reusing finished runs from the cache (<out>/../.simulate-cache); the cache is refreshed.")
    var fresh = false

    @Flag(help: "Exit with status 1 when a run diverged (the results are written all the same).")
    var failOnDivergence = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
        if let shard, case let .failure(error) = Shard.parse(shard, environment: ProcessInfo.processInfo.environment) {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let (path, plan, destination) = try options.load()
        let requested = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let workers = plan.scenario.parallelRuns(requested)
        if workers < requested && !quiet {
            StandardError.write("simulate: \(workers) runs at a time (not \(requested)): that many fit in this machine's memory\n")
        }
        if dryRun {
            try PlanListing(plan: plan, scenarioFile: path, destination: destination, fresh: fresh).printTable()
            return
        }
        if let shard, case let .success(selected) = Shard.parse(shard, environment: ProcessInfo.processInfo.environment) {
            let outcomes = try ShardRun(shard: selected, plan: plan, scenarioFile: path, destination: destination).execute(
                jobs: workers, reuse: !fresh, quiet: quiet)
            try Self.exitOnDivergence(outcomes, fail: failOnDivergence)
            return
        }
        let (folder, lock) = try ResultsFolderAccess.claim(destination, scenarioFile: path)
        defer { lock.release() }
        let cache = ResultsFolderAccess.cache(beside: folder)
        let started = Date()
        let outcomes = executeRuns(plan.scenario.runs, of: plan, jobs: workers, cache: cache, reuse: !fresh, quiet: quiet)
        _ = try writeResults(
            plan, outcomes: outcomes, scenarioFile: path, destination: (folder, destination, lock), jobs: workers, started: started,
            quiet: quiet)
        print("\(destination)/report.md")
        try Self.exitOnDivergence(outcomes, fail: failOnDivergence)
    }

    /// Warns about runs that diverged, failed or are missing; with `fail` (--fail-on-divergence) a
    /// divergence exits 1.
    static func exitOnDivergence(_ outcomes: [RunOutcome], fail: Bool) throws(ExitCode) {
        var counts = (diverged: 0, failed: 0, missing: 0)
        for outcome in outcomes {
            switch outcome.result {
            case let .success(result): if result.status.diverged { counts.diverged += 1 }
            case .failure(.gsl): counts.failed += 1
            case .failure(.missing): counts.missing += 1
            }
        }
        let kinds = [(counts.diverged, "diverged"), (counts.failed, "failed"), (counts.missing, "missing")].filter { $0.0 > 0 }
        if !kinds.isEmpty {
            let listed = kinds.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            StandardError.write("warning: of \(outcomes.count) runs, \(listed); see the report\n")
        }
        if fail && counts.diverged > 0 { throw ExitStatus.wouldChange.code }
    }
}

/// Runs some of a scenario's runs (all, or a shard's) with progress on stderr; `onFinish` also hears
/// of each finished run (shared by `run`, `run --shard` and `notebook`).
func executeRuns(
    _ runs: [PlannedRun], of plan: LoadedScenario, jobs: Int, cache: RunCache, reuse: Bool, quiet: Bool,
    onFinish: @escaping @Sendable (RunOutcome) -> Void = { _ in }
) -> [RunOutcome] {
    let progress = ProgressDisplay(runs: runs, quiet: quiet)
    progress.start(scenario: plan.scenario.name, jobs: jobs)
    let outcomes = PlanExecutor.execute(
        runs, jobs: jobs, cache: cache, reuse: reuse,
        onProbe: { progress.probe(run: $0, step: $1) },
        onFinish: {
            progress.finish($0)
            onFinish($0)
        })
    progress.done()
    return outcomes
}

/// Writes a plan's results folder (claimed, locked: `ResultsFolderAccess.claim`) from its outcomes;
/// shared by `run`, `merge` and `notebook`. `commandLine` is what the report says to reproduce with
/// (default: this process's). Returns the bundle and its rendered files (report, figures, tables) as
/// written. Exits 73 when the folder cannot be written.
func writeResults(
    _ plan: LoadedScenario, outcomes: [RunOutcome], scenarioFile: String,
    destination: (folder: String, display: String, lock: FolderLock), jobs: Int, started: Date, quiet: Bool,
    commandLine: String = (["simulate"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
) throws(ExitCode) -> (bundle: ResultsBundle, rendered: [(path: String, contents: String)]) {
    let provenance = Provenance(
        commandLine: commandLine, scenarioFile: scenarioFile, jobs: jobs, started: started, finished: Date(),
        git: Provenance.gitState(at: FileManager.default.currentDirectoryPath))
    let bundle = ResultsBundle(scenario: plan.scenario, report: plan.report, outcomes: outcomes, provenance: provenance)
    let rendered = bundle.renderedFiles
    try ResultsFolderAccess.checked { () throws(StorageError) in
        try ResultsFolder.replace(
            destination.folder, with: bundle.withManifest(rendered + bundle.dataFiles), lock: destination.lock,
            note: ResultsFolderAccess.note)
    }
    if !quiet {
        StandardError.write("simulate: wrote \(destination.display)/ in \(String(format: "%.1f", provenance.wallSeconds)) s\n")
    }
    return (bundle, rendered)
}
