import ArgumentParser
import Schema
import Foundation
import GSL
import Reports
import Scenarios

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write a sharded sweep's results folder once every planned run is in the run cache.",
        discussion: """
            Reads the plan the shards wrote (<out>/../.simulate-cache/sweeps/<name>/plan.json), checks that every \
            planned run is cached exactly once and intact (each entry's SHA-256), then writes the CSVs, the \
            aggregate, the figures and the report — byte for byte what the unsharded run writes, but for timings. \
            When runs are missing or failed it lists them and the shards to run again, writes nothing, and exits 2; \
            with --partial it writes the results of the finished runs, and the report says, at its top, which runs \
            are missing and why (a later complete merge replaces them).
            """)

    @Argument(help: "The results folder the shards ran into (their --out).")
    var resultsFolder: String

    @Flag(help: "No progress output on stderr.")
    var quiet = false

    @Flag(help: "Exit with status 1 when a run diverged (the results are written all the same).")
    var failOnDivergence = false

    @Flag(help: "Write the results of the runs finished so far (exit 0); the report names the missing ones and why.")
    var partial = false

    func run() throws {
        let started = Date()
        BLASInfo.setThreads(1)  // as the shards ran; the provenance says so
        let access = try SweepAccess(resultsFolder)
        let status = access.status()
        let open = status.failed + status.running + status.missing
        guard status.isComplete || (partial && status.finished > 0) else {
            StandardError.write(
                "error: \(resultsFolder): the sweep is incomplete: \(status.summary)\n\(status.describe(open))\n\(access.rerunAdvice(status))\n"
                    + (partial ? "(--partial: no run has finished yet, so there is nothing to write)\n" : ""))
            throw ExitStatus.incomplete.code
        }
        if !open.isEmpty && !quiet {
            StandardError.write("simulate: partial results: \(status.summary) The report names the missing runs.\n\(access.rerunAdvice(status))\n")
        }
        let (folder, lock) = try ResultsFolderAccess.claim(resultsFolder, scenarioFile: nil)
        defer { lock.release() }
        var outcomes: [RunOutcome] = []
        for (run, state) in zip(access.loaded.scenario.runs, status.states) {
            if let (result, seconds) = access.sweep.cache.load(run, blas: access.plan.blas) {
                outcomes.append(RunOutcome(run: run, result: .success(result), wallSeconds: seconds, reused: true))
            } else if partial {
                outcomes.append(RunOutcome(run: run, result: .failure(.missing(reason: state.missingReason)), wallSeconds: 0))
            } else {
                StandardError.write("error: run \(run.id) left the cache while merging; run its shard again\n")
                throw ExitStatus.incomplete.code
            }
        }
        _ = try writeResults(
            access.loaded, outcomes: outcomes, scenarioFile: access.plan.scenarioFile, destination: (folder, resultsFolder, lock),
            jobs: 1, started: started, quiet: quiet, commandLine: access.plan.command)
        print("\(resultsFolder)/report.md")
        try RunCommand.exitOnDivergence(outcomes, fail: failOnDivergence)
    }
}
