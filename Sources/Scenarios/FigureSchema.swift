import Schema

/// The fields of a figure in a scenario's `report.figures`, declared once (checked against the scenario by
/// `ScenarioDecoder.decodeFigure`).
extension FigureSpec {
    static let kindField = Field.required(
        "kind", Codec<Kind>.choice,
        "line: a probe over steps; points: final values at categorical x; neurons: per-neuron histogram; estimators: prior estimation against labelled samples; reliability: a reliability diagram."
    )
    static let xField = Field(
        "x", Codec.string(), fallback: .derived("by kind: step, the first swept column (or set), core_projection, id, labelled_per_class"),
        "The x axis: step (line), a swept column or \"set\" (points), a neurons.csv column, an evaluation set (reliability).")
    static let yField = Field(
        "y", Codec.string(), fallback: .derived("required for line and points; by kind otherwise"),
        "The metric drawn; with \"x\": \"set\" a template such as \"ece_{set}\".")
    static let nameField = Field(
        "name",
        Codec.string(pattern: "^[a-z0-9_-]+$", ruleText: "lower-case letters, digits, '-' and '_'") { name in
            name.isEmpty
                || !name.utf8.allSatisfy({
                    ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                })
                ? "'\(name)' is not allowed; use lower-case letters, digits, '-' and '_' (it names the file)" : nil
        }, fallback: .derived("from the kind and y"), "The file name under figures/ (without .svg); unique.")
    static let titleField = Field("title", Codec.string(), fallback: .derived("from the kind, x and y"), "The figure's title.")
    static let filterField = Field(
        "filter", Codec<JSONValue>(shape: .checkedElsewhere("an object {swept column: value}"), decode: { json, _ in json }, encode: { $0 }),
        fallback: .absent, "Swept column → value: the configurations drawn (all when absent).")
    static let groupByField = Field(
        "group_by", Codec.string(), fallback: .absent,
        "A swept column whose values name the series (line and points).")
    static let logYField = Field("log_y", Codec.boolean, default: false, "A logarithmic y axis.")

    static let fields: [any FieldDeclaration] = [nameField, kindField, titleField, xField, yField, filterField, groupByField, logYField]

    /// The `report.figures` list, for the schema.
    static let figuresShape = FieldShape(
        key: "figures", shape: .list(.object(fields.map(\.shape)), minimum: 0, distinct: false),
        defaultValue: .required, meaning: "The figures, drawn in this order.")
}
