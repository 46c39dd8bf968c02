import Foundation

/// Where each planned run of a sharded sweep stands: finished (in the cache, so verified by its
/// checksum), failed (a shard reported an error and there is no entry), pending in a shard that is
/// still running, or missing (never run, or its shard was killed or cancelled).
public struct SweepStatus: Sendable {
    public enum State: Sendable, Equatable {
        case completed
        case diverged(step: Int)
        case failed(String)
        case running(shard: Int)
        case missing

        /// Why a run in this state has no result yet (what `describe` and a partial merge say).
        public var missingReason: String {
            switch self {
            case let .failed(error): "failed: \(error)"
            case let .running(shard): "pending in shard \(shard) (running)"
            case .missing: "not run, or its shard stopped before it"
            case .completed, .diverged: "it left the run cache while merging"
            }
        }
    }

    public var plan: SweepPlan
    /// One state per planned run, in plan order.
    public var states: [State]
    /// The shard count of the most recent shard processes (to name the shards to run again).
    public var shardCount: Int?

    /// Looks each run up in the cache and the shard logs. `runs` are the plan's runs (decoded from it).
    /// With `verify`, each entry is read and checked (a corrupt one counts as missing); without, an
    /// entry's presence is enough (a quick look: completed and diverged are then not told apart).
    public init(plan: SweepPlan, runs: [PlannedRun], folder: SweepFolder, verify: Bool = true) {
        let blas = plan.blas
        self.plan = plan
        let logs = folder.shardLogs()
        let failures = Dictionary(logs.flatMap { $0.failed.map { ($0.index, $0.error) } }, uniquingKeysWith: { a, _ in a })
        let live = logs.filter { $0.state == .running && $0.writer.mayBeAlive }
        shardCount = logs.max(by: { $0.updated < $1.updated })?.of
        states = runs.map { run in
            if !verify, folder.cache.contains(run, blas: blas) { return .completed }
            if verify, let (result, _) = folder.cache.load(run, blas: blas) {
                if case let .diverged(step, _) = result.status { return .diverged(step: step) }
                return .completed
            }
            if let error = failures[run.index] { return .failed(error) }
            if let shard = live.first(where: { Shard(number: $0.shard, count: $0.of).owns(run.index) }) { return .running(shard: shard.shard) }
            return .missing
        }
    }

    public var finished: Int { states.filter { if case .completed = $0 { true } else if case .diverged = $0 { true } else { false } }.count }
    public var diverged: [Int] { states.indices.filter { if case .diverged = states[$0] { true } else { false } } }
    public var failed: [Int] { states.indices.filter { if case .failed = states[$0] { true } else { false } } }
    public var running: [Int] { states.indices.filter { if case .running = states[$0] { true } else { false } } }
    public var missing: [Int] { states.indices.filter { states[$0] == .missing } }
    public var isComplete: Bool { finished == states.count }

    /// The shards (of `count`) that own a run not yet finished: what to run or submit again.
    public func unfinishedShards(of count: Int) -> [Int] {
        Array(Set((failed + missing + running).map { $0 % count })).sorted()
    }

    /// "12 of 16 runs finished (1 diverged); 1 failed, 3 missing."
    public var summary: String {
        var text = "\(finished) of \(states.count) runs finished"
        if !diverged.isEmpty { text += " (\(diverged.count) diverged)" }
        let open = [(failed.count, "failed"), (running.count, "pending in running shards"), (missing.count, "missing")].filter { $0.0 > 0 }
        return text + (open.isEmpty ? "." : "; " + open.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ".")
    }

    /// Up to `limit` run ids of `indices`, one per line, with why.
    public func describe(_ indices: [Int], limit: Int = 20) -> String {
        var lines = indices.prefix(limit).map { index -> String in
            let state = states[index]
            return "  \(index)\t\(plan.runs[index].id)\t" + (state == .missing ? "missing" : state.missingReason)
        }
        if indices.count > limit { lines.append("  … and \(indices.count - limit) more") }
        return lines.joined(separator: "\n")
    }
}
