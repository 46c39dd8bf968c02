/// The part of a plan one process runs: the runs whose index ≡ `number` (mod `count`). Round-robin
/// spreads slow and fast regions of a grid evenly, and membership depends only on the plan, so any
/// shard can be re-run (or re-submitted) on its own.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var number: Int
    public var count: Int

    public init(number: Int, count: Int) {
        self.number = number
        self.count = count
    }

    /// Whether this shard runs the plan's run `index`.
    public func owns(_ index: Int) -> Bool { index % count == number }

    public var description: String { "\(number)/\(count)" }

    /// The shard's file name in a sweep folder: zero-padded so that `ls` sorts them.
    var logName: String {
        let width = String(count).count
        func padded(_ n: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "shard-\(padded(number))-of-\(padded(count)).json"
    }

    /// Parses `i/n` (0 ≤ i < n), or `slurm`: the shard of this Slurm array task, from
    /// `SIMULATE_SHARD_OFFSET` + `SLURM_ARRAY_TASK_ID` of `SIMULATE_SHARD_COUNT` (what the job script
    /// `simulate slurm` writes exports).
    public static func parse(_ text: String, environment: [String: String]) -> Result<Shard, ShardError> {
        if text == "slurm" {
            guard let task = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) else {
                return .failure(ShardError("--shard slurm needs SLURM_ARRAY_TASK_ID (it is set inside a Slurm array task)"))
            }
            let offset = environment["SIMULATE_SHARD_OFFSET"].flatMap { Int($0) } ?? 0
            guard let count = environment["SIMULATE_SHARD_COUNT"].flatMap({ Int($0) }) else {
                return .failure(ShardError("--shard slurm needs SIMULATE_SHARD_COUNT (the job script of `simulate slurm` sets it)"))
            }
            return checked(number: offset + task, count: count, text: "slurm (task \(task) + offset \(offset) of \(count))")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]) else {
            return .failure(ShardError("--shard must be i/n (e.g. 0/4) or slurm, got '\(text.prefix(40))'"))
        }
        return checked(number: number, count: count, text: text)
    }

    private static func checked(number: Int, count: Int, text: String) -> Result<Shard, ShardError> {
        guard count >= 1, count <= 1_000_000 else {
            return .failure(ShardError("--shard \(text): the shard count must be in 1…1000000"))
        }
        guard number >= 0, number < count else {
            return .failure(ShardError("--shard \(text): the shard number must be in 0…\(count - 1) (shards are numbered from 0)"))
        }
        return .success(Shard(number: number, count: count))
    }
}

/// A `--shard` value that is not a shard (exit 64).
public struct ShardError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
