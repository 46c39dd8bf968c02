import Dynamics
import Schema
import Scenarios
import Studies

/// The ID–OOD frontier of a transfer protocol: one transfer quantity of every stage against another
/// (e.g. accuracy on its own task against accuracy on a shifted task), a labelled point per stage with
/// 95% error bars on both axes; the stages that interpolate the same two stages (WiSE-FT, R-Adapter's
/// rescaling) are joined in α order from one endpoint to the other, so each α-curve is a path across
/// the frontier. One colour per configuration.
struct FrontierFigure: FigureKind {
    let name = "frontier"
    let summary = "one transfer quantity of every stage against another, α-curves joined"
    let xAxis = "a stage quantity as for \"stages\" (default: accuracy, on the stage's own task)"
    let yAxis = "a stage quantity as for \"stages\" (default: accuracy_<task> for the first task stages are also evaluated on; required without one)"

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        let quantities = try StagesFigure.quantities(figure, in: scenario, kind: name)
        let further = scenario.configurations.compactMap(\.transfer).flatMap(\.furtherTasks).first
        let x = try figure.choice("x", default: TransferMetric.accuracy.rawValue, from: quantities)
        let y = try figure.choice("y", default: further.map(TransferMetric.accuracyQuantity), from: quantities)
        return (x, y)
    }

    func defaultName(x: String, y: String) -> String { "frontier-\(x)-\(y)" }

    func defaultTitle(x: String, y: String) -> String {
        let own = { (quantity: String) in
            StagesFigure.label(quantity) + (quantity == TransferMetric.accuracy.rawValue ? " on the stage's own task" : "")
        }
        return "\(own(y)) against \(own(x)), by stage"
    }

    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        let stages = data.scenario.base.transfer?.stages ?? []
        typealias Point = (stage: String, x: (mean: Double, low: Double, high: Double), y: (mean: Double, low: Double, high: Double))
        let series: [(label: String, points: [Point])] = data.drawn.map { _, summary in
            (
                summary.label,
                stages.compactMap { stage in
                    guard let x = FigureData.interval(summary.estimate(TransferMetric.name(stage: stage.name, quantity: spec.x))),
                        let y = FigureData.interval(summary.estimate(TransferMetric.name(stage: stage.name, quantity: spec.y))),
                        x.mean.isFinite, y.mean.isFinite
                    else { return nil }
                    return (stage.name, x, y)
                }
            )
        }
        let all = series.flatMap(\.points)
        var canvas = SVGCanvas(width: Frame.width, height: Frame.height)
        let x = Axis(covering: all.flatMap { [$0.x.low, $0.x.high] }, logarithmic: false, pixels: (Frame.left, Frame.right))
        let y = Axis(covering: all.flatMap { [$0.y.low, $0.y.high] }, logarithmic: false, pixels: (Frame.bottom, Frame.top))
        Frame.axes(&canvas, title: spec.title, xLabel: spec.x, yLabel: spec.y, y: y, xTicks: x.ticks.map { (x.position($0), Axis.label($0)) })
        for (i, s) in series.enumerated() {
            let colour = Palette.colour(i)
            let at = { (name: String) in s.points.first { $0.stage == name } }
            for path in Self.interpolationPaths(stages) {
                let points = path.compactMap(at).map { (x.position($0.x.mean), y.position($0.y.mean)) }
                if points.count > 1 { canvas.polyline(points, stroke: colour, width: 1, dash: Palette.dash(i)) }
            }
            for point in s.points {
                let px = x.position(point.x.mean), py = y.position(point.y.mean)
                canvas.line(x.position(point.x.low), py, x.position(point.x.high), py, stroke: colour, width: 1)
                canvas.line(px, y.position(point.y.low), px, y.position(point.y.high), stroke: colour, width: 1)
                canvas.marker(px, py, shape: i, fill: colour)
                if series.count == 1 || i == 0 { canvas.text(px + 5, py - 5, point.stage, size: 9) }
            }
        }
        Frame.legend(&canvas, labels: series.map(\.label), lines: false)
        return canvas.document
    }

    /// For each pair of stages that others interpolate: the stage names from the α = 0 endpoint through
    /// the interpolations in increasing α to the α = 1 endpoint.
    static func interpolationPaths(_ stages: [TransferStage]) -> [[String]] {
        var paths: [(from: String, to: String, mixes: [(alpha: Double, stage: String)])] = []
        for stage in stages {
            guard case let .interpolation(mix) = stage.start else { continue }
            if let i = paths.firstIndex(where: { $0.from == mix.from && $0.to == mix.to }) {
                paths[i].mixes.append((mix.alpha, stage.name))
            } else {
                paths.append((mix.from, mix.to, [(mix.alpha, stage.name)]))
            }
        }
        return paths.map { [$0.from] + $0.mixes.sorted { $0.alpha < $1.alpha }.map(\.stage) + [$0.to] }
    }
}
