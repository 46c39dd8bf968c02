import ArgumentParser
import Foundation
import Reports
import Scenarios

/// The options that say which runs a scenario plans, shared by `run`, `plan` and `slurm` (one
/// declaration each: parsing, help and validation).
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "A scenario file (Scenarios/relu2.json), or a bundled scenario's name (relu2).")
    var scenario: String

    @Option(help: "Results folder (default: results/<scenario name>). Replaced as a whole when the run ends, if every file in it is simulate's own.")
    var out: String?

    @Option(parsing: .unconditional, help: "Run seeds 0..<N instead of the scenario's seeds (N in 1…10000).")
    var seeds: Int?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a field: PATH=VALUE (VALUE is JSON, or a bare string). Repeatable.", valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        if let seeds, seeds < 1 || seeds > 10_000 { throw ValidationError("--seeds must be in 1…10000, got \(seeds)") }
    }

    /// The scenario's file, its plan (with `--seeds` and `--set` applied) and the results folder as given.
    func load() throws(ExitCode) -> (path: String, plan: LoadedScenario, destination: String) {
        let (path, loaded) = try loadScenario(scenario, overrides: overrides)
        let plan = seeds.map { loaded.withSeedCount($0) } ?? loaded
        return (path, plan, out ?? "results/\(plan.scenario.name)")
    }
}
