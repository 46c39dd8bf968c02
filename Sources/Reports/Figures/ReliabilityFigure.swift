import Dynamics
import Schema
import Studies

/// The reliability diagram (accuracy against confidence, 15 equal-width top-label bins) on one
/// evaluation set (`x`: "id" or a shift's name), one series per configuration.
struct ReliabilityFigure: FigureKind {
    /// The only y: the accuracy of each confidence bin.
    static let y = "accuracy"
    let name = "reliability"
    let summary = "a reliability diagram"
    let xAxis = "an evaluation set, id or a shift's name (default: id)"
    let yAxis = Self.y

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        (try figure.choice("x", default: EvaluationSet.id.name, from: scenario.sets), try figure.choice("y", default: Self.y, from: [Self.y]))
    }

    func defaultName(x: String, y: String) -> String { "reliability-\(x)" }

    func defaultTitle(x: String, y: String) -> String {
        "Reliability diagram, \(x == EvaluationSet.id.name ? "ID test set" : "shift \(x)")"
    }

    /// Per bin, over the seeds where it is non-empty: mean confidence, and accuracy with its interval.
    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        let series = data.summaries.map { cell in
            let rows = cell.reliability.flatMap { $0.filter { $0.set == spec.x } }
            let bins = Set(rows.map(\.bin)).sorted()
            return PlotSeries(
                label: cell.label,
                points: bins.map { bin in
                    let members = rows.filter { $0.bin == bin }
                    let accuracy = Estimate(members.map(\.accuracy))
                    let confidence = members.map(\.confidence).reduce(0, +) / Double(members.count)
                    return (confidence, accuracy.mean, accuracy.lower, accuracy.upper)
                })
        }
        return ReliabilityPlot(title: spec.title, series: series).svg
    }
}
