import Dynamics
import Schema

/// The fields of a scenario file besides the run's configuration (name, seeds, the sweep, the
/// report), declared once; with `RunConfiguration.fields` they make the whole scenario schema that
/// `simulate schema` prints and `docs/scenarios.md` documents.
public enum ScenarioSchema {
    static let schemaReference = Field(
        "$schema", Codec.string(), fallback: .absent,
        "The JSON Schema the file follows, for editors (e.g. \"../docs/scenario.schema.json\"); ignored by simulate.")
    static let name = Field.required(
        "name",
        Codec.string(
            pattern: "^[A-Za-z0-9._-]{1,128}$", ruleText: "a portable file name",
            problem: ScenarioName.problem),
        "The scenario's name; results go to results/<name>/.")
    static let description = Field("description", Codec.string(), default: "", "One paragraph: what the scenario shows.")
    static let seeds = Field(
        "seeds",
        Codec<[UInt64]>.oneOf([
            Alternative(Codec.integer(1...10_000), embed: { (0..<UInt64($0)).map { $0 } }, extract: { _ in nil }),
            Alternative(
                Codec.list(of: Codec.integer(0...Int(UInt32.max)), minimum: 1, maximum: 10_000, distinct: true, example: "[0, 1, 2]"),
                embed: { $0.map(UInt64.init) }, extract: { $0.map(Int.init) }),
        ]), default: [0, 1, 2], "Replicate seeds: a count N (seeds 0…N−1) or a list; every configuration runs every seed.")
    static let variants = Field(
        "variants",
        Codec<[JSONValue]>(
            shape: .list(variant.shape, minimum: 1, distinct: false),
            decode: { json, path throws(ScenarioError) in
                guard case let .array(items) = json, !items.isEmpty else {
                    throw ScenarioError(.invalid, path: path, "expected a non-empty list of {\"name\": ..., \"set\": {field path: value}}")
                }
                var names: [String] = []
                for (index, item) in items.enumerated() {
                    let decoded = try variant.decode(item, at: "\(path)[\(index)]")
                    let name = decoded["name"]?.compactText ?? ""
                    guard !names.contains(name) else {
                        throw ScenarioError(.invalid, path: "\(path)[\(index)].name", "'\(name)' is used by another variant")
                    }
                    names.append(name)
                }
                return items
            }, encode: { .array($0) }), fallback: .absent,
        "Named sets of field values that change together; the first (slowest) axis of the grid.")
    static let sweep = Field(
        "sweep",
        Codec<[JSONMember]>(
            shape: .map(keys: ScenarioDecoder.settablePaths, value: .list(.checkedElsewhere("a value of that field"), minimum: 1, distinct: true)),
            decode: { json, path throws(ScenarioError) in
                guard case let .object(members) = json else {
                    throw ScenarioError(.invalid, path: path, "expected an object mapping field paths to lists, found \(json.typeName)")
                }
                for member in members {
                    let here = "\(path).\(member.key)"
                    try checkSettable(member.key, at: here)
                    guard case let .array(values) = member.value, !values.isEmpty else {
                        throw ScenarioError(
                            .invalid, path: here, "expected a non-empty list of values, found \(member.value.typeName) \(member.value.compactText)")
                    }
                    guard values.count <= ScenarioDecoder.maximumConfigurations else {
                        throw ScenarioError(
                            .invalid, path: here, "\(values.count) values; at most \(ScenarioDecoder.maximumConfigurations) are allowed")
                    }
                    for (index, value) in values.enumerated() where values[..<index].contains(value) {
                        throw ScenarioError(.invalid, path: "\(here)[\(index)]", "value \(value.compactText) is listed twice")
                    }
                }
                return members
            }, encode: { .object($0) }), fallback: .absent,
        "Field path → list of values; the grid is every combination, each run with every seed.")
    /// Read as declared; Reports checks its figures against the scenario (`ReportSpec(for:)`) and
    /// documents them (`shape(figures:)`).
    static let report = Field(
        "report", Codec<JSONValue>(shape: .checkedElsewhere("the report's figures"), decode: { json, _ in json }, encode: { $0 }),
        fallback: .derived("figures chosen for the scenario's kind"),
        "The figures of the report; each is checked against the scenario's metrics and sweep.")

    /// One variant: `{"name": "toy", "set": {field path: value}}`.
    private static let variantName = Field.required(
        "name",
        Codec.string(pattern: "^[^/,]+$", ruleText: "without '/' or ','") { name in
            name.isEmpty || name.contains("/") || name.contains(",") ? "'\(name)' is not allowed; use a short name without '/' or ','" : nil
        }, "The variant's name in run ids and CSVs.")
    private static let variantSet = Field.required(
        "set",
        Codec<[JSONMember]>(
            shape: .map(keys: ScenarioDecoder.settablePaths, value: .checkedElsewhere("a value of that field")),
            decode: { json, path throws(ScenarioError) in
                guard case let .object(members) = json else {
                    throw ScenarioError(.invalid, path: path, "expected an object mapping field paths to values")
                }
                for member in members { try checkSettable(member.key, at: "\(path).\(member.key)") }
                return members
            }, encode: { .object($0) }), "Field path → value.")
    private static let variant = Codec<JSONValue>.object(
        [variantName, variantSet],
        decode: { read throws(ScenarioError) in
            .object([variantName.member(try read(variantName)), variantSet.member(try read(variantSet))])
        },
        encode: { json in
            guard case let .object(members) = json else { return [] }
            return members
        })

    private static func checkSettable(_ key: String, at path: String) throws(ScenarioError) {
        guard ScenarioDecoder.settablePaths.contains(key) else {
            throw ScenarioError(
                .invalid, path: path, "'\(key)' is not a field of this scenario; " + suggestion(for: key, in: ScenarioDecoder.settablePaths))
        }
    }

    /// Every top-level field, in the order the resolved scenario writes them.
    static let fields: [any FieldDeclaration] = [schemaReference, name, description, seeds] + RunConfiguration.fields + [report, variants, sweep]

    /// The scenario's shape, with the figures of its `report` block as Reports declares them: what
    /// `simulate schema` turns into JSON Schema and the reference documents.
    public static func shape(figures: FieldShape) -> Shape {
        .object(
            fields.map(\.shape).map { field in
                field.key == report.shape.key
                    ? FieldShape(key: field.key, shape: .object([figures]), defaultValue: field.defaultValue, meaning: field.meaning) : field
            })
    }
}
