import Foundation
import Testing

/// Sharded sweeps (`run --shard`, `merge`, `status`) and crash safety: merged output is the unsharded
/// run's, byte for byte but for timings; a sweep killed with SIGKILL anywhere finishes on a re-run
/// with the same bytes; a torn cache entry is detected and computed again.
@Suite("sharded sweeps and crash safety", .serialized)
struct ShardedSweepTests {
    let fileManager = FileManager.default
    static let files = ["metrics.csv", "summary.csv", "aggregate.csv", "neurons.csv", "reliability.csv", "scenario.resolved.json"]

    /// A scratch folder with `Scenarios/tiny.json` (2 activations × 4 seeds).
    func workspace() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try fileManager.createDirectory(atPath: "\(dir)/Scenarios", withIntermediateDirectories: true)
        try tinyScenario.replacingOccurrences(of: #""seeds": 2"#, with: #""seeds": 4"#)
            .write(toFile: "\(dir)/Scenarios/tiny.json", atomically: true, encoding: .utf8)
        return dir
    }

    func contents(_ path: String) -> String { fileManager.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// The report without what depends on timing or on how the runs were scheduled: the runs table's
    /// wall times, the reuse count, the command that ran and the provenance line.
    static func timeless(_ report: String) -> String {
        report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).compactMap { line -> String? in
            if line.hasPrefix("*Provenance:*") { return nil }
            if line.hasPrefix("| `"), let cut = line.dropLast().lastIndex(of: "|") { return String(line[..<cut]) }
            return line.replacing(#/\d+ of \d+ runs were reused from the run cache\. Reproduce with `[^`]*`\./#, with: "")
        }.joined(separator: "\n")
    }

    /// Every output of `a` equals `b`'s (the report without timings).
    func expectSameResults(_ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for file in Self.files {
            #expect(
                fileManager.contents(atPath: "\(a)/\(file)") == fileManager.contents(atPath: "\(b)/\(file)"), "\(file) differs",
                sourceLocation: sourceLocation)
        }
        #expect(
            Self.timeless(contents("\(a)/report.md")) == Self.timeless(contents("\(b)/report.md")), "report.md differs",
            sourceLocation: sourceLocation)
        #expect(!contents("\(a)/report.md").isEmpty, sourceLocation: sourceLocation)
    }

    func cacheEntries(_ dir: String) -> [String] {
        ((try? fileManager.contentsOfDirectory(atPath: "\(dir)/.simulate-cache")) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .sorted()
    }

    @Test(
        "Shards 0/3, 1/3, 2/3 then merge equal the unsharded run; merge refuses (2) while a shard is missing, naming it; --partial says what is missing"
    )
    func shardedEqualsUnsharded() throws {
        let dir = try workspace()
        #expect(try CLI.run(["run", "tiny", "--quiet", "--jobs", "2", "--out", "single/out"], in: dir).status == 0)
        for shard in 0..<2 {
            let run = try CLI.run(["run", "tiny", "--quiet", "--out", "sharded/out", "--shard", "\(shard)/3"], in: dir)
            #expect(run.status == 0 && !fileManager.fileExists(atPath: "\(dir)/sharded/out"), "\(run.stderr)")
        }
        let early = try CLI.run(["merge", "sharded/out"], in: dir)
        #expect(early.status == 2, "\(early.stderr)")
        #expect(early.stderr.contains("6 of 8 runs finished; 2 missing") && early.stderr.contains("--shard i/3` for i in 2"), "\(early.stderr)")
        #expect(!fileManager.fileExists(atPath: "\(dir)/sharded/out"), "an incomplete merge wrote results")
        // --partial writes what finished and says, at the top, what is missing and why; a complete merge replaces it.
        let partial = try CLI.run(["merge", "sharded/out", "--partial", "--quiet"], in: dir)
        #expect(partial.status == 0 && partial.stderr.contains("of 8 runs, 2 missing"), "\(partial.stderr)")
        let partialReport = contents("\(dir)/sharded/out/report.md")
        #expect(partialReport.hasPrefix("# tiny\n\n> **Partial results: 2 of 8 planned runs are missing**"), "\(partialReport.prefix(300))")
        #expect(partialReport.contains("`activation=linear/seed=1` (not run, or its shard stopped before it)"))
        #expect(contents("\(dir)/sharded/out/summary.csv").contains("\"missing: not run, or its shard stopped before it\""))
        let partialCells = contents("\(dir)/sharded/out/aggregate.csv").split(separator: "\n").dropFirst()
        #expect(partialCells.count == 2 && partialCells.allSatisfy { $0.contains(",4,3,") }, "each cell: 4 runs, 3 completed")
        #expect(try CLI.run(["report", "--check", "sharded/out"], in: dir).status == 0, "the missing runs are read back from the manifest")
        let missing = try CLI.run(["status", "sharded/out"], in: dir)
        #expect(missing.status == 0 && missing.stdout.contains("activation=linear/seed=1\tmissing"), "\(missing.stdout)")
        let plan = try CLI.run(["plan", "tiny", "--out", "sharded/out", "--json"], in: dir)
        #expect(plan.status == 0 && plan.stdout.components(separatedBy: "\"cached\": true").count == 7, "\(plan.stdout)")
        #expect(try CLI.run(["run", "tiny", "--quiet", "--out", "sharded/out", "--shard", "2/3"], in: dir).status == 0)
        let merge = try CLI.run(["merge", "sharded/out", "--quiet"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        expectSameResults("\(dir)/single/out", "\(dir)/sharded/out")
        #expect(contents("\(dir)/sharded/out/report.md").contains("Reproduce with `simulate run tiny --quiet --out sharded/out`"))
        #expect(try CLI.run(["report", "--check", "sharded/out"], in: dir).status == 0)

        // A torn cache entry is detected, counted missing, and computed again by its shard.
        let entry = "\(dir)/sharded/.simulate-cache/\(cacheEntries("\(dir)/sharded")[0])"
        let intact = try #require(fileManager.contents(atPath: entry))
        try intact.prefix(intact.count / 2).write(to: URL(fileURLWithPath: entry))
        let torn = try CLI.run(["merge", "sharded/out"], in: dir)
        #expect(torn.status == 2 && torn.stderr.contains("corrupt") && torn.stderr.contains("7 of 8 runs finished; 1 missing"), "\(torn.stderr)")
        for shard in 0..<3 {
            #expect(try CLI.run(["run", "tiny", "--quiet", "--out", "sharded/out", "--shard", "\(shard)/3"], in: dir).status == 0)
        }
        let status = try CLI.run(["status", "sharded/out"], in: dir)
        #expect(status.stdout.contains("8 of 8 runs finished."), "the torn entry was not computed again: \(status.stdout)")
        #expect(try CLI.run(["merge", "sharded/out", "--quiet"], in: dir).status == 0)
        expectSameResults("\(dir)/single/out", "\(dir)/sharded/out")
    }

    @Test("--shard values that are not a shard are refused with the rule (64)", arguments: ["3/3", "-1/2", "1/0", "a/b", "1", "slurm"])
    func badShards(_ value: String) throws {
        let dir = try workspace()
        let run = try CLI.run(["run", "tiny", "--quiet", "--out", "out", "--shard", value], in: dir, environment: ["SLURM_ARRAY_TASK_ID": ""])
        #expect(run.status == 64 && run.stderr.contains("--shard"), "\(value): \(run.stderr)")
        #expect(!fileManager.fileExists(atPath: "\(dir)/.simulate-cache"))
    }

    @Test("simulate slurm writes a requeueing array script split at --max-array-size and a merge script; submits nothing without --submit")
    func slurmScripts() throws {
        let dir = try workspace()
        let bad = try CLI.run(["slurm", "tiny", "--out", "out", "--warning-seconds", "0"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--warning-seconds must be in 1…65535, got 0"), "\(bad.stderr)")
        let run = try CLI.run(
            ["slurm", "tiny", "--out", "out", "--shards", "3", "--max-array-size", "2", "--time", "0:05:00", "--warning-seconds", "90"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        // Three shards under a MaxArraySize of 2: indices 0–1, then one more array offset by 2.
        #expect(run.stdout.contains("--array=0-1") && run.stdout.contains("SIMULATE_SHARD_OFFSET=2"), "\(run.stdout)")
        let folder = "\(dir)/.simulate-cache/sweeps/out/slurm"
        let array = contents("\(folder)/array-3.sbatch"), merge = contents("\(folder)/merge.sbatch")
        for line in [
            "#SBATCH --requeue", "#SBATCH --open-mode=append", "#SBATCH --signal=B:USR1@90", "#SBATCH --time=0:05:00",
            "export SIMULATE_SHARD_COUNT=3",
        ] {
            #expect(array.contains(line + "\n"), "array script lacks \(line)")
        }
        #expect(array.contains("scontrol requeue") && array.contains("--shard slurm"))
        #expect(merge.contains(" merge ") && !fileManager.fileExists(atPath: "\(dir)/out"), "\(merge)")
    }

    @Test("A shard sent USR1 (Slurm's warning) mid-run, while its workers compute, exits 75 (not a crash), and a re-run finishes it")
    func warnedShard() throws {
        let dir = try workspace()
        try tinyScenario.replacingOccurrences(of: #""seeds": 2"#, with: #""seeds": 8"#).replacingOccurrences(
            of: #""steps": 200"#, with: #""steps": 3000"#
        )
        .write(toFile: "\(dir)/Scenarios/long.json", atomically: true, encoding: .utf8)
        let shard = ["run", "long", "--quiet", "--out", "out", "--shard", "0/1", "--jobs", "2"]
        let process = try CLI.start(shard, in: dir)
        // Once the first run is cached, the workers are inside the next ones.
        while process.isRunning, cacheEntries(dir).isEmpty { usleep(1_000) }
        kill(process.processIdentifier, SIGUSR1)
        process.waitUntilExit()
        #expect(
            process.terminationReason == .exit && process.terminationStatus == 75,
            "ended by \(process.terminationReason), \(process.terminationStatus)")
        #expect(try CLI.run(shard, in: dir).status == 0)
        #expect(cacheEntries(dir).count == 16)
    }

    /// Runs `arguments` and kills it with SIGKILL as soon as `due` says so (polled every 0.2 ms); true
    /// when it was killed before it finished by itself.
    func killed(_ arguments: [String], in dir: String, environment: [String: String] = [:], when due: () -> Bool) throws -> Bool {
        let process = try CLI.start(arguments, in: dir, environment: environment)
        while process.isRunning, !due() { usleep(200) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    @Test("kill -9 at six points (inside cache writes, in training, between runs, in the final write, in a shard), then a re-run: byte-identical")
    func killAndResume() throws {
        let dir = try workspace()
        #expect(try CLI.run(["run", "tiny", "--quiet", "--out", "single/out"], in: dir).status == 0)
        let run = ["run", "tiny", "--quiet", "--jobs", "1", "--out", "resumed/out"]
        let never = { false }
        func entries() -> Int { cacheEntries("\(dir)/resumed").count }
        var points: [String] = []
        // 1, 2: inside the first and (after resuming) the third cache write: the entry is left half-written
        // in its temporary file, never under its own name.
        for write in [1, 3] where try killed(run, in: dir, environment: ["SIMULATE_CRASH_TEST": "cache-write:\(write)"], when: never) {
            points.append("cache write \(write)")
        }
        #expect(entries() == 2, "a torn write became an entry, or a finished one was lost")
        // 3: in training, before the next entry; 4: right after the next entry is written.
        if try killed(run, in: dir, when: { entries() == 2 && self.fileManager.fileExists(atPath: "\(dir)/resumed/.simulate-cache") }) {
            points.append("training")
        }
        if try killed(run, in: dir, when: { entries() >= 3 }) { points.append("between runs") }
        // 5: a shard killed in its first cache write.
        if try killed(
            ["run", "tiny", "--quiet", "--jobs", "1", "--out", "resumed/out", "--shard", "1/2"], in: dir,
            environment: ["SIMULATE_CRASH_TEST": "cache-write:1"], when: never)
        {
            points.append("shard cache write")
        }
        // 6: the final write (its staging folder is the sign).
        let staging = { ((try? self.fileManager.contentsOfDirectory(atPath: "\(dir)/resumed")) ?? []).contains { $0.contains(".simulate-staging.") } }
        for _ in 0..<20 where !points.contains("final write") {
            if try killed(run, in: dir, when: staging) { points.append("final write") }
        }
        #expect(points.count >= 5, "killed only at \(points)")
        let rerun = try CLI.run(run, in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        expectSameResults("\(dir)/single/out", "\(dir)/resumed/out")
        let leftovers = ((try? fileManager.subpathsOfDirectory(atPath: "\(dir)/resumed")) ?? []).filter {
            $0.contains(".simulate-") && !$0.hasPrefix(".simulate-cache")
        }
        #expect(leftovers.isEmpty, "left: \(leftovers)")
    }

    @Test("A learning rate that diverges: the report names each diverged run and its step, exit 0; --fail-on-divergence exits 1")
    func divergence() throws {
        let dir = try workspace()
        let run = try CLI.run(["run", "tiny", "--quiet", "--out", "out", "--set", "training.optimizer.lr=1e6"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let report = contents("\(dir)/out/report.md")
        #expect(report.contains("**8 of 8 runs diverged** and are excluded from every mean"), "\(report.prefix(3000))")
        #expect(report.contains("`activation=relu/seed=1` at step 2 (last finite loss 206)"), "\(report.prefix(3000))")
        #expect(report.contains("| `activation=linear/seed=3` | diverged at step "), "\(report.prefix(3000))")
        let failing = try CLI.run(["run", "tiny", "--quiet", "--out", "out", "--set", "training.optimizer.lr=1e6", "--fail-on-divergence"], in: dir)
        #expect(failing.status == 1 && failing.stderr.contains("diverged"), "\(failing.stderr)")
        #expect(try CLI.run(["run", "tiny", "--quiet", "--out", "out", "--fail-on-divergence"], in: dir).status == 0)
    }
}
