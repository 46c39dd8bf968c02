import GSL
import Schema
import Scenarios

/// One final metric against another, a marker per run, a colour and shape per configuration (or per
/// `group_by` value), with Pearson's r over every drawn run in the title: e.g. how closely a network's
/// background growth goes with its loss under a background shift, across activations and seeds.
struct ScatterFigure: FigureKind {
    let name = "scatter"
    let summary = "one final metric against another, a point per run"
    let xAxis = "a final metric (required)"
    let yAxis = "a final metric (required)"
    let groupsSeries = true

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        let x = try figure.string("x"), y = try figure.string("y")
        for (key, metric) in [("x", x), ("y", y)] where !scenario.finals.contains(metric) {
            throw figure.invalid(key, "'\(metric)' is not a metric of this scenario; " + suggestion(for: metric, in: scenario.finals.sorted()))
        }
        return (x, y)
    }

    func defaultName(x: String, y: String) -> String { "scatter-\(x)-\(y)" }

    func defaultTitle(x: String, y: String) -> String {
        "\(FigureSpec.quantityText(y)) against \(FigureSpec.quantityText(x))"
    }

    /// Every run is its own point, so `group_by` only merges configurations into one colour.
    func point(of cell: SweepCell, in spec: FigureSpec) -> String { cell.label }

    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        var series: [(label: String, points: [(x: Double, y: Double)])] = []
        for (cell, summary) in data.drawn {
            let label = spec.groupBy == nil ? summary.label : spec.seriesLabel(cell)
            let points = summary.finals.compactMap { run in run[spec.x].flatMap { x in run[spec.y].map { (x: x, y: $0) } } }
                .filter { $0.x.isFinite && $0.y.isFinite && (!spec.logY || $0.y > 0) }
            if let i = series.firstIndex(where: { $0.label == label }) { series[i].points += points } else { series.append((label, points)) }
        }
        let all = series.flatMap(\.points)
        let r = Statistics.correlation(all.map(\.x), all.map(\.y))
        var canvas = SVGCanvas(width: Frame.width, height: Frame.height)
        let x = Axis(covering: all.map(\.x), logarithmic: false, pixels: (Frame.left, Frame.right))
        let y = Axis(covering: all.map(\.y), logarithmic: spec.logY, pixels: (Frame.bottom, Frame.top))
        Frame.axes(
            &canvas, title: spec.title + (r.map { " (Pearson r = \(formatFixed($0, 2)), \(all.count) runs)" } ?? " (\(all.count) runs)"),
            xLabel: spec.x, yLabel: spec.y, y: y, xTicks: x.ticks.map { (x.position($0), Axis.label($0)) })
        for (i, s) in series.enumerated() {
            for point in s.points { canvas.marker(x.position(point.x), y.position(point.y), shape: i, fill: Palette.colour(i)) }
        }
        Frame.legend(&canvas, labels: series.map(\.label), lines: false)
        return canvas.document
    }
}
