import Dynamics
import Scenarios

/// The tidy CSV outputs of a scenario's runs: `metrics.csv` (long), `summary.csv` (one row per run)
/// and `neurons.csv` (per-neuron finals). Their bytes depend only on the scenario and seeds.
public struct ResultTables {
    public let scenario: Scenario
    public let outcomes: [RunOutcome]

    public init(scenario: Scenario, outcomes: [RunOutcome]) {
        self.scenario = scenario
        self.outcomes = outcomes
    }

    /// Identity columns of every table: run id, seed, activation, optimizer (with its non-default
    /// settings, so no two configurations share a row identity), then the other swept fields.
    var identityHeader: [String] {
        ["run_id", "seed", "activation", "optimizer"] + sweepColumns
    }

    var sweepColumns: [String] {
        scenario.sweep.map(\.column).filter { !["activation", "optimizer", "seed", "run_id"].contains($0) }
    }

    func identity(_ run: PlannedRun) -> [String] {
        let cell = scenario.cells[run.cellIndex]
        let swept = sweepColumns.map { column in cell.assignments.first(where: { $0.column == column })?.value ?? "" }
        return [
            run.id, String(run.seed), run.configuration.model.activation.label,
            run.configuration.training.optimizer.settingsLabel,
        ] + swept
    }

    /// Metric names of the scenario (all runs share the shifts' names... unless a sweep changes them).
    public var metricNames: [String] {
        var names: [String] = []
        for outcome in outcomes {
            if case let .success(result) = outcome.result {
                for name in result.metricNames + result.finalExtras.map(\.name) where !names.contains(name) { names.append(name) }
            }
        }
        return names
    }

    public var metricsCSV: String {
        var table = CSVTable(header: identityHeader + ["step", "metric", "value"])
        for outcome in outcomes {
            guard case let .success(result) = outcome.result else { continue }
            let id = identity(outcome.run)
            for (step, row) in zip(result.steps, result.values) {
                for (name, value) in zip(result.metricNames, row) {
                    table.append(id + [String(step), name, CSVTable.number(value)])
                }
            }
            // Final-only analyses (calibration) at the last step.
            let last = String(result.steps.last ?? 0)
            for extra in result.finalExtras { table.append(id + [last, extra.name, CSVTable.number(extra.value)]) }
        }
        return table.text
    }

    public var summaryCSV: String {
        let names = metricNames
        var table = CSVTable(header: identityHeader + ["status", "representation", "final_step"] + names)
        for outcome in outcomes {
            let id = identity(outcome.run)
            switch outcome.result {
            case let .success(result):
                let final = result.final
                table.append(
                    id + [result.status.label, result.representation.rawValue, String(result.steps.last ?? 0)]
                        + names.map { final[$0].map(CSVTable.number) ?? "" })
            case .failure:
                table.append(id + [outcome.statusLabel, "", ""] + names.map { _ in "" })
            }
        }
        return table.text
    }

    /// One row per sweep cell: its parameters, the number of completed runs, and for every metric the
    /// mean, sample standard deviation and 95% t-interval over seeds.
    public var aggregateCSV: String {
        let names = metricNames
        let cellHeader = ["activation", "optimizer"] + sweepColumns
        var table = CSVTable(
            header: cellHeader + ["runs", "completed"]
                + names.flatMap { ["\($0)_mean", "\($0)_sd", "\($0)_ci95_low", "\($0)_ci95_high"] })
        for summary in CellSummary.summarize(scenario, outcomes) {
            guard let run = outcomes.first(where: { $0.run.cellIndex == summary.cellIndex })?.run else { continue }
            let identity = Array(identity(run).dropFirst(2))
            var row = identity + [String(summary.finals.count + summary.failedRuns), String(summary.finals.count)]
            for name in names {
                let estimate = summary.estimate(name)
                guard !estimate.values.isEmpty else {
                    row += ["", "", "", ""]
                    continue
                }
                let interval = estimate.halfWidth == nil ? ["", ""] : [CSVTable.number(estimate.lower), CSVTable.number(estimate.upper)]
                row += [CSVTable.number(estimate.mean), CSVTable.number(estimate.standardDeviation)] + interval
            }
            table.append(row)
        }
        return table.text
    }

    /// One row per neuron and run; the columns are the union of the runs' neuron columns (binary and
    /// multi-class runs describe neurons differently), blank where a run has no such column.
    public var neuronsCSV: String {
        let results = outcomes.compactMap { outcome -> (PlannedRun, RunResult)? in
            guard case let .success(result) = outcome.result else { return nil }
            return (outcome.run, result)
        }
        var columns: [String] = []
        for (_, result) in results {
            for column in result.neurons.columns where !columns.contains(column) { columns.append(column) }
        }
        var table = CSVTable(header: identityHeader + ["neuron"] + columns)
        for (run, result) in results {
            let id = identity(run)
            let positions = columns.map { result.neurons.columns.firstIndex(of: $0) }
            for (r, row) in result.neurons.rows.enumerated() {
                table.append(id + [String(r)] + positions.map { $0.map { CSVTable.number(row[$0]) } ?? "" })
            }
        }
        return table.text
    }

    /// One row per run, evaluation set and non-empty reliability bin (15 equal-width top-label bins).
    public var reliabilityCSV: String {
        var table = CSVTable(header: identityHeader + ["set", "bin", "count", "mean_confidence", "accuracy"])
        for outcome in outcomes {
            guard case let .success(result) = outcome.result else { continue }
            let id = identity(outcome.run)
            for row in result.reliability {
                table.append(id + [row.set, String(row.bin), String(row.count), CSVTable.number(row.confidence), CSVTable.number(row.accuracy)])
            }
        }
        return table.text
    }
}
