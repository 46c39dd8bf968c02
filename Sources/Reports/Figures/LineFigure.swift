import Schema

/// Mean and 95% band of a probe over training steps, one series per configuration.
struct LineFigure: FigureKind {
    /// The only x: the training step.
    static let x = "step"
    let name = "line"
    let summary = "a probe over steps"
    let xAxis = Self.x
    let yAxis = "a probe recorded over training (required)"
    let groupsSeries = true

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        let x = try figure.choice("x", default: Self.x, from: [Self.x])
        let y = try figure.string("y")
        guard scenario.series.contains(y) else {
            throw figure.invalid("y", "'\(y)' is not a probe recorded over training; " + suggestion(for: y, in: scenario.series.sorted()))
        }
        return (x, y)
    }

    func defaultName(x: String, y: String) -> String { "steps-\(FigureSpec.quantity(y))" }

    func defaultTitle(x: String, y: String) -> String { "\(FigureSpec.quantityText(y)) over training" }

    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        let series = data.drawn.map { cell, summary in
            PlotSeries(
                label: spec.groupBy == nil ? summary.label : spec.seriesLabel(cell),
                points: zip(summary.steps, summary.bands(spec.y)).map { step, e in (Double(step), e.mean, e.lower, e.upper) })
        }
        return LinePlot(title: spec.title, xLabel: "training step", yLabel: spec.y, logY: spec.logY, series: series).svg
    }
}
