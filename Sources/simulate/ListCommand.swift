import ArgumentParser
import Reports
import Scenarios

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the bundled scenarios in Scenarios/ with their descriptions.")

    func run() throws {
        let bundled = ScenarioLocator.bundled()
        if bundled.isEmpty {
            StandardError.write("no scenarios found in ./\(ScenarioLocator.folder)/ (run from the repository root)\n")
            throw ExitStatus.usage.code
        }
        for entry in bundled {
            let summary: String
            do {
                let scenario = try LoadedScenario.load(entry.path).scenario
                summary = "\(scenario.runs.count) runs — \(scenario.description)"
            } catch {
                summary = "INVALID: \(error)"
            }
            print("\(entry.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(summary)")
        }
    }
}
