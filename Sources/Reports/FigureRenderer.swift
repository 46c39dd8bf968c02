import Dynamics
import Scenarios
import Studies

/// Draws a scenario's declared figures from its cell summaries: every point is a mean over seeds with
/// its 95% t-interval, so each figure traces back to `summary.csv` / `metrics.csv` / `neurons.csv`.
struct FigureRenderer {
    let scenario: Scenario
    let cells: [CellSummary]

    /// (spec, SVG document) for every declared figure, in order.
    var figures: [(spec: FigureSpec, svg: String)] {
        scenario.report.figures.map { ($0, svg(for: $0)) }
    }

    func svg(for spec: FigureSpec) -> String {
        // The drawn configurations (with completed runs), each with its sweep cell.
        let pairs = zip(scenario.cells, cells).filter { spec.selects($0.0) && !$0.1.finals.isEmpty }
        let selected = pairs.map(\.1)
        switch spec.kind {
        case .line:
            let series = pairs.map { cell, summary in
                PlotSeries(
                    label: spec.groupBy == nil ? summary.label : spec.seriesLabel(cell),
                    points: zip(summary.steps, summary.bands(spec.y)).map { step, e in (Double(step), e.mean, e.lower, e.upper) })
            }
            return LinePlot(title: spec.title, xLabel: "training step", yLabel: spec.y, logY: spec.logY, series: series).svg
        case .points where spec.x == "set":
            let sets = EvaluationSet.names(for: scenario.base.data)
            let series = pairs.map { cell, summary in
                (
                    label: spec.groupBy == nil ? summary.label : spec.seriesLabel(cell),
                    points: sets.map { set in interval(summary.estimate(FigureSpec.metric(spec.y, set: set))) }
                )
            }
            return PointPlot(
                title: spec.title, xLabel: "evaluation set (ID, then background shifts)",
                yLabel: spec.y.replacingOccurrences(of: "_{set}", with: ""), logY: spec.logY,
                categories: sets.map(EvaluationSet.label), series: series
            ).svg
        case .points:
            var categories: [String] = [], groups: [String] = []
            var values: [String: [String: (mean: Double, low: Double, high: Double)]] = [:]
            for (cell, summary) in pairs {
                let category = Self.shortLabel(cell, column: spec.x)
                let group = spec.seriesLabel(cell)
                if !categories.contains(category) { categories.append(category) }
                if !groups.contains(group) { groups.append(group) }
                values[group, default: [:]][category] = interval(summary.estimate(spec.y))
            }
            let series = groups.map { group in (label: group, points: categories.map { values[group]?[$0] }) }
            return PointPlot(title: spec.title, xLabel: spec.x, yLabel: spec.y, logY: spec.logY, categories: categories, series: series).svg
        case .neurons:
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
        case .reliability:
            // Per bin, over the seeds where it is non-empty: mean confidence, and accuracy with its interval.
            let series = selected.map { cell in
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
        case .estimators:
            let sizes = scenario.base.priorStudy?.labelledPerClass ?? []
            let cell = selected.first
            let series = PriorEstimator.allCases.map { estimator in
                (
                    label: estimator.shortName,
                    points: sizes.map { n in
                        cell.flatMap { cell in
                            EstimatorQuantity(rawValue: spec.y).flatMap { interval(cell.estimate(.estimator($0, estimator, labelledPerClass: n))) }
                        }
                    }
                )
            }
            let title = spec.title + (selected.count > 1 ? " (\(cell?.label ?? ""))" : "")
            // Accuracies get the raw model and the true-prior oracle as reference lines.
            let references: [(label: String, value: Double)] =
                spec.y.hasSuffix("accuracy")
                ? [
                    ("raw logits", cell?.estimate("\(spec.y)_plain").mean ?? .nan),
                    ("true prior", cell?.estimate("\(spec.y)_oracle").mean ?? .nan),
                ] : []
            return PointPlot(
                title: title, xLabel: "labelled samples per class", yLabel: spec.y, logY: spec.logY,
                categories: sizes.map(String.init), series: series, references: references
            ).svg
        }
    }

    /// A configuration's value of a sweep column, short: optimiser and activation labels rather than JSON.
    static func shortLabel(_ cell: SweepCell, column: String) -> String {
        switch column {
        case "optimizer": cell.configuration.training.optimizer.label
        case "activation": cell.configuration.model.activation.label
        default: cell.assignments.first { $0.column == column }?.value ?? "–"
        }
    }

    func interval(_ estimate: Estimate) -> (mean: Double, low: Double, high: Double)? {
        estimate.values.isEmpty ? nil : (estimate.mean, estimate.lower, estimate.upper)
    }
}
