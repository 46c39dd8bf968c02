import Dynamics

/// Turns scenario JSON into a validated `Scenario`. Every field has an explicit default (see
/// `ScenarioEncoder` for the resolved form) and every error names its field path.
public enum ScenarioDecoder {
    static let rootKeys = ["name", "description", "seeds", "data", "model", "training", "probes", "prior_estimation", "report", "variants", "sweep"]

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
            if !overrides.isEmpty {
                let known = sweepablePaths(try decode(document).resolved) + ["seeds", "description"]
                for override in overrides {
                    document = try apply(override, to: document, known: known)
                }
            }
            return try decode(document)
        } catch {
            throw error.inFile(file)
        }
    }

    /// One `path=value` override applied to a document.
    static func apply(_ override: String, to document: JSONValue, known: [String]) throws(ScenarioError) -> JSONValue {
        guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
            throw ScenarioError(.usage, path: "--set \(override)", "expected FIELD.PATH=VALUE, e.g. --set training.steps=2000")
        }
        let path = String(override[..<equals]), text = String(override[override.index(after: equals)...])
        guard known.contains(path) else {
            throw ScenarioError(.usage, path: "--set \(path)", "not a field of this scenario; " + suggestion(for: path, in: known))
        }
        let value = (try? JSONParser.parse(text)) ?? .string(text)
        guard let updated = document.setting(path.split(separator: ".").map(String.init), to: value) else {
            throw ScenarioError(.usage, path: "--set \(path)", "cannot set a field inside a non-object")
        }
        return updated
    }

    /// Validates a parsed scenario document.
    public static func decode(_ document: JSONValue) throws(ScenarioError) -> Scenario {
        let root = try ObjectReader(document, path: "", allowed: rootKeys)
        let name = try root.string("name")
        if let problem = ScenarioName.problem(name) { throw root.invalid("name", problem) }
        let description = try root.string("description", default: "")
        let seeds = try decodeSeeds(root)
        let base = try decodeConfiguration(root)
        let resolvedBase = ScenarioEncoder.document(name: name, description: description, seeds: seeds,
                                                    configuration: base, sweep: [])
        let sweep = try decodeVariants(root, resolvedBase: resolvedBase) + decodeSweep(root, resolvedBase: resolvedBase)
        var cells: [SweepCell] = []
        for combination in product(sweep) {
            var cellDocument = document
            var assignments: [(String, String)] = []
            for (axis, value) in zip(sweep, combination) {
                for (path, fieldValue) in axis.assignments(for: value) {
                    cellDocument = cellDocument.setting(path.split(separator: ".").map(String.init), to: fieldValue) ?? cellDocument
                }
                assignments.append((axis.column, axis.text(for: value)))
            }
            do {
                let cellRoot = try ObjectReader(cellDocument, path: "", allowed: rootKeys)
                cells.append(SweepCell(assignments: assignments, configuration: try decodeConfiguration(cellRoot)))
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

    static func decodeSweep(_ root: ObjectReader, resolvedBase: JSONValue) throws(ScenarioError) -> [SweepAxis] {
        guard let value = root.value("sweep") else { return [] }
        guard case let .object(members) = value else {
            throw root.invalid("sweep", "expected an object mapping field paths to lists, found \(value.typeName)")
        }
        let known = sweepablePaths(resolvedBase)
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
    static func decodeVariants(_ root: ObjectReader, resolvedBase: JSONValue) throws(ScenarioError) -> [SweepAxis] {
        guard let value = root.value("variants") else { return [] }
        guard case let .array(items) = value, !items.isEmpty else {
            throw root.invalid("variants", "expected a non-empty list of {\"name\": ..., \"set\": {field path: value}}")
        }
        let known = sweepablePaths(resolvedBase)
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

    /// Field paths a sweep or variant may set.
    static func sweepablePaths(_ resolvedBase: JSONValue) -> [String] {
        leafPaths(resolvedBase).filter { !["name", "description", "seeds"].contains($0) }
    }

    /// Every dotted path to a scalar or array in a document (objects are descended into).
    static func leafPaths(_ value: JSONValue, prefix: String = "") -> [String] {
        guard case let .object(members) = value else { return [prefix] }
        return members.flatMap { member in
            let path = prefix.isEmpty ? member.key : "\(prefix).\(member.key)"
            if case .object = member.value { return [path] + leafPaths(member.value, prefix: path) }
            return [path]
        }
    }

    /// The Cartesian product of the axes' values, first axis slowest.
    static func product(_ axes: [SweepAxis]) -> [[JSONValue]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.values.map { prefix + [$0] } } }
    }
}
