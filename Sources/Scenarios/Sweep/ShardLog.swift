import Foundation

/// What one shard process reports about itself, rewritten atomically after every run it finishes:
/// who runs it, whether it is still running, and which of its runs failed (a run that failed before
/// training leaves no cache entry, so this is where `merge` and `status` learn why it is missing).
public struct ShardLog: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case running
        case finished
        /// Stopped by a signal (Slurm's pre-timeout warning, a requeue, ^C); its finished runs are cached.
        case interrupted
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var index: Int
        public var error: String

        public init(index: Int, error: String) {
            self.index = index
            self.error = error
        }
    }

    public var shard: Int
    public var of: Int
    public var host: String
    public var pid: Int32
    /// `SLURM_JOB_ID` (and array task), when the shard ran under Slurm.
    public var slurmJob: String?
    public var state: State
    public var started: String
    public var updated: String
    /// Plan indices this process finished (completed or diverged), in the order they finished.
    public var finished: [Int] = []
    public var failed: [Failure] = []

    public init(shard: Int, of: Int, host: String, pid: Int32, slurmJob: String?, state: State, started: String, updated: String) {
        self.shard = shard
        self.of = of
        self.host = host
        self.pid = pid
        self.slurmJob = slurmJob
        self.state = state
        self.started = started
        self.updated = updated
    }

    /// The process, as the results-folder lock names writers (to tell a live shard from a killed one).
    public var writer: WriterIdentity { WriterIdentity(pid: pid, host: host) }

    func encoded() throws -> String { try SweepStateJSON.encoded(self) }

    static func decoded(_ data: Data) -> ShardLog? { SweepStateJSON.decoded(ShardLog.self, from: data) }
}
