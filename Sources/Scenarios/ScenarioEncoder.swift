import Dynamics
import Schema

/// Writes a scenario with every default explicit: the `scenario.resolved.json` beside the results.
/// The configuration is encoded by its schema, so decoding the output gives the same configuration back.
public enum ScenarioEncoder {
    public static func document(
        name: String, description: String, seeds: [UInt64],
        configuration c: RunConfiguration, sweep: [SweepAxis], report: JSONValue? = nil
    ) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(name)),
            ("description", .string(description)),
            ("seeds", .array(seeds.map { .integer(Int($0)) })),
        ]
        if case let .object(sections) = RunConfiguration.codec.encode(c) { members += sections }
        if let report { members.append(("report", report)) }
        if let variants = sweep.first(where: \.isVariants) {
            members.append(("variants", .array(variants.values)))
        }
        let fields = sweep.filter { !$0.isVariants }
        if !fields.isEmpty {
            members.append(("sweep", .object(fields.map { ($0.path, .array($0.values)) })))
        }
        return .object(members)
    }
}
