import Foundation

/// What a sharded sweep is: the resolved scenario and its ordered runs with their cache keys. Every
/// shard writes the same plan (atomically, the same bytes), and `simulate merge` and `status` read it
/// back, so they need neither the scenario file nor the flags the shards ran with.
public struct SweepPlan: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var index: Int
        public var id: String
        public var key: String
        public var seed: UInt64
    }

    public var format = 1
    /// The scenario file the plan came from (for messages).
    public var scenarioFile: String
    /// The unsharded command that gives the same results (what the merged report says to reproduce with).
    public var command: String
    /// The BLAS the keys were computed for (part of every key; `merge` looks runs up with it).
    public var blas: String
    /// The resolved scenario, as `scenario.resolved.json` holds it.
    public var resolved: String
    public var runs: [Entry]

    public init(scenarioFile: String, command: String, resolved: String, runs: [PlannedRun], blas: String) {
        self.scenarioFile = scenarioFile
        self.command = command
        self.resolved = resolved
        self.blas = blas
        self.runs = runs.map { Entry(index: $0.index, id: $0.id, key: RunCache.identity($0, blas: blas).key, seed: $0.seed) }
    }

    /// Whether `runs` are this plan's runs, key for key.
    public func matches(_ runs: [PlannedRun], blas: String) -> Bool {
        runs.count == self.runs.count && zip(runs, self.runs).allSatisfy { RunCache.identity($0, blas: blas).key == $1.key }
    }

    func encoded() throws -> String { try SweepStateJSON.encoded(self) }

    static func decoded(_ data: Data) -> SweepPlan? {
        guard let plan = SweepStateJSON.decoded(SweepPlan.self, from: data), plan.format == 1,
            plan.runs.enumerated().allSatisfy({ $0.offset == $0.element.index })
        else { return nil }
        return plan
    }
}
