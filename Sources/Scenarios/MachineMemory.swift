import Dynamics
import Foundation
import Schema

#if canImport(Glibc)
    import Glibc
#endif

/// The memory this process may use: the least of the machine's physical memory, the cgroup's limit
/// (a container's or a Slurm job's `memory.max`) and the address-space limit (`ulimit -v`).
public enum MachineMemory {
    public static var available: Double {
        var limits = [Double(ProcessInfo.processInfo.physicalMemory)]
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                limits.append(value)
            }
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max { limits.append(Double(limit.rlim_cur)) }
        return limits.filter { $0 > 0 }.min() ?? Double(ProcessInfo.processInfo.physicalMemory)
    }
}

extension Scenario {
    /// The largest run's memory estimate (`MemoryEstimate`).
    public var largestRunMemory: MemoryEstimate? {
        cells.map { MemoryEstimate($0.configuration) }.max { $0.bytes < $1.bytes }
    }

    /// Refuses (exit 65) a scenario one of whose runs would not fit in `available` bytes, naming the
    /// field behind the largest allocation, the estimate and the machine's memory.
    public func checkMemory(available: Double = MachineMemory.available) throws(ScenarioError) {
        guard let estimate = largestRunMemory, estimate.bytes > available, let largest = estimate.terms.first else { return }
        throw ScenarioError(
            .invalid, path: largest.field,
            "a run would need about \(MemoryEstimate.text(estimate.bytes)) (\(largest.what): \(MemoryEstimate.text(largest.bytes))), "
                + "more than the \(MemoryEstimate.text(available)) this process may use; make it smaller")
    }

    /// At most `jobs` runs at once, and no more than fit in memory together (at least 1).
    public func parallelRuns(_ jobs: Int, available: Double = MachineMemory.available) -> Int {
        guard let estimate = largestRunMemory, estimate.bytes > 0 else { return jobs }
        return max(1, min(jobs, Int(available / estimate.bytes)))
    }
}
