import Foundation
import GSL
import Schema

/// `manifest.json`, Codable: where and how the results were produced, every run with its cache key
/// and outcome, and every other file of the folder with its size and SHA-256. Written by `run` and
/// `report`; read back by `report` (the footer and the runs' outcomes) and by the results-folder
/// contract (which files are ours). Nothing in it is text to be parsed back.
public struct Manifest: Codable, Sendable, Equatable {
    public struct Run: Codable, Sendable, Equatable {
        public var runId: String
        public var seed: UInt64
        /// The run cache's key: what determines the run's numbers.
        public var key: String
        /// How the run ended, for people ("completed", "diverged at step N", "failed: …", "missing: …").
        public var status: String
        public var outcome: Outcome
        public var wallSeconds: Double
        public var reused: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case runId = "run_id", seed, key, status, outcome, wallSeconds = "wall_seconds", reused
        }

        public init(runId: String, seed: UInt64, key: String, status: String, outcome: Outcome, wallSeconds: Double, reused: Bool) {
            self.runId = runId
            self.seed = seed
            self.key = key
            self.status = status
            self.outcome = outcome
            self.wallSeconds = wallSeconds
            self.reused = reused
        }
    }

    /// How a run ended, as data: `{"completed": true}`, `{"diverged_at_step": N, "last_finite_loss": L}`,
    /// `{"failed": {"gsl_status": s, "operation": "..."}}` or, in a partial merge, `{"missing": "why"}`.
    public enum Outcome: Codable, Sendable, Equatable {
        case completed
        case diverged(step: Int, lastFiniteLoss: Double?)
        case failed(GSLError)
        case missing(reason: String)

        private enum Keys: String, CodingKey, CaseIterable {
            case completed, divergedAtStep = "diverged_at_step", lastFiniteLoss = "last_finite_loss", failed, missing
        }
        /// The order the keys are written in.
        static let keyOrder = Keys.allCases.map(\.rawValue)
        private struct Failure: Codable {
            var gslStatus: Int32, operation: String
            enum CodingKeys: String, CodingKey { case gslStatus = "gsl_status", operation }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            if try container.decodeIfPresent(Bool.self, forKey: .completed) == true {
                self = .completed
            } else if let step = try container.decodeIfPresent(Int.self, forKey: .divergedAtStep), step >= 0 {
                self = .diverged(step: step, lastFiniteLoss: try container.decodeIfPresent(Double.self, forKey: .lastFiniteLoss))
            } else if let reason = try container.decodeIfPresent(String.self, forKey: .missing) {
                self = .missing(reason: reason)
            } else {
                let failure = try container.decode(Failure.self, forKey: .failed)
                self = .failed(GSLError(status: failure.gslStatus, operation: failure.operation))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .completed: try container.encode(true, forKey: .completed)
            case let .diverged(step, loss):
                try container.encode(step, forKey: .divergedAtStep)
                if let loss, loss.isFinite { try container.encode(loss, forKey: .lastFiniteLoss) }
            case let .failed(error): try container.encode(Failure(gslStatus: error.status, operation: error.operation), forKey: .failed)
            case let .missing(reason): try container.encode(reason, forKey: .missing)
            }
        }
    }

    public var tool = "simulate"
    public var version: String
    public var gitCommit: String
    public var gitDirty: Bool
    public var command: String
    public var scenarioFile: String
    public var scenarioName: String
    public var scenarioFnv1a64: String
    /// The SHA-256 of the resolved scenario without its `report` block (see `ResultsLoader`).
    public var scenarioRunsSha256: String
    public var swiftCompiler: String
    public var gslVersion: String
    public var blas: String
    public var blasLinked: String
    public var blasThreadsPerRun: Int
    /// The vector maths under the transcendental activations (`VectorMath.kernel`); absent in
    /// manifests written before it was recorded.
    public var vectorMath: String?
    public var jobs: Int
    public var host: String
    public var cpuModel: String
    public var cpuCount: Int
    /// ISO 8601 start and end of the invocation, and its wall time to the millisecond.
    public var started: String
    public var finished: String
    public var wallSeconds: Double
    public var seeds: [UInt64]
    public var runs: [Run]
    public var files: FileInventory

    /// The file's keys, in the order it lists them.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case tool, version, gitCommit = "git_commit", gitDirty = "git_dirty", command, scenarioFile = "scenario_file"
        case scenarioName = "scenario_name", scenarioFnv1a64 = "scenario_fnv1a64", scenarioRunsSha256 = "scenario_runs_sha256"
        case swiftCompiler = "swift_compiler", gslVersion = "gsl_version", blas, blasLinked = "blas_linked"
        case blasThreadsPerRun = "blas_threads_per_run", vectorMath = "vector_math", jobs, host, cpuModel = "cpu_model", cpuCount = "cpu_count"
        case started, finished, wallSeconds = "wall_seconds", seeds, runs, files
    }

    public init(
        version: String, gitCommit: String, gitDirty: Bool, command: String, scenarioFile: String, scenarioName: String,
        scenarioFnv1a64: String, scenarioRunsSha256: String, swiftCompiler: String, gslVersion: String, blas: String,
        blasLinked: String, blasThreadsPerRun: Int, vectorMath: String?, jobs: Int, host: String, cpuModel: String, cpuCount: Int,
        started: String, finished: String, wallSeconds: Double, seeds: [UInt64], runs: [Run], files: FileInventory
    ) {
        self.version = version
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.command = command
        self.scenarioFile = scenarioFile
        self.scenarioName = scenarioName
        self.scenarioFnv1a64 = scenarioFnv1a64
        self.scenarioRunsSha256 = scenarioRunsSha256
        self.swiftCompiler = swiftCompiler
        self.gslVersion = gslVersion
        self.blas = blas
        self.blasLinked = blasLinked
        self.blasThreadsPerRun = blasThreadsPerRun
        self.vectorMath = vectorMath
        self.jobs = jobs
        self.host = host
        self.cpuModel = cpuModel
        self.cpuCount = cpuCount
        self.started = started
        self.finished = finished
        self.wallSeconds = wallSeconds
        self.seeds = seeds
        self.runs = runs
        self.files = files
    }

    /// The file's text: keys in `CodingKeys` order, laid out as every JSON file `simulate` writes
    /// (two-space indent, short lists on one line).
    public var text: String {
        guard let data = try? JSONEncoder().encode(self), let json = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
        else { return "" }
        return Self.ordered(json).serialized() + "\n"
    }

    /// The manifest's objects with their keys in declaration order (JSONEncoder does not keep it).
    private static func ordered(_ json: JSONValue) -> JSONValue {
        func order(_ value: JSONValue, _ keys: [String]) -> JSONValue {
            guard case let .object(members) = value else { return value }
            return .object(Schema.ordered(members, by: keys))
        }
        let top = CodingKeys.allCases.map(\.rawValue), run = Run.CodingKeys.allCases.map(\.rawValue)
        guard case let .object(members) = order(json, top) else { return json }
        return .object(
            members.map { member in
                switch (member.key, member.value) {
                case (CodingKeys.runs.rawValue, let .array(runs)):
                    (
                        member.key,
                        .array(
                            runs.map { entry in
                                guard case let .object(fields) = order(entry, run) else { return entry }
                                return .object(
                                    fields.map { field in
                                        field.key == Run.CodingKeys.outcome.rawValue ? (field.key, order(field.value, Outcome.keyOrder)) : field
                                    })
                            })
                    )
                case (CodingKeys.files.rawValue, let .array(files)):
                    (member.key, .array(files.map { order($0, FileInventory.Record.CodingKeys.allCases.map(\.rawValue)) }))
                default: member
                }
            })
    }

    /// A manifest read back; nil unless it is a complete one of ours (a manifest of simulate < 0.2,
    /// without file checksums, is not).
    public init?(text: String) {
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(text.utf8)), manifest.tool == "simulate" else { return nil }
        self = manifest
    }

    /// Only the part the results-folder contract reads: that the folder is ours, and its files.
    public static func inventory(text: String) -> FileInventory? {
        struct Listing: Decodable {
            var tool: String
            var files: FileInventory
        }
        guard let listing = try? JSONDecoder().decode(Listing.self, from: Data(text.utf8)), listing.tool == "simulate" else { return nil }
        return listing.files
    }
}
