import ArgumentParser

/// Every exit status `simulate` uses (sysexits(3) where one fits), with what it means: the one list
/// that the commands exit with, `--help` prints and the README's table must match (a test checks).
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case wouldChange = 1
    case incomplete = 2
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case cannotCreate = 73
    case busy = 75

    var meaning: String {
        switch self {
        case .success: "success"
        case .wouldChange: "--check: a file would change; --fail-on-divergence: a run diverged"
        case .incomplete: "sharded sweep incomplete: merge lists the missing or failed runs"
        case .usage: "usage: a bad flag, unknown scenario or --set path, a forbidden --out"
        case .dataError: "invalid data: a bad scenario, a corrupt or inconsistent results file"
        case .noInput: "missing input: no such results folder, notebook or results file"
        case .unavailable: "a program simulate needs failed or is missing (sbatch, for slurm)"
        case .cannotCreate: "cannot create output: a file simulate did not write is in the way"
        case .busy: "busy: another simulate writes that folder, or a shard was stopped"
        }
    }

    /// The status to exit with.
    var code: ExitCode { ExitCode(rawValue) }

    static var table: String {
        allCases.map { "  \(String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0)) \($0.meaning)" }.joined(separator: "\n")
    }
}
