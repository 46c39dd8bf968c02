@testable import Reports
import Scenarios
import Schema
import Testing

@Suite("Stages figures")
struct StagesFigureTests {
    /// A two-stage transfer protocol (a source, then a linear probe on a target), swept over two widths.
    static let transfer = #"""
        {"name": "t", "seeds": 2, "sweep": {"model.width": [6, 8]},
         "model": {"output": {"trained": true}},
         "transfer": {"world": {"dimension": 16, "core": 4, "background": 2},
           "tasks": [{"name": "source", "classes": 4, "train_size": 100, "trigger": {"kind": "class_conditional", "class": 0, "fraction": 1}},
                     {"name": "target", "classes": 2, "core_per_class": 2, "train_size": 60}],
           "stages": [{"name": "pretrain", "task": "source", "steps": 30, "batch": 10},
                      {"name": "probe", "task": "target", "from": "pretrain", "trains": "head", "steps": 30, "batch": 10}]},
         "report": {"figures": [FIGURES]}}
        """#

    @Test("y is a transfer metric (default asr), only for transfer scenarios; the default report draws the stages")
    func axes() throws {
        let bad = loadError(Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "stages", "y": "asr_rate"}"#))
        #expect(bad?.path == "report.figures[0].y" && bad?.message.contains("allowed: 'accuracy', 'train_accuracy', 'asr'") == true)
        let elsewhere = loadError(withFigures(#"{"kind": "stages"}"#, sweep: #"{"model.activation": ["relu", "linear"]}"#))
        #expect(elsewhere?.path == "report.figures[0].kind" && elsewhere?.message.contains("\"transfer\" section") == true)
        let loaded = try LoadedScenario.decode(Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "stages"}"#), file: "t.json")
        #expect(loaded.report.figures.map(\.name) == ["stages-asr"] && loaded.report.figures[0].title == "attack success rate by stage")
        let defaults = ReportSpec.defaults(for: loaded.scenario).figures.map(\.name)
        #expect(defaults == ["stages-asr", "stages-accuracy", "stages-trigger_projection", "stages-background_projection"])
    }

    @Test("One category per stage in the order they run, one series per configuration, each point its mean over seeds")
    func drawing() throws {
        let loaded = try LoadedScenario.decode(
            Self.transfer.replacingOccurrences(of: "FIGURES", with: #"{"kind": "stages", "y": "trigger_projection"}"#), file: "t.json")
        let scenario = loaded.scenario
        let cells = CellSummary.summarize(scenario, PlanExecutor.execute(scenario.runs, jobs: 1, reuse: false))
        let svg = try #require(FigureRenderer(scenario: scenario, report: loaded.report, cells: cells).figures.first).svg
        #expect(svg.contains(">pretrain<") && svg.contains(">probe<"))
        #expect(svg.range(of: ">pretrain<")?.lowerBound ?? svg.endIndex < svg.range(of: ">probe<")?.lowerBound ?? svg.startIndex)
        // A linear probe keeps the first layer: both stages have the same trigger projection, seed by seed.
        for cell in cells {
            #expect(cell.finals.count == 2)
            for run in cell.finals { #expect(run["pretrain_trigger_projection"] == run["probe_trigger_projection"]) }
        }
        #expect(svg.contains("model.width=6") || svg.contains(cells[0].label))
    }
}
