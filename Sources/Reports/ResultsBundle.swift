import Dynamics
import Scenarios

/// Every file of a results folder, from the scenario, the run outcomes and the provenance. The data
/// files (CSVs, resolved scenario, manifest) record what ran; the rendered files (report, figures,
/// tables) are derived from them alone, so `simulate report` can redraw them without running anything.
public struct ResultsBundle {
    public let scenario: Scenario
    /// The figures the report draws.
    public let report: ReportSpec
    public let outcomes: [RunOutcome]
    public let provenance: Provenance
    /// The text of `scenario.resolved.json` (as read back when re-rendering; its hash is in the footer).
    public let resolvedText: String

    /// Wall times are kept to the millisecond, as the manifest stores them, so that a re-render from
    /// the manifest gives the same bytes.
    public init(scenario: Scenario, report: ReportSpec, outcomes: [RunOutcome], provenance: Provenance, resolvedText: String? = nil) {
        self.scenario = scenario
        self.report = report
        self.resolvedText = resolvedText ?? scenario.resolved(report: report.encoded).serialized() + "\n"
        self.outcomes = outcomes.map { outcome in
            var rounded = outcome
            rounded.wallSeconds = Provenance.milliseconds(outcome.wallSeconds)
            return rounded
        }
        self.provenance = provenance
    }

    /// The names of `dataFiles`, which `simulate report` checks and keeps as they are.
    public static let dataFileNames = [
        "summary.csv", "aggregate.csv", "metrics.csv", "neurons.csv", "reliability.csv",
        "scenario.resolved.json",
    ]

    /// The files recording what ran (`dataFileNames`); the manifest is added by `withManifest`.
    public var dataFiles: [(path: String, contents: String)] {
        let tables = ResultTables(scenario: scenario, outcomes: outcomes)
        return [
            ("summary.csv", tables.summaryCSV),
            ("aggregate.csv", tables.aggregateCSV),
            ("metrics.csv", tables.metricsCSV),
            ("neurons.csv", tables.neuronsCSV),
            ("reliability.csv", tables.reliabilityCSV),
            ("scenario.resolved.json", resolvedText),
        ]
    }

    /// `files` and `manifest.json`, which lists every one of them with its size and SHA-256.
    public func withManifest(_ files: [(path: String, contents: String)]) -> [(path: String, contents: String)] {
        files + [
            (
                ResultsFolder.manifestName,
                provenance.manifest(
                    scenario: scenario, outcomes: outcomes, resolvedText: resolvedText,
                    files: FileInventory(files: files))
            )
        ]
    }

    /// `report.md`, `figures/*.svg` and `tables/*.tex`.
    public var renderedFiles: [(path: String, contents: String)] {
        let cells = CellSummary.summarize(scenario, outcomes)
        let figures = FigureRenderer(scenario: scenario, report: report, cells: cells).figures
        let tables = LaTeXTables(scenario: scenario, cells: cells).tables
        let markdown = MarkdownReport(
            scenario: scenario, outcomes: outcomes, provenance: provenance,
            figures: figures.map(\.spec), tables: tables.map(\.name),
            scenarioHash: Provenance.scenarioHash(resolvedText))
        return [("report.md", markdown.text)]
            + figures.map { ("figures/\($0.spec.name).svg", $0.svg) }
            + tables.map { ("tables/\($0.name).tex", $0.table.text) }
    }
}
