import Schema
import Dynamics

/// One axis of a sweep's grid: a dotted field path and the values it takes, or the scenario's
/// `variants` (named sets of field values that change together, e.g. two training regimes).
public struct SweepAxis: Sendable, Equatable {
    /// The field path, or "variant" for the variants axis.
    public var path: String
    /// Field values, or for variants `{"name": ..., "set": {path: value, ...}}` objects.
    public var values: [JSONValue]
    public var isVariants = false

    /// The (path, value) assignments a value of this axis makes.
    public func assignments(for value: JSONValue) -> [(path: String, value: JSONValue)] {
        guard isVariants else { return [(path, value)] }
        guard case let .object(members)? = value["set"] else { return [] }
        return members.map { ($0.key, $0.value) }
    }

    /// The value's text in run ids and CSV cells (a variant's name).
    public func text(for value: JSONValue) -> String {
        isVariants ? (value["name"]?.compactText ?? value.compactText) : value.compactText
    }
    /// The column name used in CSVs and run ids: the path's last component (e.g. `activation`), or the
    /// whole path when two axes would share it.
    public var column: String

    public init(path: String, values: [JSONValue], isVariants: Bool = false, column: String? = nil) {
        self.path = path
        self.values = values
        self.isVariants = isVariants
        self.column = column ?? path.split(separator: ".").last.map(String.init) ?? path
    }
}

/// One point of a sweep's grid: the values of the swept fields and the configuration they give.
public struct SweepCell: Sendable {
    /// (axis column, value as text), in axis order.
    public var assignments: [(column: String, value: String)]
    public var configuration: RunConfiguration

    /// "activation=relu" style label; "base" without a sweep.
    public var label: String {
        assignments.isEmpty ? "base" : assignments.map { "\($0.column)=\($0.value)" }.joined(separator: ",")
    }
}

/// A validated scenario: the base configuration, the sweep grid and the seeds.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// Seeds of the replicates; every sweep cell runs every seed (paired comparisons).
    public var seeds: [UInt64]
    public var base: RunConfiguration
    public var sweep: [SweepAxis]
    public var cells: [SweepCell]
    /// The `report` block as declared (nil: the default figures); Reports checks it against the
    /// scenario (`ReportSpec(for:)`).
    public var reportBlock: JSONValue?

    /// The scenario with every default written out, and `report` as given (nil: the block as declared).
    /// With the resolved report (`ReportSpec.encoded`), this is what `scenario.resolved.json` holds.
    public func resolved(report: JSONValue? = nil) -> JSONValue {
        ScenarioEncoder.document(
            name: name, description: description, seeds: seeds, configuration: base, sweep: sweep, report: report ?? reportBlock)
    }
}

/// One run of a plan.
public struct PlannedRun: Sendable {
    /// Stable identity: the cell's assignments and the seed, e.g. `activation=relu/seed=0`.
    public var id: String
    public var index: Int
    public var cellIndex: Int
    public var seed: UInt64
    public var configuration: RunConfiguration
}

extension Scenario {
    /// Every run: cells in grid order (first axis slowest), seeds within cells.
    public var runs: [PlannedRun] {
        var runs: [PlannedRun] = []
        for (cellIndex, cell) in cells.enumerated() {
            for seed in seeds {
                let prefix = cell.assignments.map { "\($0.column)=\($0.value)" }
                let id = (prefix + ["seed=\(seed)"]).joined(separator: "/")
                runs.append(
                    PlannedRun(
                        id: id, index: runs.count, cellIndex: cellIndex, seed: seed,
                        configuration: cell.configuration))
            }
        }
        return runs
    }

    /// The same scenario with seeds 0..<count (the `--seeds N` flag).
    public func withSeedCount(_ count: Int) -> Scenario {
        var copy = self
        copy.seeds = (0..<count).map(UInt64.init)
        return copy
    }
}
