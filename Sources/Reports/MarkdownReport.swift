import Dynamics
import Foundation
import Scenarios
import Studies

/// `report.md`: what ran, the headline findings in sentences, tables of final metrics with 95% CIs,
/// the trajectories, and provenance.
public struct MarkdownReport {
    public let scenario: Scenario
    public let outcomes: [RunOutcome]
    public let provenance: Provenance
    /// The figures (under `figures/`) and LaTeX tables (under `tables/`) beside the report.
    public let figures: [FigureSpec]
    public let tables: [String]
    public let scenarioHash: String

    public init(
        scenario: Scenario, outcomes: [RunOutcome], provenance: Provenance, figures: [FigureSpec] = [],
        tables: [String] = [], scenarioHash: String = ""
    ) {
        self.scenario = scenario
        self.outcomes = outcomes
        self.provenance = provenance
        self.figures = figures
        self.tables = tables
        self.scenarioHash = scenarioHash
    }

    var figuresSection: String {
        guard !figures.isEmpty else { return "" }
        var out =
            "## Figures\n\nMeans over seeds with 95% t-intervals (bands or error bars); drawn from the CSVs beside this "
            + "report, redrawn by `simulate report <folder>` after editing the `report` block of `scenario.resolved.json`.\n\n"
        for figure in figures { out += "![\(figure.title)](figures/\(figure.name).svg)\n\n" }
        return out
    }

    public var text: String {
        let cells = CellSummary.summarize(scenario, outcomes)
        let findings = ContaminationFindings(cells: cells, base: scenario.base)
        let comparison = ControlComparison(cells: cells, shifts: scenario.base.data.shifts.map(\.name))
        let isSweep = comparison.groups.count > 1 || (comparison.groups.first?.rows.count ?? 0) > 1
        let health = RunHealthText(outcomes: outcomes)
        var out = "# \(scenario.name)\n\n" + health.partialBanner
        if !scenario.description.isEmpty {
            out += "> " + scenario.description + "\n>\n> — the scenario's description, as its author wrote it; what ran follows.\n\n"
        }
        out += WhatRan(scenario: scenario, outcomes: outcomes).text + "\n"
        out += "## Headline findings\n\n"
        if scenario.base.transfer != nil {
            out += TransferFindings(cells: cells).markdown
            out += health.markdown
            out += figuresSection
            out += runsTable
            out += files
            return out
        }
        let prior = scenario.base.priorStudy.map { PriorEstimationTables(cells: cells, study: $0, data: scenario.base.data) }
        if let prior, prior.isAvailable {
            out += prior.sentences.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        if isSweep {
            out +=
                "Each non-linear activation against the linear control trained identically (same data, initialisation and "
                + "seeds). Mean ± half-width of the 95% t-interval over seeds; the accuracy drop is (ID − OOD accuracy) minus the "
                + "control's, paired by seed; slope asymmetry is the class gap of the mean slope σ'(h) per neuron (0 for linear). "
                + VerdictText.rule + "\n\n"
            out += comparison.markdown
        } else {
            out += findings.sentences.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            out += VerdictText.rule + " "
        }
        let losses = Set(scenario.cells.map(\.configuration.training.loss.rawValue)).sorted().joined(separator: " or ")
        out += "Risk (OOD loss) is the mean of the run's training loss function (\(losses)) over a held-out set.\n\n"
        out += health.markdown
        out += figuresSection
        let calibration = CalibrationTables(
            cells: cells, shifts: scenario.base.data.shifts, describeShift: findings.shiftText,
            classes: scenario.base.data.isMulticlass ? scenario.base.data.classes : 2)
        if calibration.isAvailable && scenario.base.data.shifts.count > 1 { out += calibration.markdown }
        if let prior, prior.isAvailable { out += prior.markdown }
        out += cells.count > 3 ? compactTable(cells) : finalTable(cells)
        if cells.count <= 3 { out += trajectoryTable(cells) }
        out += runsTable
        out += files
        return out
    }

    func finalTable(_ cells: [CellSummary]) -> String {
        guard let names = cells.first(where: { !$0.finals.isEmpty })?.finals.first?.keys else { return "" }
        let ordered = Metric.names(for: scenario.base).filter { names.contains($0) }
        var out =
            "## Final metrics\n\nMean ± half-width of the 95% t-interval over seeds (n per column: "
            + cells.map { "\($0.label) \($0.finals.count)" }.joined(separator: ", ") + "). Source: `summary.csv`.\n\n"
        out += "| metric | " + cells.map(\.label).joined(separator: " | ") + " |\n"
        out += "|---|" + cells.map { _ in "---:|" }.joined() + "\n"
        for name in ordered {
            out += "| `\(name)` | " + cells.map { $0.finals.isEmpty ? "–" : $0.estimate(name).text() }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    /// Cells as rows, the key metrics as columns (every metric is in `aggregate.csv`).
    func compactTable(_ cells: [CellSummary]) -> String {
        let shifts = scenario.base.data.shifts.map(\.name)
        let metrics =
            [Metric.trainLoss, Metric.idAccuracy] + shifts.flatMap { [Metric.oodLoss($0), Metric.oodAccuracy($0)] }
            + [Metric.backgroundGrowth, Metric.backgroundProjectionSigned, Metric.coreGrowth, Metric.asymmetricFraction, Metric.deadFraction]
        var out =
            "## Final metrics\n\nMean ± half-width of the 95% t-interval over seeds. Every metric with its standard deviation "
            + "and interval is in `aggregate.csv`; every run in `summary.csv`.\n\n"
        out += "| configuration | n | " + metrics.map { "`\($0)`" }.joined(separator: " | ") + " |\n"
        out += "|---|---:|" + metrics.map { _ in "---:|" }.joined() + "\n"
        for cell in cells {
            out +=
                "| \(cell.label) | \(cell.finals.count) | "
                + metrics.map { cell.finals.isEmpty ? "–" : cell.estimate($0).text() }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    func trajectoryTable(_ cells: [CellSummary]) -> String {
        guard let steps = cells.first(where: { !$0.steps.isEmpty })?.steps, steps.count > 1 else { return "" }
        let picks = Array(Set((0...6).map { steps[min(steps.count - 1, $0 * (steps.count - 1) / 6)] })).sorted()
        let shift = scenario.base.data.shifts.first.map { Metric.oodLoss($0.name) }
        let metrics =
            [Metric.backgroundProjection, Metric.backgroundProjectionSigned, Metric.asymmetricFraction, Metric.idLoss] + (shift.map { [$0] } ?? [])
        var out = "## Over training\n\nMean over seeds at selected steps (every probe is in `metrics.csv`).\n\n"
        out += "| step | " + cells.flatMap { cell in metrics.map { "\(cell.label): `\($0)`" } }.joined(separator: " | ") + " |\n"
        out += "|---:|" + cells.flatMap { _ in metrics.map { _ in "---:|" } }.joined() + "\n"
        for step in picks {
            out +=
                "| \(step) | "
                + cells.flatMap { cell in
                    metrics.map { name in
                        guard let p = cell.steps.firstIndex(of: step), let series = cell.meanSeries[name] else { return "–" }
                        return formatSignificant(series[p], 3)
                    }
                }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    var runsTable: String {
        var out = "## Runs\n\n| run | status | wall time (s) |\n|---|---|---:|\n"
        for outcome in outcomes {
            out += "| `\(outcome.run.id)` | \(outcome.statusLabel) | \(String(format: "%.1f", outcome.wallSeconds)) |\n"
        }
        return out + "\n"
    }

    var files: String {
        """
        ## Files and provenance

        `summary.csv` (one row per run, final metrics), `metrics.csv` (every probe, long format), `neurons.csv` \
        (per-neuron final projections and class activation rates), `scenario.resolved.json` (every default explicit), \
        `manifest.json` (provenance), `aggregate.csv` (one row per configuration: mean, sd and 95% interval of every metric)\
        \(tables.isEmpty ? "" : ", " + tables.map { "`tables/\($0).tex`" }.joined(separator: ", ") + " (booktabs LaTeX)")\
        \(figures.isEmpty ? "" : ", `figures/*.svg`"). \
        \(outcomes.filter(\.reused).count) of \(outcomes.count) runs were reused from the run cache. Reproduce with `\(provenance.commandLine)`.

        *Provenance:* simulate \(provenance.toolVersion), commit \(provenance.gitCommit.prefix(12))\(provenance.gitDirty ? " (dirty)" : ""), \
        Swift \(provenance.swiftVersion), GSL \(provenance.gslVersion), BLAS \(provenance.blas) (\(provenance.blasThreads) thread per run, \
        \(provenance.jobs) parallel runs)\(provenance.vectorMath.map { ", vector math \($0)" } ?? ""), \(provenance.cpuModel) × \(provenance.cpuCount) on \(provenance.host); \
        started \(provenance.started), wall time \(String(format: "%.1f", provenance.wallSeconds)) s; \
        resolved scenario FNV-1a \(scenarioHash).

        """
    }
}
