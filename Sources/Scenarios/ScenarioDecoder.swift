import Dynamics
import Schema

/// Turns scenario JSON into a validated `Scenario`. The run's configuration is read through its
/// declared schema (`RunConfiguration.codec`); every error names its field path.
public enum ScenarioDecoder {

    /// Parses and validates scenario text; `file` is used in messages. `overrides` are `path=value`
    /// assignments from the command line (`--set training.steps=2000`); a value that is not valid JSON
    /// is taken as a string (`--set model.activation=gelu`).
    public static func decode(_ text: String, file: String, overrides: [String] = []) throws(ScenarioError) -> Scenario {
        var document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            let caret = String(repeating: " ", count: error.caretOffset) + "^"
            throw ScenarioError(
                .syntax, file: "\(file):\(error.line):\(error.column)", "JSON syntax error: \(error.message)\n  \(error.sourceLine)\n  \(caret)")
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
        let patched = try codec.shape.setting(
            path.split(separator: ".").map(String.init)[...], to: value,
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
        let root = FieldReader(try ObjectReader(document, path: "", allowed: ScenarioSchema.fields.map(\.shape.key)))
        let name = try root(ScenarioSchema.name)
        let description = try root(ScenarioSchema.description)
        let seeds = try root(ScenarioSchema.seeds)
        guard case let .object(members) = document else { throw root.invalid("expected an object") }
        var base = try RunConfiguration.codec.decode(.object(members.filter { RunConfiguration.sectionKeys.contains($0.key) }), at: "")
        for (path, value) in overrides where !["seeds", "description"].contains(path) {
            do {
                base = try setting(path, to: value, in: base)
            } catch {
                var located = error
                located.message += " (from --set \(path)=\(value.compactText))"
                throw located
            }
        }
        let sweep = try sweepAxes(variants: root.optional(ScenarioSchema.variants), fields: root.optional(ScenarioSchema.sweep))
        try checkSize(sweep, seeds: seeds.count)
        for (path, _) in overrides {
            if let axis = sweep.first(where: { axis in axis.values.contains { value in axis.assignments(for: value).contains { $0.path == path } } })
            {
                let source = axis.isVariants ? "the scenario's variants set it" : "the scenario sweeps it (sweep.\(path))"
                throw ScenarioError(
                    .usage, path: "--set \(path)", "\(source), which would override --set in every run; edit the scenario's sweep or variants instead"
                )
            }
        }
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
        return Scenario(
            name: name, description: description, seeds: seeds, base: base, sweep: sweep,
            cells: cells, reportBlock: try root.optional(ScenarioSchema.report))
    }

    /// The most configurations (grid cells) and runs a scenario may plan: a grid beyond them is almost
    /// certainly a mistake, and is refused before anything is built.
    public static let maximumConfigurations = 10_000
    public static let maximumRuns = 1_000_000

    static func checkSize(_ sweep: [SweepAxis], seeds: Int) throws(ScenarioError) {
        var configurations = 1
        for axis in sweep {
            let (product, overflow) = configurations.multipliedReportingOverflow(by: axis.values.count)
            configurations = overflow ? Int.max : product
        }
        let sizes = sweep.map { String($0.values.count) }.joined(separator: " × ")
        guard configurations <= maximumConfigurations else {
            throw ScenarioError(
                .invalid, path: "sweep",
                "the grid has \(configurations == Int.max ? "more than \(Int.max)" : String(configurations)) configurations (\(sizes)); at most \(maximumConfigurations) are allowed"
            )
        }
        guard configurations * seeds <= maximumRuns else {
            throw ScenarioError(
                .invalid, path: "seeds",
                "\(configurations) configurations × \(seeds) seeds = \(configurations * seeds) runs; at most \(maximumRuns) are allowed")
        }
    }

    /// The grid's axes: the variants first (slowest), then each swept field.
    static func sweepAxes(variants: [JSONValue]?, fields: [JSONMember]?) -> [SweepAxis] {
        var axes = (fields ?? []).map { SweepAxis(path: $0.key, values: $0.value.arrayItems) }
        let columns = axes.map(\.column)
        if Set(columns).count != columns.count {
            // Two paths end alike (e.g. two `factor`s): use full paths as column names.
            axes = axes.map { SweepAxis(path: $0.path, values: $0.values, column: $0.path) }
        }
        guard let variants else { return axes }
        return [SweepAxis(path: "variant", values: variants, isVariants: true, column: "variant")] + axes
    }

    /// The Cartesian product of the axes' values, first axis slowest.
    static func product(_ axes: [SweepAxis]) -> [[JSONValue]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.values.map { prefix + [$0] } } }
    }
}
