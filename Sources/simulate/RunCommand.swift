import ArgumentParser
import Dynamics
import Foundation
import GSL
import Reports
import Scenarios

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its report (the default command).")

    @Argument(help: "A scenario file (Scenarios/relu2.json), or a bundled scenario's name (relu2).")
    var scenario: String

    @Option(help: "Results folder (default: results/<scenario name>). Replaced as a whole when the run ends, if every file in it is simulate's own.")
    var out: String?

    @Option(help: "Run seeds 0..<N instead of the scenario's seeds.")
    var seeds: Int?

    @Option(help: "Runs in parallel (default: all cores). Results do not depend on it.")
    var jobs: Int?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a field: PATH=VALUE (VALUE is JSON, or a bare string). Repeatable.", valueName: "path=value"))
    var overrides: [String] = []

    @Flag(help: "No progress output on stderr.")
    var quiet = false

    @Flag(help: "Show the runs that would execute (and which are cached), then stop.")
    var dryRun = false

    @Flag(help: "Run everything again instead of reusing finished runs from the cache (<out>/../.simulate-cache); the cache is refreshed.")
    var fresh = false

    func validate() throws {
        if let seeds, seeds < 1 || seeds > 10_000 { throw ValidationError("--seeds must be in 1…10000, got \(seeds)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    }

    func run() throws {
        let (path, loaded) = try loadScenario(scenario, overrides: overrides)
        let plan = seeds.map { loaded.withSeedCount($0) } ?? loaded
        let runs = plan.scenario.runs
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let destination = out ?? "results/\(plan.scenario.name)"
        if dryRun {
            let folder = try ResultsFolderAccess.checked { () throws(StorageError) in
                try ResultsFolder.destination(destination, scenarioFile: path)
            }
            let cache = RunCache.beside(resultsFolder: folder, warn: { StandardError.write($0 + "\n") })
            let blas = BLASInfo.active
            for run in runs {
                let cached = !fresh && cache.load(run, blas: blas) != nil
                print("\(run.id)\t\(run.configuration.training.steps) steps\t\(cached ? "cached" : "to run")")
            }
            StandardError.write(
                "\(runs.count) runs (\(plan.scenario.cells.count) configurations × \(plan.scenario.seeds.count) seeds) → \(destination)/\n")
            return
        }
        let (folder, lock) = try ResultsFolderAccess.claim(destination, scenarioFile: path)
        defer { lock.release() }
        let cache = ResultsFolderAccess.cache(beside: folder)
        let outcomes = try executeAndWrite(
            plan, scenarioFile: path, destination: (folder, destination, lock), jobs: workers,
            cache: cache, reuse: !fresh, quiet: quiet
        ).bundle.outcomes
        print("\(destination)/report.md")
        let failed = outcomes.filter { if case let .success(r) = $0.result { r.status != .completed } else { true } }.count
        if failed > 0 {
            StandardError.write("warning: \(failed) of \(runs.count) runs failed or diverged; see the report\n")
        }
    }
}

/// Runs a scenario's plan with progress on stderr and writes its results folder (claimed, locked:
/// `ResultsFolderAccess.claim`); shared by `run` and `notebook`. Returns the bundle and its rendered
/// files (report, figures, tables) as written. Exits 73 when the folder cannot be written.
func executeAndWrite(
    _ plan: LoadedScenario, scenarioFile: String, destination: (folder: String, display: String, lock: FolderLock),
    jobs: Int, cache: RunCache,
    reuse: Bool, quiet: Bool
) throws(ExitCode) -> (bundle: ResultsBundle, rendered: [(path: String, contents: String)]) {
    let started = Date()
    let runs = plan.scenario.runs
    let progress = ProgressDisplay(
        total: runs.count, steps: runs.map(\.configuration.training.steps),
        ids: runs.map(\.id), quiet: quiet)
    progress.start(scenario: plan.scenario.name, jobs: jobs)
    let outcomes = PlanExecutor.execute(
        runs, jobs: jobs, cache: cache, reuse: reuse,
        onProbe: { progress.probe(run: $0, step: $1) },
        onFinish: { progress.finish($0) })
    let provenance = Provenance(
        commandLine: (["simulate"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
        scenarioFile: scenarioFile, jobs: jobs, started: started, finished: Date(),
        git: Provenance.gitState(at: FileManager.default.currentDirectoryPath))
    let bundle = ResultsBundle(scenario: plan.scenario, report: plan.report, outcomes: outcomes, provenance: provenance)
    let rendered = bundle.renderedFiles
    try ResultsFolderAccess.checked { () throws(StorageError) in
        try ResultsFolder.replace(
            destination.folder, with: bundle.withManifest(rendered + bundle.dataFiles), lock: destination.lock,
            note: ResultsFolderAccess.note)
    }
    progress.done(destination: destination.display, seconds: provenance.wallSeconds)
    return (bundle, rendered)
}
