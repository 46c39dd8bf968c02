import Schema
import ArgumentParser
import Foundation
import Reports
import Scenarios

@main
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Train two-layer networks on synthetic core + background data and report what they learn.",
        discussion: """
            Examples:
              simulate Scenarios/relu2.json          run a scenario; results in results/relu2/
              simulate relu2 --seeds 5 --out /tmp/r  bare names are looked up in Scenarios/
              simulate relu2 --set training.steps=2000 --set model.activation=gelu --out /tmp/g
                                                     change any field for one run (values are JSON)
              simulate plan activations              the runs a sweep would execute, and which are cached
              simulate activations --shard 0/4       one of four shards (run all four, anywhere), then
              simulate merge results/activations     writes the results once every run is in
              simulate slurm activations --submit    the same as a Slurm job array and a merge job
              simulate list                          the bundled scenarios
              simulate validate my-scenario.json     check a file without running it
              simulate clean                         remove what interrupted runs left in results/
              simulate schema --reference            every scenario field: type, default, meaning

            Exit codes (sysexits):
            \(ExitStatus.table)
            """,
        subcommands: [
            RunCommand.self, PlanCommand.self, MergeCommand.self, StatusCommand.self, SlurmCommand.self, ReportCommand.self, NotebookCommand.self,
            ListCommand.self, ValidateCommand.self,
            CleanCommand.self, SchemaCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

/// Locates and validates a scenario and its report; on failure prints the error and exits with its
/// sysexits code.
func loadScenario(_ argument: String, overrides: [String] = []) throws(ExitCode) -> (path: String, scenario: LoadedScenario) {
    let outcome = Result { () throws(ScenarioError) -> (String, LoadedScenario) in
        let path = try ScenarioLocator.locate(argument)
        return (path, try LoadedScenario.load(path, overrides: overrides))
    }
    switch outcome {
    case let .success(loaded):
        return loaded
    case let .failure(error):
        StandardError.write("error: \(error)\n")
        throw ExitCode(error.exitCode)
    }
}

enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
