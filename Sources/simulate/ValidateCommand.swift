import ArgumentParser
import Reports

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file and print the resolved scenario (every default explicit); runs nothing.")

    @Argument(help: "A scenario file, or a bundled scenario's name.")
    var scenario: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a field: PATH=VALUE (VALUE is JSON, or a bare string). Repeatable.", valueName: "path=value"))
    var overrides: [String] = []

    @Flag(help: "Print nothing on success (only the exit code tells).")
    var quiet = false

    func run() throws {
        let (path, loaded) = try loadScenario(scenario, overrides: overrides)
        if !quiet {
            print(loaded.resolved.serialized())
            let scenario = loaded.scenario
            StandardError.write(
                "\(path): valid; \(scenario.runs.count) runs (\(scenario.cells.count) configurations × \(scenario.seeds.count) seeds)\n")
        }
    }
}
