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
    public var jobs: Int
    public var host = ProcessInfo.processInfo.hostName
    public var cpuModel = Self.currentCPUModel
    public var cpuCount = ProcessInfo.processInfo.activeProcessorCount
    /// ISO 8601 start and end of the invocation.
    public var started: String
    public var finished: String
    /// Wall time of the invocation, rounded to milliseconds as in the manifest.
    public var wallSeconds: Double

    public init(commandLine: String, scenarioFile: String, jobs: Int, started: Date, finished: Date,
                git: (commit: String, dirty: Bool)) {
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

    /// Reads the fields back from a `manifest.json` document (nil if it is not one of ours).
    public init?(manifest document: JSONValue) {
        func string(_ key: String) -> String? { if case let .string(s)? = document[key] { s } else { nil } }
        func number(_ key: String) -> Double? { if case let .number(x, _)? = document[key] { x } else { nil } }
        func integer(_ key: String) -> Int? { number(key).flatMap { Int(exactly: $0) } }
        guard string("tool") == "simulate", let commit = string("git_commit"), case let .bool(dirty)? = document["git_dirty"],
              let command = string("command"), let file = string("scenario_file"), let started = string("started"),
              let finished = string("finished"), let wall = number("wall_seconds"), wall.isFinite, let jobs = integer("jobs") else { return nil }
        commandLine = command
        scenarioFile = file
        gitCommit = commit
        gitDirty = dirty
        self.jobs = jobs
        self.started = started
        self.finished = finished
        wallSeconds = wall
        toolVersion = string("version") ?? ""
        swiftVersion = string("swift_compiler") ?? "unknown"
        gslVersion = string("gsl_version") ?? "unknown"
        blas = string("blas") ?? "unknown"
        blasLinked = string("blas_linked") ?? "unknown"
        blasThreads = integer("blas_threads_per_run") ?? 1
        host = string("host") ?? "unknown"
        cpuModel = string("cpu_model") ?? "unknown"
        cpuCount = integer("cpu_count") ?? 0
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
              let colon = line.firstIndex(of: ":") else { return "unknown" }
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
        let runs: [JSONValue] = outcomes.map { outcome in
            .object([("run_id", .string(outcome.run.id)), ("seed", .integer(Int(outcome.run.seed))),
                     ("key", .string(RunCache.identity(outcome.run, blas: blas).key)),
                     ("status", .string(outcome.statusLabel)), ("outcome", outcome.outcomeRecord),
                     ("wall_seconds", .number(Self.milliseconds(outcome.wallSeconds))),
                     ("reused", .bool(outcome.reused))])
        }
        let document = JSONValue.object([
            ("tool", .string("simulate")),
            ("version", .string(toolVersion)),
            ("git_commit", .string(gitCommit)),
            ("git_dirty", .bool(gitDirty)),
            ("command", .string(commandLine)),
            ("scenario_file", .string(scenarioFile)),
            ("scenario_name", .string(scenario.name)),
            ("scenario_fnv1a64", .string(Self.scenarioHash(resolvedText))),
            ("scenario_runs_sha256", .string(Self.runsDefinitionHash(resolvedText) ?? "")),
            ("swift_compiler", .string(swiftVersion)),
            ("gsl_version", .string(gslVersion)),
            ("blas", .string(blas)),
            ("blas_linked", .string(blasLinked)),
            ("blas_threads_per_run", .integer(blasThreads)),
            ("jobs", .integer(jobs)),
            ("host", .string(host)),
            ("cpu_model", .string(cpuModel)),
            ("cpu_count", .integer(cpuCount)),
            ("started", .string(started)),
            ("finished", .string(finished)),
            ("wall_seconds", .number(wallSeconds)),
            ("seeds", .array(scenario.seeds.map { .integer(Int($0)) })),
            ("runs", .array(runs)),
            ("files", files.json),
        ])
        return document.serialized() + "\n"
    }
}

extension RunOutcome {
    /// How the run ended, as data (what `simulate report` reads back; the label is for people):
    /// `{"completed": true}`, `{"diverged_at_step": N}` or `{"failed": {"gsl_status": s, "operation": "..."}}`.
    var outcomeRecord: JSONValue {
        switch result {
        case let .success(result):
            switch result.status {
            case .completed: .object([("completed", .bool(true))])
            case let .diverged(step): .object([("diverged_at_step", .integer(step))])
            }
        case let .failure(error):
            .object([("failed", .object([("gsl_status", .integer(Int(error.status))), ("operation", .string(error.operation))]))])
        }
    }

    /// The outcome written by `outcomeRecord`, or nil if `record` is not one.
    static func decodeOutcome(_ record: JSONValue?) -> Result<RunStatus, GSLError>? {
        if record?["completed"] == .bool(true) { return .success(.completed) }
        if case let .number(step, _)? = record?["diverged_at_step"], let exact = Int(exactly: step), exact >= 0 {
            return .success(.diverged(step: exact))
        }
        if case let .number(status, _)? = record?["failed"]?["gsl_status"], let code = Int32(exactly: status),
           case let .string(operation)? = record?["failed"]?["operation"] {
            return .failure(GSLError(status: code, operation: operation))
        }
        return nil
    }

    /// "completed", "diverged at step N" or "failed: <error>".
    public var statusLabel: String {
        switch result {
        case let .success(result): result.status.label
        case let .failure(error): "failed: \(error)"
        }
    }
}
