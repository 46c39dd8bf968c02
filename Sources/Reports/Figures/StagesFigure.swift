import Dynamics
import Schema
import Scenarios
import Studies

/// A transfer metric of every stage of a transfer protocol, side by side (x: the stages in the order
/// they run), with 95% error bars; one series per configuration.
struct StagesFigure: FigureKind {
    /// The only x: the protocol's stages.
    static let x = "stage"
    let name = "stages"
    let summary = "a transfer metric of every stage"
    let xAxis = Self.x
    let yAxis =
        "a transfer metric: " + TransferMetric.allCases.map(\.rawValue).joined(separator: ", ")
        + ", ece, nll, or accuracy_<task>, ece_<task>, nll_<task> for a task stages are also evaluated on (default: asr)"
    let groupsSeries = true

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        let quantities = try Self.quantities(figure, in: scenario, kind: name)
        let x = try figure.choice("x", default: Self.x, from: [Self.x])
        let y = try figure.choice("y", default: TransferMetric.attackSuccessRate.rawValue, from: quantities)
        return (x, y)
    }

    /// Every quantity the stages of the scenario's protocols record (metrics, accuracies on further
    /// tasks, calibration); a figure of `kind` needs a transfer section.
    static func quantities(_ figure: ObjectReader, in scenario: FigureContext, kind: String) throws(ScenarioError) -> [String] {
        guard scenario.configurations.contains(where: { $0.transfer != nil }) else {
            throw figure.invalid("kind", "\"\(kind)\" needs a scenario with a \"transfer\" section")
        }
        return scenario.configurations.compactMap(\.transfer).flatMap { TransferMetric.quantities($0) + TransferCalibration.quantities($0) }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// A stage quantity in words: the metric's label, "attack success rate at 2τ" for `asr_x2`, else
    /// the name with spaces.
    static func label(_ quantity: String) -> String {
        let latent = TransferMetric.asrMultiplePrefix
        if quantity.hasPrefix(latent) { return "\(TransferMetric.attackSuccessRate.label) at \(quantity.dropFirst(latent.count))τ" }
        return TransferMetric(rawValue: quantity)?.label ?? quantity.replacingOccurrences(of: "_", with: " ")
    }

    func defaultName(x: String, y: String) -> String { "stages-\(y)" }

    func defaultTitle(x: String, y: String) -> String { "\(Self.label(y)) by stage" }

    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        let stages = data.scenario.base.transfer?.stages.map(\.name) ?? []
        let series = data.drawn.map { cell, summary in
            (
                label: spec.groupBy == nil ? summary.label : spec.seriesLabel(cell),
                points: stages.map { stage in FigureData.interval(summary.estimate(TransferMetric.name(stage: stage, quantity: spec.y))) }
            )
        }
        return PointPlot(
            title: spec.title, xLabel: "stage (in the order they run)", yLabel: spec.y, logY: spec.logY, categories: stages, series: series
        ).svg
    }
}
