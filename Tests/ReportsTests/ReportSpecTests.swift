import Reports
import Scenarios
import Schema
import TestSupport
import Testing

/// The error of loading `text` with its report, or nil when it is valid.
func loadError(_ text: String) -> ScenarioError? {
    thrown { () throws(ScenarioError) in _ = try LoadedScenario.decode(text, file: "s.json") }
}

/// The minimal scenario swept as `sweep`, with `figures` (a JSON list's items) as its report.
func withFigures(_ figures: String, sweep: String) -> String {
    let document = (try? JSONParser.parse(withField(["sweep"], sweep))) ?? .null
    let report = (try? JSONParser.parse(#"{"figures": [\#(figures)]}"#)) ?? .null
    return (document.setting(["report"], to: report) ?? document).serialized()
}

@Suite("Report figure specs")
struct FigureSpecTests {
    static let sweep = withField(["sweep"], #"{"model.activation": ["relu", "linear"]}"#)

    func figureError(_ figure: String) -> ScenarioError? {
        loadError(withFigures(figure, sweep: #"{"model.activation": ["relu", "linear"]}"#))
    }

    @Test("Every bundled scenario's report is valid and draws figures")
    func bundled() throws {
        let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
        for entry in ScenarioLocator.bundled(in: root) {
            let loaded = try LoadedScenario.load("\(root)/\(entry.path)")
            #expect(!loaded.report.figures.isEmpty, "\(entry.name) draws no figure")
        }
    }

    @Test("Defaults: the contamination picture; one figure per calibration quantity with several shifts")
    func defaults() throws {
        let loaded = try LoadedScenario.decode(Self.sweep, file: "s.json")
        #expect(loaded.report.figures.map(\.name) == ["steps-background_projection", "steps-ood_loss_flip", "neurons"])
        let again = try LoadedScenario.decode(loaded.resolved.serialized(), file: "resolved.json")
        #expect(again.report == loaded.report)
    }

    @Test("Declared figures are validated: unknown metric or column, empty selection, wrong kind of x")
    func validation() {
        let metric = figureError(#"{"kind": "line", "y": "backgound_projection"}"#)
        #expect(metric?.path == "report.figures[0].y" && metric?.message.contains("did you mean 'background_projection'?") == true)
        let finalOnly = figureError(#"{"kind": "line", "y": "ece_id"}"#)
        #expect(finalOnly?.path == "report.figures[0].y" && finalOnly?.message.contains("not a probe recorded over training") == true)
        let column = figureError(#"{"kind": "line", "y": "id_loss", "filter": {"activaton": "relu"}}"#)
        #expect(column?.path == "report.figures[0].filter.activaton" && column?.message.contains("did you mean 'activation'?") == true)
        let empty = figureError(#"{"kind": "line", "y": "id_loss", "filter": {"activation": "gelu"}}"#)
        #expect(empty?.path == "report.figures[0].filter" && empty?.message.contains("selects no configuration") == true)
        #expect(empty?.message.contains("activation: linear, relu") == true)
        let template = figureError(#"{"kind": "points", "x": "set", "y": "ece"}"#)
        #expect(template?.path == "report.figures[0].y" && template?.message.contains("{set}") == true)
        let neuron = figureError(#"{"kind": "neurons", "y": "core"}"#)
        #expect(neuron?.path == "report.figures[0].y" && neuron?.message.contains("neurons.csv") == true)
        let estimators = figureError(#"{"kind": "estimators"}"#)
        #expect(estimators?.path == "report.figures[0].kind")
        let duplicate = figureError(#"{"kind": "line", "y": "id_loss"}, {"kind": "line", "y": "id_loss"}"#)
        #expect(duplicate?.path == "report.figures[1].name")
        #expect(figureError(#"{"kind": "points", "x": "activation", "y": "background_growth", "log_y": true}"#) == nil)
        #expect(figureError(#"{"kind": "points", "x": "set", "y": "ood_accuracy_{set}", "filter": {"activation": "relu"}}"#) == nil)
    }

    @Test("group_by names the series; it must leave one configuration per point")
    func groupBy() throws {
        func decode(_ figure: String) -> ScenarioError? {
            loadError(withFigures(figure, sweep: #"{"model.activation": ["relu", "linear"], "training.optimizer.lr": [0.1, 0.01]}"#))
        }
        #expect(decode(#"{"kind": "points", "x": "lr", "y": "background_growth", "group_by": "activation"}"#) == nil)
        let ambiguous = decode(#"{"kind": "line", "y": "id_loss", "group_by": "activation"}"#)
        #expect(ambiguous?.path == "report.figures[0].group_by" && ambiguous?.message.contains("they differ in lr") == true)
        #expect(decode(#"{"kind": "line", "y": "id_loss", "group_by": "activation", "filter": {"lr": "0.1"}}"#) == nil)
        let same = decode(#"{"kind": "points", "x": "lr", "y": "background_growth", "group_by": "lr"}"#)
        #expect(same?.path == "report.figures[0].group_by")
        let kind = decode(#"{"kind": "neurons", "group_by": "lr"}"#)
        #expect(kind?.path == "report.figures[0].group_by")
    }

    @Test("{set} templates read id_* metrics for the ID set")
    func templates() {
        #expect(FigureSpec.metric("ood_accuracy_{set}", set: "id") == "id_accuracy")
        #expect(FigureSpec.metric("ood_accuracy_{set}", set: "flip") == "ood_accuracy_flip")
        #expect(FigureSpec.metric("ece_{set}", set: "id") == "ece_id")
    }
}
