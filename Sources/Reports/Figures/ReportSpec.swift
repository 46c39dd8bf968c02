import Dynamics
import Scenarios
import Schema
import Studies

/// What a report draws: its figures, read from the scenario's `report` block and checked against the
/// scenario's metrics, sweep columns and configurations, or chosen for the scenario's kind.
public struct ReportSpec: Sendable, Equatable {
    public var figures: [FigureSpec]

    public init(figures: [FigureSpec]) {
        self.figures = figures
    }

    /// The scenario's declared figures (its `report` block), or the defaults without one.
    public init(for scenario: Scenario) throws(ScenarioError) {
        let context = FigureContext(cells: scenario.cells, sweep: scenario.sweep)
        guard let block = scenario.reportBlock else {
            self = Self.defaults(for: scenario)
            return
        }
        let reader = try ObjectReader(block, path: "report", allowed: ["figures"])
        guard case let .array(items)? = reader.value("figures") else {
            throw reader.invalid("figures", "expected a list of figures, e.g. [{\"kind\": \"line\", \"y\": \"background_projection\"}]")
        }
        var figures: [FigureSpec] = []
        for (i, item) in items.enumerated() {
            let figure = try ObjectReader(item, path: "report.figures[\(i)]", allowed: FigureSpec.fields.map(\.shape.key))
            let spec = try FigureSpec.decode(figure, in: context)
            guard !figures.contains(where: { $0.name == spec.name }) else {
                throw figure.invalid("name", "'\(spec.name)' names another figure too; names must be unique (they name the files)")
            }
            figures.append(spec)
        }
        self.figures = figures
    }

    /// The `report` block with every default explicit (what `scenario.resolved.json` holds).
    public var encoded: JSONValue {
        .object([
            (
                "figures",
                .array(
                    figures.map { figure in
                        var members: [(key: String, value: JSONValue)] = [
                            ("name", .string(figure.name)), ("kind", .string(figure.kind.name)), ("title", .string(figure.title)),
                            ("x", .string(figure.x)), ("y", .string(figure.y)),
                        ]
                        if !figure.filter.isEmpty { members.append(("filter", .object(figure.filter.map { ($0.column, .string($0.value)) }))) }
                        if let groupBy = figure.groupBy { members.append(("group_by", .string(groupBy))) }
                        members.append(("log_y", .bool(figure.logY)))
                        return .object(members)
                    })
            )
        ])
    }
}
