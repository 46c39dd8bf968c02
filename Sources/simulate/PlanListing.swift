import ArgumentParser
import Foundation
import GSL
import Reports
import Schema
import Scenarios

/// A scenario's runs as `simulate plan` (and `run --dry-run`) list them: index, id, seed, cache key,
/// the swept parameters and whether the run is already cached.
struct PlanListing {
    let plan: LoadedScenario
    let scenarioFile: String
    let destination: String
    var fresh = false

    struct Row {
        var run: PlannedRun
        var key: String
        var cached: Bool
        var parameters: [(column: String, value: String)]
    }

    func rows() throws(ExitCode) -> [Row] {
        let folder = try ResultsFolderAccess.checked { () throws(StorageError) in
            try ResultsFolder.destination(destination, scenarioFile: scenarioFile)
        }
        let cache = RunCache.beside(resultsFolder: folder, warn: { StandardError.write($0 + "\n") })
        let blas = BLASInfo.active, cells = plan.scenario.cells
        return plan.scenario.runs.map { run in
            Row(
                run: run, key: RunCache.identity(run, blas: blas).key, cached: !fresh && cache.load(run, blas: blas) != nil,
                parameters: cells[run.cellIndex].assignments)
        }
    }

    func printTable() throws(ExitCode) {
        let rows = try rows()
        print("index\trun\tseed\tkey\tstatus")
        for row in rows { print("\(row.run.index)\t\(row.run.id)\t\(row.run.seed)\t\(row.key)\t\(row.cached ? "cached" : "to run")") }
        StandardError.write(
            "\(rows.count) runs (\(plan.scenario.cells.count) configurations × \(plan.scenario.seeds.count) seeds), "
                + "\(rows.filter(\.cached).count) cached → \(destination)/\n")
    }

    func printJSON() throws(ExitCode) {
        let rows = try rows()
        let entries: [JSONValue] = rows.map { row in
            .object([
                ("index", .number(Double(row.run.index))), ("id", .string(row.run.id)),
                ("seed", .number(Double(row.run.seed), literal: String(row.run.seed))),
                ("key", .string(row.key)), ("cached", .bool(row.cached)),
                ("parameters", .object(row.parameters.map { ($0.column, .string($0.value)) })),
            ])
        }
        print(JSONValue.object([("scenario", .string(plan.scenario.name)), ("out", .string(destination)), ("runs", .array(entries))]).serialized())
    }
}
