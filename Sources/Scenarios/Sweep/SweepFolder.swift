import Foundation

/// Where a sharded sweep keeps its state: `<cache>/sweeps/<results folder name>/`, inside the run
/// cache that the results folder shares (tagged, ours), never inside the results folder itself —
/// which `merge` replaces as a whole. It holds `plan.json`, one `shard-i-of-n.json` per shard process,
/// and the Slurm scripts and logs of `simulate slurm`.
public struct SweepFolder: Sendable {
    public let path: String
    public let cache: RunCache

    /// The sweep folder of the results folder `resultsFolder` (an absolute path, as
    /// `ResultsFolder.destination` gives).
    public init(resultsFolder: String, cache: RunCache) {
        self.cache = cache
        path = "\(cache.directory)/sweeps/\(URL(fileURLWithPath: resultsFolder).lastPathComponent)"
    }

    public var planPath: String { "\(path)/plan.json" }

    /// Creates the folder (and the cache it lives in) if needed.
    public func create() throws(StorageError) {
        guard cache.isOurs(creating: true) else {
            throw StorageError(.notOurs, "cannot keep a sweep's state in \(cache.directory): it is not simulate's run cache")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.cannotWrite, "cannot create \(path): \(error.localizedDescription)")
        }
        _ = ResultsFolder.removeDeadTemporaries(in: path)
    }

    /// Writes the plan (atomically) unless the same runs are planned already (the first writer's
    /// command then stays). A different plan for the same results folder replaces the old one and
    /// its shard logs; the returned text says so (a new sweep into the same folder), nil otherwise.
    public func write(_ plan: SweepPlan) throws(StorageError) -> String? {
        try create()
        let previous = readPlan()
        if let previous, previous.runs == plan.runs, previous.resolved == plan.resolved, previous.blas == plan.blas { return nil }
        do {
            try ResultsFolder.writeAtomically(try plan.encoded(), to: planPath)
        } catch {
            throw StorageError(.cannotWrite, "cannot write \(planPath): \(error)")
        }
        guard previous != nil else { return nil }
        for log in shardLogNames() { try? FileManager.default.removeItem(atPath: "\(path)/\(log)") }
        return "note: \(planPath) held the plan of another sweep into the same results folder; replaced (its finished runs stay in the cache)"
    }

    /// The stored plan, or nil if there is none or it is not one of ours.
    public func readPlan() -> SweepPlan? {
        FileManager.default.contents(atPath: planPath).flatMap(SweepPlan.decoded)
    }

    /// Reads the plan, or says why it cannot be used.
    public func plan(for resultsFolder: String) throws(StorageError) -> SweepPlan {
        guard FileManager.default.fileExists(atPath: planPath) else {
            throw StorageError(
                .missing,
                "\(resultsFolder) has no sharded sweep (no \(planPath)); start one with `simulate run SCENARIO --shard i/n --out \(resultsFolder)` or `simulate slurm SCENARIO --out \(resultsFolder)`"
            )
        }
        guard let plan = readPlan() else {
            throw StorageError(.corrupt, "\(planPath) is not a simulate sweep plan (corrupt or from another version)")
        }
        return plan
    }

    func shardLogNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted()
    }

    /// Every shard process's log (of the current plan's shard count or an earlier one).
    public func shardLogs() -> [ShardLog] {
        shardLogNames().compactMap { FileManager.default.contents(atPath: "\(path)/\($0)").flatMap(ShardLog.decoded) }
    }

    /// Writes a shard's log (atomically); a log that cannot be written costs only `status` detail.
    public func write(_ log: ShardLog) {
        let shard = Shard(number: log.shard, count: log.of)
        guard let text = try? log.encoded() else { return }
        try? ResultsFolder.writeAtomically(text, to: "\(path)/\(shard.logName)")
    }
}
