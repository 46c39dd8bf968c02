import ArgumentParser
import Foundation
import GSL
import Reports
import Scenarios

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write (and with --submit, submit) a sweep as Slurm job arrays plus a merge job.",
        discussion: """
            Packs the runs into shards of about --runs-per-task runs; each array task runs one shard \
            (`simulate run --shard slurm`) into the shared run cache, and a merge job (afterany) writes the \
            results folder once every run is in, or fails listing what is missing. Shards that own no \
            unfinished run are not submitted: submitting again after a kill, a timeout or a failure runs only \
            what is missing. Arrays are split at --max-array-size (the cluster's MaxArraySize). A task warned \
            of its time limit stops cleanly and requeues itself. Submitting never waits for the jobs; watch \
            them with `simulate status <out>`. Scripts and logs go to <out>/../.simulate-cache/sweeps/<name>/slurm/.
            """)

    @OptionGroup var options: ScenarioOptions

    @Option(help: "Slurm partition (default: the cluster's).")
    var partition: String?

    @Option(help: "Time limit of each task and of the merge job (Slurm's format).")
    var time = "1:00:00"

    @Option(help: "CPUs per task; a task runs that many runs at once.")
    var cpusPerTask = 1

    @Option(help: "Memory per task (Slurm's format, e.g. 4G; default: the cluster's).")
    var mem: String?

    @Option(help: "Number of shards (array tasks in all); default: runs ÷ --runs-per-task, rounded up.")
    var shards: Int?

    @Option(help: "Runs per task when --shards is not given.")
    var runsPerTask = 4

    @Option(help: "The cluster's MaxArraySize: array indices stay below it, larger sweeps are split into several arrays.")
    var maxArraySize = 1001

    @Option(help: "At most this many tasks of an array run at once (--array=…%P).")
    var throttle: Int?

    @Option(help: "Seconds before the time limit at which Slurm signals a task (USR1) to stop cleanly and requeue itself.")
    var warningSeconds = SlurmJob.defaultWarningSeconds

    @Flag(help: "Submit with sbatch (the scripts are written either way).")
    var submit = false

    func validate() throws {
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be ≥ 1, got \(cpusPerTask)") }
        if let shards, shards < 1 || shards > 1_000_000 { throw ValidationError("--shards must be in 1…1000000, got \(shards)") }
        if runsPerTask < 1 { throw ValidationError("--runs-per-task must be ≥ 1, got \(runsPerTask)") }
        if maxArraySize < 1 { throw ValidationError("--max-array-size must be ≥ 1, got \(maxArraySize)") }
        if let throttle, throttle < 1 { throw ValidationError("--throttle must be ≥ 1, got \(throttle)") }
        if !(1...SlurmJob.maximumWarningSeconds).contains(warningSeconds) {
            throw ValidationError("--warning-seconds must be in 1…\(SlurmJob.maximumWarningSeconds), got \(warningSeconds)")
        }
        for (flag, value) in [("--time", time), ("--partition", partition ?? "x"), ("--mem", mem ?? "1G")]
        where value.isEmpty || !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":-_.".contains($0)) }) {
            throw ValidationError("\(flag) '\(value.prefix(40))' is not a Slurm value (letters, digits, ':', '-', '_', '.')")
        }
    }

    func run() throws {
        let (path, plan, destination) = try options.load()
        let folder = try ResultsFolderAccess.checked { () throws(StorageError) in
            try ResultsFolder.destination(destination, scenarioFile: path)
        }
        let cache = ResultsFolderAccess.cache(beside: folder)
        let sweep = SweepFolder(resultsFolder: folder, cache: cache)
        let runs = plan.scenario.runs
        let cwd = FileManager.default.currentDirectoryPath
        let scenarioFile = ResultsFolder.resolved(path, in: cwd)
        let planArguments = (options.seeds.map { ["--seeds", String($0)] } ?? []) + options.overrides.flatMap { ["--set", $0] }
        let command = (["simulate", "run", scenarioFile, "--out", folder] + planArguments).map(SlurmJob.quoted).joined(separator: " ")
        let sweepPlan = SweepPlan(
            scenarioFile: scenarioFile, command: command, resolved: plan.resolved.serialized() + "\n", runs: runs, blas: BLASInfo.active)
        if let note = try ResultsFolderAccess.checked({ () throws(StorageError) in try sweep.write(sweepPlan) }) {
            StandardError.write(note + "\n")
        }
        let count = min(shards ?? (runs.count + runsPerTask - 1) / runsPerTask, max(runs.count, 1))
        let status = SweepStatus(plan: sweep.readPlan() ?? sweepPlan, runs: runs, folder: sweep)
        let open = status.states.indices.filter { index in
            switch status.states[index] {
            case .completed, .diverged: false
            default: true
            }
        }
        let todo = Array(Set(open.map { $0 % count })).sorted()
        let slurmFolder = "\(sweep.path)/slurm"
        var job = SlurmJob(
            name: plan.scenario.name, executable: Self.executable, scenarioFile: scenarioFile, resultsFolder: folder, workingDirectory: cwd,
            planArguments: planArguments, shardCount: count,
            resources: .init(partition: partition, time: time, cpusPerTask: cpusPerTask, memory: mem, throttle: throttle),
            logFolder: "\(slurmFolder)/logs")
        job.warningSeconds = warningSeconds
        let arrayScript = "\(slurmFolder)/array-\(count).sbatch", mergeScript = "\(slurmFolder)/merge.sbatch"
        do {
            try FileManager.default.createDirectory(atPath: job.logFolder, withIntermediateDirectories: true)
            try ResultsFolder.writeAtomically(job.arrayScript, to: arrayScript)
            try ResultsFolder.writeAtomically(job.mergeScript, to: mergeScript)
        } catch {
            StandardError.write("error: cannot write the Slurm scripts in \(slurmFolder): \(error)\n")
            throw ExitStatus.cannotCreate.code
        }
        print("\(plan.scenario.name): \(runs.count) runs in \(count) shards; \(status.summary)")
        let arrays = SlurmJob.arrays(shards: todo, maxArraySize: maxArraySize)
        if arrays.isEmpty { print("nothing to submit but the merge") }
        print("array script: \(arrayScript)\nmerge script: \(mergeScript)")
        guard submit else {
            for array in arrays {
                print("sbatch " + job.arrayArguments(array, script: arrayScript).dropFirst().map(SlurmJob.quoted).joined(separator: " "))
            }
            print("sbatch --dependency=afterany:<the arrays' job ids> \(SlurmJob.quoted(mergeScript))")
            return
        }
        var ids: [String] = []
        for array in arrays {
            let id = try Self.sbatch(job.arrayArguments(array, script: arrayScript))
            ids.append(id)
            print(
                "submitted array \(id): shards \(array.offset + (array.indices.first ?? 0))… (\(array.indices.count) tasks, --array=\(array.spec(throttle: throttle)))"
            )
        }
        let merge = try Self.sbatch(job.mergeArguments(after: ids, script: mergeScript))
        print("submitted merge \(merge) (after \(ids.isEmpty ? "nothing" : ids.joined(separator: ", ")))")
        print("watch with `simulate status \(destination)`; logs in \(job.logFolder)")
    }

    /// This executable's absolute path (what the job scripts run).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ResultsFolder.resolved(CommandLine.arguments[0])
    }

    /// Runs `sbatch --parsable …` and returns the job id; exits 69 when sbatch is missing or refuses.
    static func sbatch(_ arguments: [String]) throws(ExitCode) -> String {
        let process = Process(), output = Pipe(), errors = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch"] + arguments
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            StandardError.write("error: cannot run sbatch: \(error)\n")
            throw ExitStatus.unavailable.code
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let id = text.split(separator: "\n").first.map { String($0.split(separator: ";")[0]) } ?? ""
        guard process.terminationStatus == 0, !id.isEmpty else {
            StandardError.write(
                "error: sbatch \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus)): \(problem.prefix(2000))\n")
            throw ExitStatus.unavailable.code
        }
        return id
    }
}
