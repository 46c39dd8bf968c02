import Foundation
import Reports
import Scenarios
import Schema
import Testing

/// The schema is the one description of every field (the figures of the report block included, so
/// this lives beside Reports): the JSON Schema it prints must agree with the
/// decoder (checked by an independent validator), the committed docs must be current, and the cache
/// key must see every field.
@Suite("Scenario schema")
struct SchemaTests {
    static let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
    static let bundled = ScenarioLocator.bundled(in: root)

    /// The Python of the virtual environment `make test` sets up (with `jsonschema`).
    static let python = ProcessInfo.processInfo.environment["SIMULATE_PYTHON"] ?? "\(root)/.build/venv/bin/python"

    @Test("docs/scenario.schema.json and docs/scenarios.md are what simulate schema generates")
    func docsAreCurrent() throws {
        for (name, text) in ScenarioDocuments.documents {
            let committed = try String(contentsOfFile: "\(Self.root)/docs/\(name)", encoding: .utf8)
            #expect(committed == text, "docs/\(name) is stale: run `swift run simulate schema --write docs`")
        }
    }

    @Test("Every bundled scenario names the schema and passes jsonschema, and mutated scenarios are judged alike")
    func independentValidator() throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: Self.python),
            "no \(Self.python): `make test` creates it (python3 -m venv .build/venv; pip install jsonschema)")
        let folder = NSTemporaryDirectory() + "simulate-schema-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let schemaPath = "\(folder)/scenario.schema.json"
        try ScenarioDocuments.jsonSchema.serialized().write(toFile: schemaPath, atomically: true, encoding: .utf8)

        // The bundled scenarios as written, and every leaf of their resolved form mutated by type and by range.
        var cases: [(file: String, document: JSONValue, mutation: Mutation?)] = []
        for entry in Self.bundled {
            let text = try String(contentsOfFile: "\(Self.root)/\(entry.path)", encoding: .utf8)
            let document = try JSONParser.parse(text)
            #expect(document["$schema"] == .string("../docs/scenario.schema.json"), "\(entry.name) does not name the schema")
            cases.append(("\(folder)/\(entry.name).json", document, nil))
            let resolved = try LoadedScenario(checking: ScenarioDecoder.decode(document)).resolved
            for mutation in Mutation.all(of: resolved) {
                guard let mutated = mutation.apply(to: resolved) else { continue }
                cases.append(("\(folder)/\(entry.name)-\(cases.count).json", mutated, mutation))
            }
        }
        for item in cases { try item.document.serialized().write(toFile: item.file, atomically: true, encoding: .utf8) }
        let verdicts = try Self.validate(schema: schemaPath, files: cases.map(\.file))
        try #require(verdicts.count == cases.count, "the validator answered \(verdicts.count) of \(cases.count)")

        var agreed = 0, bothReject = 0, onlySimulate = 0
        for item in cases {
            let schemaRejects = verdicts[item.file]?.hasPrefix("reject") ?? true
            let decoded = Result { () throws(ScenarioError) in try LoadedScenario(checking: ScenarioDecoder.decode(item.document)) }
            guard let mutation = item.mutation else {
                #expect(!schemaRejects, "bundled \(item.file): \(verdicts[item.file] ?? "")")
                continue
            }
            switch decoded {
            case .success:
                // Never stricter than the tool.
                #expect(!schemaRejects, "\(mutation): simulate accepts it but the schema rejects: \(verdicts[item.file] ?? "")")
            case let .failure(error):
                // A value of the wrong type, or out of a field's own range, is refused by both; a rule
                // across fields (e.g. warmup ≤ steps) only by simulate.
                if schemaRejects { bothReject += 1 } else { onlySimulate += 1 }
                if !schemaRejects {
                    #expect(
                        Self.crossFieldRules.contains { error.message.contains($0) },
                        "\(mutation): simulate rejects it (\(error)) but the schema accepts it")
                }
            }
            agreed += 1
        }
        print(
            "schema check: \(agreed) mutations; \(bothReject) rejected by both, \(onlySimulate) only by simulate (rules across fields), \(agreed - bothReject - onlySimulate) accepted by both"
        )
        #expect(agreed > 1000 && bothReject > agreed / 2, "only \(agreed) mutations were judged, \(bothReject) rejected")
    }

    /// The messages of the rules that relate several fields (which JSON Schema does not express here).
    static let crossFieldRules = [
        "(training.steps)",  // warmup ≤ steps
        "samples over",  // labelled sets × classes ≤ 10^7
        "is too small for",  // width, dimension against other fields
        "equal class blocks", "exceeds data.train_size", "without a training sample", "weights for",
        "needs multi-class data", "takes one output", "\"feature_basis\" is exact", "has no meaning with",
        "names another figure", "is not a probe", "is not a metric", "selects no configuration", "leaves several configurations",
        "is not a column of neurons.csv", "names no metric", "with \"x\": \"set\"", "needs a scenario with",
        "only for \"line\" and \"points\"", "not a swept column", "the two radii must differ", "> low", "is used by another",
        // Transfer protocols: stage order and references, class counts against heads and directions.
        "is not a stage", "runs later", "is this stage", "is not a task", "(this stage's steps)", "core_per_class need", "cannot hold",
        "names two tasks",
        "names two stages", "same classes", "needs a stage to start from", "freezes the layer the adapter", "adapts an earlier stage",
        "keeps its endpoints'",
        "evaluating on it needs", "is not a direction of a class", "a weight-space combination needs", "distillation trains the first layer",
        "samples in d =",
        "linear model on random features",
        "is not a class of",
        "describes its data in transfer.tasks", "freezes the head", "has no prior study",
        "fresh core directions, but", "one rate per class", "which this task's classes already own",
        // A report figure's axis against the quantities the (mutated) scenario records, e.g. asr_x<m>.
        "is not allowed; did you mean", "projections of a width-",
        // The size of the grid (configurations × seeds), and a run's memory against this machine's.
        "configurations (", "runs; at most", "a run would need about",
    ]

    static func validate(schema: String, files: [String]) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["\(root)/Tests/Tools/validate_json_schema.py", schema] + files
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the schema is not a valid JSON Schema 2020-12: \(String(decoding: data, as: UTF8.self))")
        var verdicts: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let file = parts[1].split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            verdicts[file] = String(line)
        }
        return verdicts
    }
}

/// One change of one leaf of a scenario: a value of another JSON type, or a number at or past a bound.
struct Mutation: CustomStringConvertible {
    var path: [String]
    var value: JSONValue

    var description: String { "\(path.joined(separator: ".")) = \(value.compactText)" }

    func apply(to document: JSONValue) -> JSONValue? { document.replacingLeaf(path[...], with: value) }

    /// Paths whose values are checked against the rest of the scenario, not by their own shape.
    static let opaque: Set<String> = ["report", "sweep", "variants", "$schema"]

    static func all(of document: JSONValue, path: [String] = []) -> [Mutation] {
        switch document {
        case let .object(members):
            guard path.isEmpty || !opaque.contains(path[0]) else { return [] }
            let inner = members.flatMap { all(of: $0.value, path: path + [$0.key]) }
            return path.isEmpty ? inner : inner + [Mutation(path: path, value: .string("x"))]
        case let .array(items):
            return items.indices.flatMap { all(of: items[$0], path: path + ["[\($0)]"]) } + [Mutation(path: path, value: .object([]))]
        case let .number(number, _):
            return
                ([
                    .string("1"), .bool(true), .null, .number(-1), .number(0), .number(0.5), .number(1), .number(number + 0.25),
                    .number(1e12), .number(-1e12),
                ] as [JSONValue]).map { Mutation(path: path, value: $0) }
        case .bool:
            return [Mutation(path: path, value: .integer(1)), Mutation(path: path, value: .string("true"))]
        case .string:
            return [
                Mutation(path: path, value: .integer(7)), Mutation(path: path, value: .string("no-such-choice")),
                Mutation(path: path, value: .bool(false)),
            ]
        case .null:
            return []
        }
    }
}
