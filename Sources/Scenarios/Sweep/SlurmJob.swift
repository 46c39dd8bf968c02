/// A sharded sweep as Slurm jobs: one job array per block of `maxArraySize` shards (a cluster's
/// MaxArraySize caps the array *index*, so larger sweeps are split, each array with its offset), each
/// task running one shard (`simulate run --shard slurm`), and a merge job that depends on every array
/// with `afterany` — `merge` itself checks completeness and fails (exit 2) when runs are missing, so a
/// failed sweep is never reported as a completed job. Only the shards that own unfinished runs are
/// submitted, so a re-submission runs only what is missing. Pure text: nothing here touches Slurm.
public struct SlurmJob: Sendable, Equatable {
    public struct Resources: Sendable, Equatable {
        public var partition: String?
        public var time: String
        public var cpusPerTask: Int
        public var memory: String?
        /// At most this many tasks of an array at once (`--array=…%P`).
        public var throttle: Int?

        public init(partition: String?, time: String, cpusPerTask: Int, memory: String?, throttle: Int?) {
            self.partition = partition
            self.time = time
            self.cpusPerTask = cpusPerTask
            self.memory = memory
            self.throttle = throttle
        }
    }

    /// One `sbatch --array` submission: the array indices and the shard number of index 0.
    public struct Array: Sendable, Equatable {
        public var offset: Int
        public var indices: [Int]

        /// `0-3,7,9-11`, with `%P` when throttled.
        public func spec(throttle: Int?) -> String {
            var parts: [String] = [], start = indices.first ?? 0, previous = start
            for index in indices.dropFirst() + [Int.min] {
                if index == previous + 1 {
                    previous = index
                    continue
                }
                parts.append(start == previous ? "\(start)" : "\(start)-\(previous)")
                start = index
                previous = index
            }
            return parts.joined(separator: ",") + (throttle.map { "%\($0)" } ?? "")
        }
    }

    public var name: String
    /// The simulate executable, the scenario file, the results folder and the working directory (absolute).
    public var executable: String
    public var scenarioFile: String
    public var resultsFolder: String
    public var workingDirectory: String
    /// `--seeds N` and `--set` words, passed on to every shard unchanged.
    public var planArguments: [String]
    public var shardCount: Int
    public var resources: Resources
    public var logFolder: String
    /// Seconds before the time limit at which Slurm warns the task (USR1) so it can requeue: long
    /// enough for the run in progress to be abandoned and the task requeued (Slurm may send it up to a
    /// minute early).
    public var warningSeconds = defaultWarningSeconds
    public static let defaultWarningSeconds = 120
    /// Slurm's largest `--signal` time.
    public static let maximumWarningSeconds = 65535

    public init(
        name: String, executable: String, scenarioFile: String, resultsFolder: String, workingDirectory: String,
        planArguments: [String], shardCount: Int, resources: Resources, logFolder: String
    ) {
        self.name = name
        self.executable = executable
        self.scenarioFile = scenarioFile
        self.resultsFolder = resultsFolder
        self.workingDirectory = workingDirectory
        self.planArguments = planArguments
        self.shardCount = shardCount
        self.resources = resources
        self.logFolder = logFolder
    }

    /// The arrays that submit `shards` (sorted shard numbers), split so no index reaches `maxArraySize`.
    public static func arrays(shards: [Int], maxArraySize: Int) -> [Array] {
        let size = Swift.max(1, maxArraySize)
        var arrays: [Array] = []
        for shard in shards {
            let offset = shard / size * size
            if arrays.last?.offset == offset {
                arrays[arrays.count - 1].indices.append(shard - offset)
            } else {
                arrays.append(Array(offset: offset, indices: [shard - offset]))
            }
        }
        return arrays
    }

    /// A word for a POSIX shell, single-quoted when it needs to be.
    public static func quoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-=:,+@%".contains($0)) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private var header: [String] {
        var lines = [
            "#SBATCH --chdir=\(Self.quoted(workingDirectory))",
            "#SBATCH --time=\(resources.time)",
        ]
        if let partition = resources.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let memory = resources.memory { lines.append("#SBATCH --mem=\(memory)") }
        return lines
    }

    /// The job script of every array: one task, one shard (`SIMULATE_SHARD_OFFSET` + task id of
    /// `SIMULATE_SHARD_COUNT`). Slurm's warning `warningSeconds` before the time limit reaches the
    /// batch shell (`B:`), which stops simulate (its finished runs are cached) and requeues the task.
    public var arrayScript: String {
        let run = ([executable, "run", scenarioFile, "--out", resultsFolder] + planArguments).map(Self.quoted).joined(separator: " ")
        return
            ([
                "#!/bin/bash",
                "# Written by `simulate slurm`: each array task runs one shard of \(shardCount) of \(name) into the run cache of \(resultsFolder).",
                "#SBATCH --job-name=simulate-\(name)",
                "#SBATCH --output=\(Self.quoted(logFolder))/%A_%a.out",
                "#SBATCH --cpus-per-task=\(resources.cpusPerTask)",
                "#SBATCH --requeue",
                "#SBATCH --open-mode=append",
                "#SBATCH --signal=B:USR1@\(warningSeconds)",
            ] + header + [
                "set -u",
                "export SIMULATE_SHARD_COUNT=\(shardCount)",
                "export SIMULATE_SHARD_OFFSET=\"${SIMULATE_SHARD_OFFSET:-0}\"",
                "export OPENBLAS_NUM_THREADS=1",
                "\(run) --shard slurm --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --quiet &",
                "child=$!",
                "# Near the time limit: stop the shard (what finished is cached) and put the task back in the queue.",
                "trap 'kill -USR1 \"$child\" 2>/dev/null; wait \"$child\"; scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"; exit 0' USR1",
                "wait \"$child\"",
            ]).joined(separator: "\n") + "\n"
    }

    /// The merge job's script: `simulate merge`, which fails (exit 2) and lists what is missing unless
    /// every planned run is in.
    public var mergeScript: String {
        ([
            "#!/bin/bash", "# Written by `simulate slurm`: writes the results of \(name) once every shard's runs are in.",
            "#SBATCH --job-name=simulate-\(name)-merge",
            "#SBATCH --output=\(Self.quoted(logFolder))/merge_%j.out",
            "#SBATCH --cpus-per-task=1",
        ] + header + [
            "export OPENBLAS_NUM_THREADS=1",
            [executable, "merge", resultsFolder].map(Self.quoted).joined(separator: " "),
        ]).joined(separator: "\n") + "\n"
    }

    /// `sbatch` arguments for one array (the script path last).
    public func arrayArguments(_ array: Array, script: String) -> [String] {
        ["--parsable", "--array=\(array.spec(throttle: resources.throttle))", "--export=ALL,SIMULATE_SHARD_OFFSET=\(array.offset)", script]
    }

    /// `sbatch` arguments for the merge job after the arrays `jobIDs`.
    public func mergeArguments(after jobIDs: [String], script: String) -> [String] {
        ["--parsable"] + (jobIDs.isEmpty ? [] : ["--dependency=afterany:" + jobIDs.joined(separator: ":")]) + [script]
    }
}
