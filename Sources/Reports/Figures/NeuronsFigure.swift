import Dynamics
import Schema

/// 2-D histogram of per-neuron values (core vs background projection), one panel per configuration
/// (the first four).
struct NeuronsFigure: FigureKind {
    /// The default axes: each neuron's core and background projection.
    static let defaultX = Metric.coreProjection
    static let defaultY = Metric.backgroundProjection
    let name = "neurons"
    let summary = "per-neuron histogram"
    let xAxis = "a neurons.csv column (default: \(Self.defaultX))"
    let yAxis = "a neurons.csv column (default: \(Self.defaultY))"

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        let columns = Array(Set(scenario.configurations.flatMap { NeuronTable.columns(for: $0) })).sorted()
        let x = try figure.string("x", default: Self.defaultX)
        let y = try figure.string("y", default: Self.defaultY)
        for (key, column) in [("x", x), ("y", y)] where !columns.contains(column) {
            throw figure.invalid(key, "'\(column)' is not a column of neurons.csv; " + suggestion(for: column, in: columns))
        }
        return (x, y)
    }

    func defaultName(x: String, y: String) -> String { "neurons" }

    func defaultTitle(x: String, y: String) -> String {
        "Neurons: \(x.replacingOccurrences(of: "_", with: " ")) vs \(y.replacingOccurrences(of: "_", with: " "))"
    }

    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        let selected = data.summaries
        let panels = selected.prefix(4).map { cell in
            (
                label: cell.label,
                points: cell.neurons.flatMap { table -> [(Double, Double)] in
                    guard let i = table.columns.firstIndex(of: spec.x), let j = table.columns.firstIndex(of: spec.y) else { return [] }
                    return table.rows.map { ($0[i], $0[j]) }
                }
            )
        }
        let title = spec.title + (selected.count > 4 ? " (first 4 configurations)" : "")
        return HeatMap(title: title, xLabel: spec.x, yLabel: spec.y, panels: Array(panels)).svg
    }
}
