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
                Codec.list(of: Codec.integer(0...Int(UInt32.max)), minimum: 1, distinct: true, example: "[0, 1, 2]"),
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
                    for (index, value) in values.enumerated() where values[..<index].contains(value) {
                        throw ScenarioError(.invalid, path: "\(here)[\(index)]", "value \(value.compactText) is listed twice")
                    }
                }
                return members
            }, encode: { .object($0) }), fallback: .absent,
        "Field path → list of values; the grid is every combination, each run with every seed.")
    static let report = Field(
        "report", Codec<JSONValue>(shape: .object([FigureSpec.figuresShape]), decode: { json, _ in json }, encode: { $0 }),
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

    /// The scenario's shape: what `simulate schema` turns into JSON Schema and the reference documents.
    public static let shape = Shape.object(fields.map(\.shape))

    /// `simulate schema`: JSON Schema 2020-12 for scenario files.
    public static var jsonSchema: JSONValue {
        guard case let .object(members) = shape.jsonSchema else { return shape.jsonSchema }
        return .object(
            [
                ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
                ("$id", .string("https://simulate.invalid/scenario.schema.json")),
                ("title", .string("simulate scenario")),
                (
                    "description",
                    .string("A scenario for simulate: data, model, training, probes, sweep and report. \(generatedMarker); do not edit.")
                ),
            ]
                + members)
    }

    /// Marks the generated files, so `simulate schema --write` overwrites only its own.
    public static let generatedMarker = "Generated by `simulate schema`"

    /// `docs/scenarios.md`: every field with its type, default and meaning.
    public static var reference: String {
        Reference.markdown(
            title: "Scenario reference",
            introduction: """
                <!-- \(generatedMarker) --reference; do not edit: change the field's declaration and run `simulate schema --write docs`. -->

                A scenario is one JSON file. Every field below may be omitted unless its default says \
                "required"; `simulate validate FILE` prints the scenario with every default written out, and \
                `simulate schema` prints this schema as JSON Schema (docs/scenario.schema.json). Any field of \
                the run's configuration can be swept (`sweep`, `variants`) or changed for one run \
                (`--set path=value`); switching a variant (e.g. `training.optimizer.name`) keeps the settings \
                the new variant also has and that differ from the old one's defaults.
                """, fields: fields.map(\.shape))
    }

    /// The generated files of docs/, by name.
    public static var documents: [(name: String, text: String)] {
        [("scenario.schema.json", jsonSchema.serialized() + "\n"), ("scenarios.md", reference)]
    }
}
