import Scenarios

/// Draws a report's figures from the scenario's cell summaries: every point is a mean over seeds with
/// its 95% t-interval, so each figure traces back to `summary.csv` / `metrics.csv` / `neurons.csv`.
struct FigureRenderer {
    let scenario: Scenario
    let report: ReportSpec
    let cells: [CellSummary]

    /// (spec, SVG document) for every declared figure, in order.
    var figures: [(spec: FigureSpec, svg: String)] {
        report.figures.map { ($0, svg(for: $0)) }
    }

    /// One figure, from the configurations it selects that have completed runs.
    func svg(for spec: FigureSpec) -> String {
        let drawn = zip(scenario.cells, cells).filter { spec.selects($0.0) && !$0.1.finals.isEmpty }.map { (cell: $0.0, summary: $0.1) }
        return spec.kind.draw(spec, from: FigureData(scenario: scenario, drawn: drawn))
    }
}
