import Dynamics
import Foundation
import GSL

/// Finished runs stored by the hash of everything that determines their numbers — the resolved run
/// configuration, the seed, the engine version and the BLAS — so that re-running a scenario (or another
/// scenario with the same runs) reuses them, and a killed sweep resumes where it stopped.
/// Each entry is written atomically as soon as its run finishes.
public struct RunCache: Sendable {
    /// Bump when a change to the engine changes any number it produces: old entries then miss.
    public static let engineVersion = "5"

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The cache beside a results folder: `<parent of out>/.simulate-cache`.
    public static func beside(resultsFolder: String) -> RunCache {
        let parent = URL(fileURLWithPath: resultsFolder).standardizedFileURL.deletingLastPathComponent()
        return RunCache(directory: parent.appendingPathComponent(".simulate-cache").path)
    }

    /// The text that identifies a run's numbers, and its 64-bit hash (hex).
    static func identity(_ run: PlannedRun, blas: String) -> (key: String, material: String) {
        let configuration = ScenarioEncoder.document(name: "", description: "", seeds: [run.seed],
                                                     configuration: run.configuration, sweep: [])
        let material = "engine \(engineVersion); blas \(blas); " + configuration.serialized(indent: nil)
        return (String(format: "%016llx", SeedMixer.fnv1a(material)), material)
    }

    func path(_ key: String) -> String { "\(directory)/\(key).json" }

    /// The stored result of `run`, if any (and if it is intact and really is this run's).
    public func load(_ run: PlannedRun, blas: String) -> (result: RunResult, wallSeconds: Double)? {
        let (key, material) = Self.identity(run, blas: blas)
        guard let data = FileManager.default.contents(atPath: path(key)),
              let document = try? JSONParser.parse(String(decoding: data, as: UTF8.self)),
              document["material"] == .string(material) else { return nil }
        return RunResultCoding.decode(document)
    }

    /// Stores a finished run (best effort: a cache that cannot be written only costs time later).
    public func store(_ run: PlannedRun, result: RunResult, wallSeconds: Double, blas: String) {
        guard result.status == .completed else { return }
        let (key, material) = Self.identity(run, blas: blas)
        let document = RunResultCoding.encode(result, wallSeconds: wallSeconds, material: material)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? Data(document.serialized(indent: nil).utf8).write(to: URL(fileURLWithPath: path(key)), options: .atomic)
    }
}

/// RunResult ↔ JSON, exactly: numbers use the shortest round-trip form; non-finite ones are strings.
enum RunResultCoding {
    static func number(_ x: Double) -> JSONValue {
        x.isFinite ? .number(x) : .string(x.isNaN ? "nan" : x > 0 ? "inf" : "-inf")
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case let .number(x, _): x
        case .string("nan"): .nan
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        default: nil
        }
    }

    static func encode(_ result: RunResult, wallSeconds: Double, material: String) -> JSONValue {
        let status: JSONValue
        switch result.status {
        case .completed: status = .string("completed")
        case let .diverged(step): status = .integer(step)
        }
        return .object([
            ("material", .string(material)),
            ("wall_seconds", .number(wallSeconds)),
            ("status", status),
            ("representation", .string(result.representation.rawValue)),
            ("metric_names", .array(result.metricNames.map { .string($0) })),
            ("steps", .array(result.steps.map { .integer($0) })),
            ("values", .array(result.values.map { .array($0.map(number)) })),
            ("neuron_columns", .array(result.neurons.columns.map { .string($0) })),
            ("neurons", .array(result.neurons.rows.map { .array($0.map(number)) })),
            ("final_extras", .array(result.finalExtras.map { .array([.string($0.name), number($0.value)]) })),
            ("reliability", .array(result.reliability.map {
                .array([.string($0.set), .integer($0.bin), .integer($0.count), number($0.confidence), number($0.accuracy)])
            })),
        ])
    }

    static func decode(_ document: JSONValue) -> (result: RunResult, wallSeconds: Double)? {
        func doubles(_ value: JSONValue?) -> [Double]? {
            guard case let .array(items)? = value else { return nil }
            let parsed = items.compactMap(double)
            return parsed.count == items.count ? parsed : nil
        }
        func rows(_ value: JSONValue?) -> [[Double]]? {
            guard case let .array(items)? = value else { return nil }
            let parsed = items.compactMap { doubles($0) }
            return parsed.count == items.count ? parsed : nil
        }
        guard case let .array(nameItems)? = document["metric_names"],
              let steps = doubles(document["steps"])?.map({ Int($0) }),
              let values = rows(document["values"]), let neurons = rows(document["neurons"]),
              case let .string(representationName)? = document["representation"],
              let representation = Representation(rawValue: representationName),
              let wall = document["wall_seconds"].flatMap(double) else { return nil }
        let names = nameItems.compactMap { if case let .string(s) = $0 { s } else { nil } }
        guard case let .array(columnItems)? = document["neuron_columns"] else { return nil }
        let columns = columnItems.compactMap { if case let .string(s) = $0 { s } else { nil } }
        guard names.count == nameItems.count, values.count == steps.count, values.allSatisfy({ $0.count == names.count })
        else { return nil }
        let status: RunStatus
        switch document["status"] {
        case .string("completed")?: status = .completed
        case let .number(step, _)?: status = .diverged(step: Int(step))
        default: return nil
        }
        var result = RunResult(metricNames: names, steps: steps, values: values, neurons: NeuronTable(columns: columns, rows: neurons),
                               status: status, representation: representation)
        guard case let .array(extras)? = document["final_extras"] else { return nil }
        for extra in extras {
            guard case let .array(pair) = extra, pair.count == 2, case let .string(name) = pair[0],
                  let value = double(pair[1]) else { return nil }
            result.finalExtras.append((name, value))
        }
        guard case let .array(bins)? = document["reliability"] else { return nil }
        for bin in bins {
            guard case let .array(fields) = bin, fields.count == 5, case let .string(set) = fields[0],
                  let index = double(fields[1]), let count = double(fields[2]),
                  let confidence = double(fields[3]), let accuracy = double(fields[4]) else { return nil }
            result.reliability.append(ReliabilityRow(set: set, bin: Int(index), count: Int(count), confidence: confidence, accuracy: accuracy))
        }
        return (result, wall)
    }
}
