import Schema
import Scenarios

/// The fields of a figure in a scenario's `report.figures`, declared once (checked against the scenario by
/// `FigureSpec.decode`).
extension FigureSpec {
    static let kindField = Field.required(
        "kind", Codec.choice(FigureKinds.all) { $0.name },
        FigureKinds.all.map { "\($0.name): \($0.summary)" }.joined(separator: "; ") + ".")
    static let xField = Field(
        "x", Codec.string(), fallback: .derived("by kind"),
        "The x axis, by kind — " + FigureKinds.all.map { "\($0.name): \($0.xAxis)" }.joined(separator: "; ") + ".")
    static let yField = Field(
        "y", Codec.string(), fallback: .derived("by kind"),
        "What is drawn, by kind — " + FigureKinds.all.map { "\($0.name): \($0.yAxis)" }.joined(separator: "; ") + ".")
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
        "A swept column whose values name the series ("
            + FigureKinds.all.filter(\.groupsSeries).map(\.name).joined(separator: " and ") + ").")
    static let logYField = Field("log_y", Codec.boolean, default: false, "A logarithmic y axis.")

    static let fields: [any FieldDeclaration] = [nameField, kindField, titleField, xField, yField, filterField, groupByField, logYField]

    /// The `report.figures` list, for the schema.
    static let figuresShape = FieldShape(
        key: "figures", shape: .list(.object(fields.map(\.shape)), minimum: 0, distinct: false),
        defaultValue: .required, meaning: "The figures, drawn in this order.")
}
