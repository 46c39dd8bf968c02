@testable import Reports
import Scenarios
import Schema
import Testing

@Suite("Scatter figures")
struct ScatterFigureTests {
    static let sweep = #"{"model.activation": ["relu", "linear"]}"#

    @Test("x and y are final metrics, checked with a did-you-mean; the name and title follow from them")
    func axes() throws {
        let misspelt = loadError(withFigures(#"{"kind": "scatter", "x": "background_growt", "y": "id_loss"}"#, sweep: Self.sweep))
        #expect(misspelt?.path == "report.figures[0].x" && misspelt?.message.contains("did you mean 'background_growth'?") == true)
        let missing = loadError(withFigures(#"{"kind": "scatter", "x": "background_growth"}"#, sweep: Self.sweep))
        #expect(missing?.path == "report.figures[0].y")
        let loaded = try LoadedScenario.decode(
            withFigures(#"{"kind": "scatter", "x": "background_growth", "y": "id_loss", "group_by": "activation"}"#, sweep: Self.sweep),
            file: "s.json")
        #expect(loaded.report.figures.map(\.name) == ["scatter-background_growth-id_loss"])
        #expect(loaded.report.figures.map(\.title) == ["id loss against background growth"])
    }

    @Test("Each run is one marker at its own (x, y), and the title's r is Pearson's over the runs")
    func drawing() throws {
        let loaded = try LoadedScenario.decode(
            withFigures(
                #"{"kind": "scatter", "x": "id_loss", "y": "background_growth"}, {"kind": "scatter", "name": "same", "x": "id_loss", "y": "id_loss"}"#,
                sweep: Self.sweep), file: "s.json")
        let scenario = loaded.scenario
        let cells = CellSummary.summarize(scenario, PlanExecutor.execute(scenario.runs, jobs: 1, reuse: false))
        let figures = FigureRenderer(scenario: scenario, report: loaded.report, cells: cells).figures
        // Pearson's r by its definition, from the runs' final values (a run's x paired with its own y).
        let pairs = cells.flatMap { $0.finals.map { (x: $0["id_loss"] ?? .nan, y: $0["background_growth"] ?? .nan) } }
        try #require(pairs.count == 6 && pairs.allSatisfy { $0.x.isFinite && $0.y.isFinite })
        let mx = pairs.map(\.x).reduce(0, +) / 6, my = pairs.map(\.y).reduce(0, +) / 6
        let sxy = pairs.map { ($0.x - mx) * ($0.y - my) }.reduce(0, +)
        let sxx = pairs.map { ($0.x - mx) * ($0.x - mx) }.reduce(0, +), syy = pairs.map { ($0.y - my) * ($0.y - my) }.reduce(0, +)
        let r = sxy / (sxx * syy).squareRoot()
        #expect(figures[0].svg.contains("(Pearson r = \(formatFixed(r, 2)), 6 runs)"), "r = \(r)")
        #expect(figures[1].svg.contains("(Pearson r = 1.00, 6 runs)"))
        // Series 0 (relu) draws circles, series 1 (linear) squares: three runs each, plus one legend marker.
        #expect(figures[0].svg.components(separatedBy: "<circle").count - 1 == 3 + 1)
        let squares = figures[0].svg.components(separatedBy: "<rect").count - 1
        let background = SVGCanvas(width: 1, height: 1).document.components(separatedBy: "<rect").count - 1
        #expect(squares - background == 3 + 1)
    }
}
