import Schema
import Dynamics
import Foundation
import GSL
import Scenarios

/// Where and how results were produced: written to `manifest.json`, summarised in the report's footer,
/// and read back from the manifest when a report is re-rendered (so the footer does not change).
public struct Provenance: Sendable, Equatable {
    public static let toolVersion = "0.2.0"

    public var toolVersion = Self.toolVersion
    public var commandLine: String
    public var scenarioFile: String
    public var gitCommit: String
    public var gitDirty: Bool
    public var swiftVersion = Self.compilerVersion
    public var gslVersion = GSL.gslVersion
    public var blas = BLASInfo.active
    public var blasLinked = BLASInfo.linked
    public var blasThreads = BLASInfo.threads
    public var vectorMath: String? = VectorMath.kernel
    public var jobs: Int
    public var host = ProcessInfo.processInfo.hostName
    public var cpuModel = Self.currentCPUModel
    public var cpuCount = ProcessInfo.processInfo.activeProcessorCount
    /// ISO 8601 start and end of the invocation.
    public var started: String
    public var finished: String
    /// Wall time of the invocation, rounded to milliseconds as in the manifest.
    public var wallSeconds: Double

    public init(
        commandLine: String, scenarioFile: String, jobs: Int, started: Date, finished: Date,
        git: (commit: String, dirty: Bool)
    ) {
        self.commandLine = commandLine
        self.scenarioFile = scenarioFile
        self.gitCommit = git.commit
        self.gitDirty = git.dirty
        self.jobs = jobs
        let iso = ISO8601DateFormatter()
        self.started = iso.string(from: started)
        self.finished = iso.string(from: finished)
        self.wallSeconds = Self.milliseconds(finished.timeIntervalSince(started))
    }

    /// The provenance a manifest records.
    public init(manifest: Manifest) {
        commandLine = manifest.command
        scenarioFile = manifest.scenarioFile
        gitCommit = manifest.gitCommit
        gitDirty = manifest.gitDirty
        jobs = manifest.jobs
        started = manifest.started
        finished = manifest.finished
        wallSeconds = manifest.wallSeconds
        toolVersion = manifest.version
        swiftVersion = manifest.swiftCompiler
        gslVersion = manifest.gslVersion
        blas = manifest.blas
        blasLinked = manifest.blasLinked
        blasThreads = manifest.blasThreadsPerRun
        vectorMath = manifest.vectorMath
        host = manifest.host
        cpuModel = manifest.cpuModel
        cpuCount = manifest.cpuCount
    }

    /// Seconds rounded to milliseconds: what the manifest stores and reports show.
    public static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    /// The Swift compiler the tool was built with (major.minor).
    static var compilerVersion: String {
        #if compiler(>=6.5)
            return "≥ 6.5"
        #elseif compiler(>=6.4)
            return "6.4"
        #elseif compiler(>=6.3)
            return "6.3"
        #elseif compiler(>=6.2)
            return "6.2"
        #else
            return "6.1"
        #endif
    }

    /// The CPU model from /proc/cpuinfo, or "unknown".
    static var currentCPUModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let colon = line.firstIndex(of: ":")
        else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The commit and dirty flag of the git work tree at `directory`, or "unknown".
    public static func gitState(at directory: String) -> (commit: String, dirty: Bool) {
        func run(_ arguments: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", directory] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let commit = run(["rev-parse", "HEAD"]) else { return ("unknown", false) }
        let status = run(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return (commit, !status.isEmpty)
    }

    /// The 64-bit FNV-1a hash (hex) of the resolved scenario's text.
    public static func scenarioHash(_ resolvedText: String) -> String {
        String(SeedMixer.fnv1a(resolvedText), radix: 16)
    }

    /// The SHA-256 of the resolved scenario without its `report` block: what decides the runs. A
    /// results folder's `scenario.resolved.json` may be edited only in ways that leave it unchanged.
    public static func runsDefinitionHash(_ resolvedText: String) -> String? {
        guard case let .object(members)? = try? JSONParser.parse(resolvedText) else { return nil }
        return SHA256.hex(JSONValue.object(members.filter { $0.key != "report" }).serialized(indent: nil))
    }

    /// `manifest.json`: provenance, each run (with its cache key: what determines its numbers) and
    /// every other file of the folder with its size and SHA-256 (`sha256sum` checks them).
    public func manifest(scenario: Scenario, outcomes: [RunOutcome], resolvedText: String, files: FileInventory) -> String {
        Manifest(
            version: toolVersion, gitCommit: gitCommit, gitDirty: gitDirty, command: commandLine, scenarioFile: scenarioFile,
            scenarioName: scenario.name, scenarioFnv1a64: Self.scenarioHash(resolvedText),
            scenarioRunsSha256: Self.runsDefinitionHash(resolvedText) ?? "", swiftCompiler: swiftVersion, gslVersion: gslVersion,
            blas: blas, blasLinked: blasLinked, blasThreadsPerRun: blasThreads, vectorMath: vectorMath, jobs: jobs, host: host, cpuModel: cpuModel,
            cpuCount: cpuCount, started: started, finished: finished, wallSeconds: wallSeconds, seeds: scenario.seeds,
            runs: outcomes.map { outcome in
                Manifest.Run(
                    runId: outcome.run.id, seed: outcome.run.seed, key: RunCache.identity(outcome.run, blas: blas).key,
                    status: outcome.statusLabel, outcome: outcome.outcomeRecord,
                    wallSeconds: Self.milliseconds(outcome.wallSeconds), reused: outcome.reused)
            }, files: files
        ).text
    }
}

extension RunOutcome {
    /// How the run ended, as data (what `simulate report` reads back; the label is for people).
    var outcomeRecord: Manifest.Outcome {
        switch result {
        case let .success(result):
            switch result.status {
            case .completed: .completed
            case let .diverged(step, loss): .diverged(step: step, lastFiniteLoss: loss.isFinite ? loss : nil)
            }
        case let .failure(.gsl(error)): .failed(error)
        case let .failure(.missing(reason)): .missing(reason: reason)
        }
    }

    /// "completed", "diverged at step N", "failed: <error>" or "missing: <why>".
    public var statusLabel: String {
        switch result {
        case let .success(result): result.status.label
        case let .failure(failure): failure.description
        }
    }
}
