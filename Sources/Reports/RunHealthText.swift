import Dynamics
import Foundation
import Scenarios

/// The report's account of runs that did not complete cleanly: which diverged (at which step, with
/// the last finite loss), which failed, which are missing from a partial merge, and which final values
/// of completed runs are not finite — so a mean over fewer seeds, or a NaN in a table, always has its
/// reason in the report.
struct RunHealthText {
    let outcomes: [RunOutcome]
    /// At most this many runs are listed per kind; the rest are counted (the manifest lists them all).
    var limit = 20

    /// A line under the title of a report merged with `--partial`, so it cannot be read as complete.
    var partialBanner: String {
        let missing = outcomes.filter { if case .failure(.missing) = $0.result { true } else { false } }.count
        guard missing > 0 else { return "" }
        return "> **Partial results: \(missing) of \(outcomes.count) planned runs are missing** (merged with `simulate merge --partial`); "
            + "*Runs that did not complete cleanly* lists them.\n\n"
    }

    var markdown: String {
        var diverged: [String] = [], failed: [String] = [], missing: [String] = [], nonFinite: [String] = []
        for outcome in outcomes {
            switch outcome.result {
            case let .failure(.gsl(error)):
                failed.append("`\(outcome.run.id)` (\(error))")
            case let .failure(.missing(reason)):
                missing.append("`\(outcome.run.id)` (\(reason))")
            case let .success(result):
                if case let .diverged(step, loss) = result.status {
                    diverged.append("`\(outcome.run.id)` at step \(step)" + (loss.isFinite ? String(format: " (last finite loss %.3g)", loss) : ""))
                } else {
                    let names = Self.nonFiniteFinals(result)
                    if !names.isEmpty { nonFinite.append("`\(outcome.run.id)`: " + names.joined(separator: ", ")) }
                }
            }
        }
        guard !(diverged.isEmpty && failed.isEmpty && missing.isEmpty && nonFinite.isEmpty) else { return "" }
        func listed(_ items: [String]) -> String {
            items.prefix(limit).joined(separator: "; ")
                + (items.count > limit ? "; … and \(items.count - limit) more (every run's status is in `manifest.json`)" : "")
        }
        var out = "## Runs that did not complete cleanly\n\n"
        let total = outcomes.count
        if !missing.isEmpty {
            out +=
                "- **These results are partial: \(missing.count) of \(total) planned runs are missing** (merged with `simulate merge "
                + "--partial`) and are excluded from every mean, interval and verdict (each n counts the runs that completed): "
                + "\(listed(missing)). Running their shards again and then `simulate merge` completes the results.\n"
        }
        if !diverged.isEmpty {
            out +=
                "- **\(diverged.count) of \(total) runs diverged** and are excluded from every mean, interval and verdict in this "
                + "report (each n counts the runs that completed): \(listed(diverged)). A run diverges when a step's batch loss is "
                + "not finite or exceeds \(Self.bound) (L₀: its first step's loss); training stops there, so its probes end at the "
                + "one before.\n"
        }
        if !failed.isEmpty {
            out += "- **\(failed.count) of \(total) runs failed** before training and are excluded likewise: \(listed(failed)).\n"
        }
        if !nonFinite.isEmpty {
            out +=
                "- **\(nonFinite.count) completed runs have final values that overflowed** (a mean they enter is not finite): "
                + "\(listed(nonFinite)).\n"
        }
        return out + "\n"
    }

    /// The explosion bound in words.
    static var bound: String { "\(String(format: "%g", Divergence.explosionFactor)) × max(L₀, 1)" }

    /// `name (value)` for each final value that overflowed: a probe finite at step 0 and not at the end,
    /// or an infinite final-only metric. A NaN final-only metric is an undefined quantity (a temperature
    /// with nothing to fit), and a probe already NaN at step 0 one the scenario lacks (a growth ratio
    /// without background features): neither is named.
    static func nonFiniteFinals(_ result: RunResult) -> [String] {
        guard let first = result.values.first, let last = result.values.last else { return [] }
        let probes = result.metricNames.indices.filter { first[$0].isFinite && !last[$0].isFinite }
            .map { "`\(result.metricNames[$0])` (\(last[$0]))" }
        return probes + result.finalExtras.filter { $0.value.isInfinite }.map { "`\($0.name)` (\($0.value))" }
    }
}
