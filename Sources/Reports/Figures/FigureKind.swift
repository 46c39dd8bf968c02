import Dynamics
import Scenarios
import Schema
import Studies

/// One kind of figure a report can draw, whole: how its axes are read from the scenario's `report`
/// block and checked against the scenario, its default file name and title, and how it is drawn.
/// Adding a kind is one file with a type conforming to this, listed in `FigureKinds.all`.
package protocol FigureKind: Sendable {
    /// The `kind` in scenario files.
    var name: String { get }
    /// A few words for the schema and the reference: what the figure shows.
    var summary: String { get }
    /// The kind's x and y in a few words, with their defaults, for the reference.
    var xAxis: String { get }
    var yAxis: String { get }
    /// Whether `group_by` may choose the series (kinds with one series per estimator, or one panel
    /// per configuration, do not have that choice).
    var groupsSeries: Bool { get }

    /// The x and y of a declared figure, with the kind's defaults, checked against the scenario.
    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String)
    /// The file name under `figures/` when the figure declares none.
    func defaultName(x: String, y: String) -> String
    /// The title when the figure declares none.
    func defaultTitle(x: String, y: String) -> String
    /// The series a configuration belongs to when `group_by` is not given.
    func series(of cell: SweepCell, in spec: FigureSpec) -> String
    /// What identifies one drawn point of a configuration: with `group_by`, no two selected
    /// configurations may share it.
    func point(of cell: SweepCell, in spec: FigureSpec) -> String
    /// The SVG document.
    func draw(_ spec: FigureSpec, from data: FigureData) -> String
}

extension FigureKind {
    package var groupsSeries: Bool { false }

    /// The swept values of the configuration, or its activation when nothing is swept.
    package func series(of cell: SweepCell, in spec: FigureSpec) -> String {
        cell.assignments.isEmpty ? cell.configuration.model.activation.label : cell.assignments.map(\.value).joined(separator: ", ")
    }

    package func point(of cell: SweepCell, in spec: FigureSpec) -> String { spec.seriesLabel(cell) }
}

/// The figure kinds, in the order the reference lists them.
package enum FigureKinds {
    package static let all: [any FigureKind] = [
        LineFigure(), PointsFigure(), NeuronsFigure(), EstimatorsFigure(), ReliabilityFigure(), ScatterFigure(), StagesFigure(), FrontierFigure(),
    ]

    /// The kind named `name`, if there is one.
    package static func named(_ name: String) -> (any FigureKind)? { all.first { $0.name == name } }
}

/// What a figure's axes are checked against: the scenario's swept columns, the probes it records over
/// training, its final metrics and its evaluation sets.
package struct FigureContext {
    package let cells: [SweepCell]
    package let columns: [String]
    package let configurations: [RunConfiguration]
    /// Probes recorded over training (the `line` kind's y).
    package let series: Set<String>
    /// Every metric with a final value: probes and the final analyses.
    package let finals: Set<String>
    /// The evaluation sets' names: "id", then the shifts.
    package let sets: [String]

    init(cells: [SweepCell], sweep: [SweepAxis]) {
        self.cells = cells
        columns = sweep.map(\.column)
        configurations = cells.map(\.configuration)
        series = Set(configurations.flatMap { Metric.names(for: $0) })
        finals = series.union(configurations.flatMap(RunStudy.finalMetricNames))
        sets = configurations.first.map { EvaluationSet.names(for: $0.data) } ?? [EvaluationSet.id.name]
    }
}

/// What a figure is drawn from: the configurations it selects that have completed runs, each with its
/// sweep cell and its summary over seeds.
package struct FigureData {
    package let scenario: Scenario
    package let drawn: [(cell: SweepCell, summary: CellSummary)]

    /// The drawn configurations' summaries.
    var summaries: [CellSummary] { drawn.map(\.summary) }

    /// The mean and 95% interval of an estimate, or nil without values (nothing is drawn).
    static func interval(_ estimate: Estimate) -> (mean: Double, low: Double, high: Double)? {
        estimate.values.isEmpty ? nil : (estimate.mean, estimate.lower, estimate.upper)
    }
}
