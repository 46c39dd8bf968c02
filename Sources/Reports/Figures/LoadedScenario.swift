import Scenarios
import Schema

/// A scenario file read and checked whole: the scenario and the figures of its report, checked against
/// it. What `simulate` runs, validates and renders; nothing runs before both are valid.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    public var report: ReportSpec

    /// The scenario with every default written out, the report's figures included: what
    /// `scenario.resolved.json` holds and `simulate validate` prints.
    public var resolved: JSONValue { scenario.resolved(report: report.encoded) }

    /// The same scenario with seeds 0..<count (the `--seeds N` flag); the figures do not depend on seeds.
    public func withSeedCount(_ count: Int) -> LoadedScenario {
        LoadedScenario(scenario: scenario.withSeedCount(count), report: report)
    }

    /// Reads a scenario file, with command-line overrides (`path=value`) applied, and refuses one
    /// whose runs would not fit in this machine's memory (`Scenario.checkMemory`).
    public static func load(_ path: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        let loaded = try checked(ScenarioLocator.load(path, overrides: overrides), file: path)
        do {
            try loaded.scenario.checkMemory()
        } catch {
            throw error.inFile(path)
        }
        return loaded
    }

    /// Scenario text; `file` is used in messages.
    public static func decode(_ text: String, file: String, overrides: [String] = []) throws(ScenarioError) -> LoadedScenario {
        try checked(ScenarioDecoder.decode(text, file: file, overrides: overrides), file: file)
    }

    /// A decoded scenario with its report checked against it.
    public init(checking scenario: Scenario) throws(ScenarioError) {
        self.init(scenario: scenario, report: try ReportSpec(for: scenario))
    }

    init(scenario: Scenario, report: ReportSpec) {
        self.scenario = scenario
        self.report = report
    }

    static func checked(_ scenario: Scenario, file: String) throws(ScenarioError) -> LoadedScenario {
        do {
            return try LoadedScenario(checking: scenario)
        } catch {
            throw error.inFile(file)
        }
    }
}
