import Foundation
import GSL
import Scenarios

/// Where and how results were produced: written to `manifest.json` and summarised in the report.
public struct Provenance: Sendable {
    public static let toolVersion = "0.1.0"

    public var commandLine: String
    public var scenarioFile: String
    public var gitCommit: String
    public var gitDirty: Bool
    public var blas: String
    public var blasThreads: Int
    public var jobs: Int
    public var started: Date
    public var finished: Date

    public init(commandLine: String, scenarioFile: String, jobs: Int, started: Date, finished: Date,
                git: (commit: String, dirty: Bool)) {
        self.commandLine = commandLine
        self.scenarioFile = scenarioFile
        self.gitCommit = git.commit
        self.gitDirty = git.dirty
        self.blas = BLASInfo.active
        self.blasThreads = BLASInfo.threads
        self.jobs = jobs
        self.started = started
        self.finished = finished
    }

    public var wallSeconds: Double { finished.timeIntervalSince(started) }

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

    /// `manifest.json`.
    public func manifest(scenario: Scenario, outcomes: [RunOutcome], resolvedText: String) -> String {
        let iso = ISO8601DateFormatter()
        let runs: [JSONValue] = outcomes.map { outcome in
            let status: String
            switch outcome.result {
            case let .success(result): status = result.status.label
            case let .failure(error): status = "failed: \(error)"
            }
            return .object([("run_id", .string(outcome.run.id)), ("seed", .integer(Int(outcome.run.seed))),
                            ("status", .string(status)), ("wall_seconds", .number((outcome.wallSeconds * 1000).rounded() / 1000))])
        }
        let document = JSONValue.object([
            ("tool", .string("simulate")),
            ("version", .string(Self.toolVersion)),
            ("git_commit", .string(gitCommit)),
            ("git_dirty", .bool(gitDirty)),
            ("command", .string(commandLine)),
            ("scenario_file", .string(scenarioFile)),
            ("scenario_name", .string(scenario.name)),
            ("scenario_fnv1a64", .string(String(SeedMixer.fnv1a(resolvedText), radix: 16))),
            ("gsl_version", .string(gslVersion)),
            ("blas", .string(blas)),
            ("blas_linked", .string(BLASInfo.linked)),
            ("blas_threads_per_run", .integer(blasThreads)),
            ("jobs", .integer(jobs)),
            ("host", .string(ProcessInfo.processInfo.hostName)),
            ("cpu_count", .integer(ProcessInfo.processInfo.activeProcessorCount)),
            ("started", .string(iso.string(from: started))),
            ("finished", .string(iso.string(from: finished))),
            ("wall_seconds", .number((wallSeconds * 1000).rounded() / 1000)),
            ("seeds", .array(scenario.seeds.map { .integer(Int($0)) })),
            ("runs", .array(runs)),
        ])
        return document.serialized() + "\n"
    }
}
