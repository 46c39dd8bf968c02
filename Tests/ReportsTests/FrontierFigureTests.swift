@testable import Reports
import Scenarios
import Schema
import Testing

@Suite("Frontier figures")
struct FrontierFigureTests {
    /// A source, a fine-tuned stage evaluated on a second view, and two WiSE-FT mixes declared out of α order.
    static let transfer = #"""
        {"name": "f", "seeds": 2,
         "model": {"width": 8, "output": {"trained": true}},
         "transfer": {"world": {"dimension": 16, "core": 4, "background": 2},
           "tasks": [{"name": "id", "classes": 2, "core_per_class": 2, "views": [0], "train_size": 60},
                     {"name": "ood", "classes": 2, "core_per_class": 2, "views": [1], "train_size": 2, "test_size": 200}],
           "stages": [{"name": "pre", "task": "id", "steps": 20, "batch": 10, "also_on": ["ood"]},
                      {"name": "ft", "task": "id", "from": "pre", "head": "inherited", "steps": 20, "batch": 10, "also_on": ["ood"]},
                      {"name": "mix_07", "task": "id", "from": {"interpolate": ["pre", "ft"], "alpha": 0.7}, "head": "inherited", "steps": 0, "also_on": ["ood"]},
                      {"name": "mix_03", "task": "id", "from": {"interpolate": ["pre", "ft"], "alpha": 0.3}, "head": "inherited", "steps": 0, "also_on": ["ood"]}]},
         "report": {"figures": [FIGURES]}}
        """#

    @Test("x defaults to the own-task accuracy and y to the first further task's; only transfer scenarios; the default report draws it")
    func axes() throws {
        let loaded = try LoadedScenario.decode(Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "frontier"}"#), file: "f.json")
        let figure = try #require(loaded.report.figures.first)
        #expect(figure.x == "accuracy" && figure.y == "accuracy_ood" && figure.name == "frontier-accuracy-accuracy_ood")
        #expect(figure.title == "accuracy ood against clean accuracy on the stage's own task, by stage")
        let bad = loadError(Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "frontier", "y": "accuracy_elsewhere"}"#))
        #expect(bad?.path == "report.figures[0].y" && bad?.message.contains("accuracy_ood") == true)
        let elsewhere = loadError(withFigures(#"{"kind": "frontier"}"#, sweep: #"{"model.activation": ["relu", "linear"]}"#))
        #expect(elsewhere?.path == "report.figures[0].kind" && elsewhere?.message.contains("\"frontier\" needs") == true)
        #expect(ReportSpec.defaults(for: loaded.scenario).figures.map(\.name).contains("frontier-accuracy-accuracy_ood"))
    }

    @Test("An α-curve runs from the α = 0 endpoint through the mixes in increasing α to the α = 1 endpoint")
    func paths() throws {
        let loaded = try LoadedScenario.decode(Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "frontier"}"#), file: "f.json")
        let stages = try #require(loaded.scenario.base.transfer?.stages)
        #expect(FrontierFigure.interpolationPaths(stages) == [["pre", "mix_03", "mix_07", "ft"]])
    }

    @Test("A labelled point per stage with both values, at its means over seeds; the α-curve drawn as one path")
    func drawing() throws {
        let loaded = try LoadedScenario.decode(Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "frontier"}"#), file: "f.json")
        let scenario = loaded.scenario
        let cells = CellSummary.summarize(scenario, PlanExecutor.execute(scenario.runs, jobs: 1, reuse: false))
        let svg = try #require(FigureRenderer(scenario: scenario, report: loaded.report, cells: cells).figures.first).svg
        for stage in ["pre", "ft", "mix_03", "mix_07"] { #expect(svg.contains(">\(stage)<"), "\(stage) is labelled") }
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 1, "one α-curve")
        // Every stage has both values, so each draws a marker and two error bars.
        #expect(cells.first?.finals.count == 2)
        for run in cells.first?.finals ?? [] { #expect(run["mix_03_accuracy_ood"] != nil && run["ft_accuracy"] != nil) }
    }
}
