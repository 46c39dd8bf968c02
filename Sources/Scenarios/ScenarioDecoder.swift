import Dynamics
import Schema

/// Turns scenario JSON into a validated `Scenario`. The run's configuration is read through its
/// declared schema (`RunConfiguration.codec`); every error names its field path.
public enum ScenarioDecoder {
    /// Keys of a scenario's top level besides the configuration's sections.
    static let scenarioKeys = ["$schema", "name", "description", "seeds", "report", "variants", "sweep"]
    static var rootKeys: [String] { scenarioKeys + RunConfiguration.sectionKeys }

    /// Parses and validates scenario text; `file` is used in messages. `overrides` are `path=value`
    /// assignments from the command line (`--set training.steps=2000`); a value that is not valid JSON
    /// is taken as a string (`--set model.activation=gelu`).
    public static func decode(_ text: String, file: String, overrides: [String] = []) throws(ScenarioError) -> Scenario {
        var document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            let caret = String(repeating: " ", count: max(error.column - 1, 0)) + "^"
            throw ScenarioError(.syntax, file: "\(file):\(error.line):\(error.column)", "JSON syntax error: \(error.message)\n  \(error.sourceLine)\n  \(caret)")
        }
        do {
            let assignments = try overrides.map { (override: String) throws(ScenarioError) in try parseOverride(override) }
            return try decode(document, overrides: assignments)
        } catch {
            throw error.inFile(file)
        }
    }

    /// `FIELD.PATH=VALUE` as a path and a value (text that is not JSON is a string).
    static func parseOverride(_ override: String) throws(ScenarioError) -> (path: String, value: JSONValue) {
        guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
            throw ScenarioError(.usage, path: "--set \(override)", "expected FIELD.PATH=VALUE, e.g. --set training.steps=2000")
        }
        let path = String(override[..<equals]), text = String(override[override.index(after: equals)...])
        guard settablePaths.contains(path) || ["seeds", "description"].contains(path) else {
            throw ScenarioError(.usage, path: "--set \(path)", "not a field of this scenario; " + suggestion(for: path, in: settablePaths))
        }
        return (path, (try? JSONParser.parse(text)) ?? .string(text))
    }

    /// The paths a sweep, a variant or `--set` may change, from the schema.
    public static let settablePaths = RunConfiguration.codec.shape.settablePaths()

    /// `configuration` with the field at `path` set to `value` (then checked like a decoded scenario).
    static func setting(_ path: String, to value: JSONValue, in configuration: RunConfiguration) throws(ScenarioError) -> RunConfiguration {
        let codec = RunConfiguration.codec
        let patched = try codec.shape.setting(path.split(separator: ".").map(String.init)[...], to: value,
                                              in: codec.encode(configuration), at: "")
        return try codec.decode(patched, at: "")
    }

    /// Validates a parsed scenario document; `overrides` (from `--set`) change fields of the base
    /// configuration, or the seeds or description.
    public static func decode(_ document: JSONValue, overrides: [(path: String, value: JSONValue)] = []) throws(ScenarioError) -> Scenario {
        var document = document
        for (path, value) in overrides where ["seeds", "description"].contains(path) {
            document = document.setting([path], to: value) ?? document
        }
        let root = try ObjectReader(document, path: "", allowed: rootKeys)
        let name = try root.string("name")
        if let problem = ScenarioName.problem(name) { throw root.invalid("name", problem) }
        let description = try root.string("description", default: "")
        let seeds = try decodeSeeds(root)
        var base = try RunConfiguration.codec.decode(.object(RunConfiguration.sectionKeys.compactMap { key in
            root.value(key).map { (key, $0) }
        }), at: "")
        for (path, value) in overrides where !["seeds", "description"].contains(path) {
            do {
                base = try setting(path, to: value, in: base)
            } catch {
                var located = error
                located.message += " (from --set \(path)=\(value.compactText))"
                throw located
            }
        }
        let sweep = try decodeVariants(root) + decodeSweep(root)
        var cells: [SweepCell] = []
        for combination in product(sweep) {
            var configuration = base
            var assignments: [(String, String)] = []
            do {
                for (axis, value) in zip(sweep, combination) {
                    assignments.append((axis.column, axis.text(for: value)))
                    for (path, fieldValue) in axis.assignments(for: value) {
                        configuration = try setting(path, to: fieldValue, in: configuration)
                    }
                }
                cells.append(SweepCell(assignments: assignments, configuration: configuration))
            } catch {
                let context = assignments.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
                var located = error
                located.message += " (in the sweep cell \(context))"
                throw located
            }
        }
        let report = try decodeReport(root.value("report"), cells: cells, sweep: sweep)
        let resolved = ScenarioEncoder.document(name: name, description: description, seeds: seeds,
                                                configuration: base, sweep: sweep, report: report)
        return Scenario(name: name, description: description, seeds: seeds, base: base, sweep: sweep,
                        cells: cells, report: report, resolved: resolved)
    }

    static func decodeSeeds(_ root: ObjectReader) throws(ScenarioError) -> [UInt64] {
        guard let value = root.value("seeds") else { return [0, 1, 2] }
        switch value {
        case .number:
            let count = try ObjectReader.integer(value, path: "seeds", range: 1...10_000)
            return (0..<count).map(UInt64.init)
        case let .array(items):
            guard !items.isEmpty else { throw root.invalid("seeds", "an empty list; give a count (e.g. 5) or a list of seeds") }
            var seeds: [UInt64] = []
            for (i, item) in items.enumerated() {
                let seed = UInt64(try ObjectReader.integer(item, path: "seeds[\(i)]", range: 0...Int(UInt32.max)))
                if seeds.contains(seed) { throw ScenarioError(.invalid, path: "seeds[\(i)]", "seed \(seed) is listed twice") }
                seeds.append(seed)
            }
            return seeds
        default:
            throw root.invalid("seeds", "expected a count (an integer ≥ 1) or a list of seeds, found \(value.typeName) \(value.compactText)")
        }
    }

    static func decodeSweep(_ root: ObjectReader) throws(ScenarioError) -> [SweepAxis] {
        guard let value = root.value("sweep") else { return [] }
        guard case let .object(members) = value else {
            throw root.invalid("sweep", "expected an object mapping field paths to lists, found \(value.typeName)")
        }
        let known = settablePaths
        var axes: [SweepAxis] = []
        for member in members {
            let path = "sweep.\(member.key)"
            guard known.contains(member.key) else {
                throw ScenarioError(.invalid, path: path, "'\(member.key)' is not a field of this scenario; "
                                    + suggestion(for: member.key, in: known))
            }
            guard case let .array(values) = member.value, !values.isEmpty else {
                throw ScenarioError(.invalid, path: path, "expected a non-empty list of values, found \(member.value.typeName) \(member.value.compactText)")
            }
            for (i, v) in values.enumerated() where values[..<i].contains(v) {
                throw ScenarioError(.invalid, path: "\(path)[\(i)]", "value \(v.compactText) is listed twice")
            }
            axes.append(SweepAxis(path: member.key, values: values))
        }
        let columns = axes.map(\.column)
        if Set(columns).count != columns.count {
            // Two paths end alike (e.g. two `factor`s): use full paths as column names.
            return axes.map { SweepAxis(path: $0.path, values: $0.values, column: $0.path) }
        }
        return axes
    }

    /// `"variants": [{"name": "theory", "set": {"training.loss": "hinge", ...}}, ...]`: named sets of
    /// field values that change together; they form the first (slowest) axis of the grid.
    static func decodeVariants(_ root: ObjectReader) throws(ScenarioError) -> [SweepAxis] {
        guard let value = root.value("variants") else { return [] }
        guard case let .array(items) = value, !items.isEmpty else {
            throw root.invalid("variants", "expected a non-empty list of {\"name\": ..., \"set\": {field path: value}}")
        }
        let known = settablePaths
        var names: [String] = []
        for (i, item) in items.enumerated() {
            let reader = try ObjectReader(item, path: "variants[\(i)]", allowed: ["name", "set"])
            let name = try reader.string("name")
            guard !name.isEmpty, !name.contains("/"), !name.contains(",") else {
                throw reader.invalid("name", "'\(name)' is not allowed; use a short name without '/' or ','")
            }
            guard !names.contains(name) else { throw reader.invalid("name", "'\(name)' is used by another variant") }
            names.append(name)
            guard case let .object(members) = try reader.required("set") else {
                throw reader.invalid("set", "expected an object mapping field paths to values")
            }
            for member in members where !known.contains(member.key) {
                throw ScenarioError(.invalid, path: "variants[\(i)].set.\(member.key)",
                                    "'\(member.key)' is not a field of this scenario; " + suggestion(for: member.key, in: known))
            }
        }
        return [SweepAxis(path: "variant", values: items, isVariants: true, column: "variant")]
    }

    /// The Cartesian product of the axes' values, first axis slowest.
    static func product(_ axes: [SweepAxis]) -> [[JSONValue]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.values.map { prefix + [$0] } } }
    }
}
