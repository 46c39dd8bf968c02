import Dynamics
import Schema
import Scenarios

/// Final values with 95% error bars at categorical x: a swept field's values, or the evaluation sets
/// (`"x": "set"`, with `{set}` in `y`); one series per remaining configuration.
struct PointsFigure: FigureKind {
    /// The x that puts the evaluation sets side by side, with `{set}` in y.
    static let setAxis = "set"
    let name = "points"
    let summary = "final values at categorical x"
    let xAxis = "a swept column (default: the first) or \"set\" (the evaluation sets)"
    let yAxis = "a final metric (required), or with \"x\": \"set\" a template such as \"ece_{set}\""
    let groupsSeries = true

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        let x = try figure.choice("x", default: scenario.columns.first ?? Self.setAxis, from: scenario.columns + [Self.setAxis])
        let y = try figure.string("y")
        if x == Self.setAxis {
            guard y.contains(FigureSpec.templateSet.name) else {
                throw figure.invalid("y", "with \"x\": \"set\", y is a template such as \"ece_{set}\" (one metric per evaluation set)")
            }
            guard scenario.sets.contains(where: { scenario.finals.contains(FigureSpec.metric(y, set: $0)) }) else {
                throw figure.invalid(
                    "y", "'\(y)' names no metric for the sets \(scenario.sets.joined(separator: ", ")); e.g. \"ece_{set}\", \"ood_accuracy_{set}\"")
            }
        } else if !scenario.finals.contains(y) {
            throw figure.invalid("y", "'\(y)' is not a metric of this scenario; " + suggestion(for: y, in: scenario.finals.sorted()))
        }
        return (x, y)
    }

    func defaultName(x: String, y: String) -> String { "\(x)-\(FigureSpec.quantity(y))" }

    func defaultTitle(x: String, y: String) -> String {
        x == Self.setAxis ? "\(FigureSpec.quantityText(y)) by evaluation set" : "\(FigureSpec.quantityText(y)) by \(x)"
    }

    /// The swept values other than x's; the metric's name when x is the only swept column.
    func series(of cell: SweepCell, in spec: FigureSpec) -> String {
        let rest = cell.assignments.filter { $0.column != spec.x }
        return rest.isEmpty ? spec.y : rest.map(\.value).joined(separator: ", ")
    }

    func point(of cell: SweepCell, in spec: FigureSpec) -> String {
        spec.seriesLabel(cell) + "|" + (spec.x == Self.setAxis ? "" : (cell.assignments.first { $0.column == spec.x }?.value ?? ""))
    }

    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        if spec.x == Self.setAxis {
            let sets = EvaluationSet.names(for: data.scenario.base.data)
            let series = data.drawn.map { cell, summary in
                (
                    label: spec.groupBy == nil ? summary.label : spec.seriesLabel(cell),
                    points: sets.map { set in FigureData.interval(summary.estimate(FigureSpec.metric(spec.y, set: set))) }
                )
            }
            return PointPlot(
                title: spec.title, xLabel: "evaluation set (ID, then background shifts)",
                yLabel: spec.y.replacingOccurrences(of: "_{set}", with: ""), logY: spec.logY,
                categories: sets.map { EvaluationSet(standardName: $0).label }, series: series
            ).svg
        }
        var categories: [String] = [], groups: [String] = []
        var values: [String: [String: (mean: Double, low: Double, high: Double)]] = [:]
        for (cell, summary) in data.drawn {
            let category = Self.shortLabel(cell, column: spec.x)
            let group = spec.seriesLabel(cell)
            if !categories.contains(category) { categories.append(category) }
            if !groups.contains(group) { groups.append(group) }
            values[group, default: [:]][category] = FigureData.interval(summary.estimate(spec.y))
        }
        let series = groups.map { group in (label: group, points: categories.map { values[group]?[$0] }) }
        return PointPlot(title: spec.title, xLabel: spec.x, yLabel: spec.y, logY: spec.logY, categories: categories, series: series).svg
    }

    /// A configuration's value of a sweep column, short: optimiser and activation labels rather than JSON.
    static func shortLabel(_ cell: SweepCell, column: String) -> String {
        switch column {
        case "optimizer": cell.configuration.training.optimizer.label
        case "activation": cell.configuration.model.activation.label
        default: cell.assignments.first { $0.column == column }?.value ?? "–"
        }
    }
}
