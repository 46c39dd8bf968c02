import Dynamics
import Foundation
import GSL
import Scenarios
import Studies

extension Estimate {
    /// "0.773 ± 0.006": the half-width to one significant digit (two when it starts with 1) and the
    /// mean to the same decimal place; just the mean (3 significant digits) without a spread.
    public func text() -> String {
        let parts = formatted
        return parts.value + (parts.spread.map { " ± \($0)" } ?? "") + parts.note
    }

    /// The pieces of `text()`: the mean (or "undefined", "–"), the half-width when there is one, and a
    /// note such as " (1 undefined)" — so that other formats (LaTeX) never parse the text back.
    public var formatted: (value: String, spread: String?, note: String) {
        if values.isEmpty { return (undefinedCount > 0 ? "undefined" : "–", nil, "") }
        let note = undefinedCount > 0 ? " (\(undefinedCount) undefined)" : ""
        guard let halfWidth, halfWidth > 0, halfWidth.isFinite, mean.isFinite else { return (formatSignificant(mean, 3), nil, note) }
        let decimals = Self.decimals(for: halfWidth)
        return (formatFixed(mean, decimals), formatFixed(halfWidth, decimals), note)
    }

    /// "95% CI 1.75–1.85" (or the mean alone with one seed).
    public var intervalText: String {
        guard let halfWidth, halfWidth > 0, halfWidth.isFinite else { return "one seed, no interval" }
        let decimals = Self.decimals(for: halfWidth)
        return "95% CI \(formatFixed(lower, decimals))–\(formatFixed(upper, decimals))"
    }

    static func decimals(for spread: Double) -> Int {
        let magnitude = Int(log10(spread).rounded(.down))
        let leading = spread / pow(10, Double(magnitude))
        return min(max(-magnitude + (leading < 2 ? 1 : 0), 0), 12)
    }
}

/// The final metrics of one sweep cell, over its seeds.
public struct CellSummary: Sendable {
    public var cellIndex: Int
    public var cell: SweepCell
    public var label: String
    /// Completed runs' final metrics, in seed order.
    public var finals: [[String: Double]]
    /// The completed runs' seeds, aligned with `finals` (for comparisons paired by seed).
    public var seeds: [UInt64]
    /// Completed runs' series (metric → values over the probed steps).
    public var steps: [Int]
    public var meanSeries: [String: [Double]]
    /// Per completed run (seed order): each metric's series over `steps`.
    public var seriesBySeed: [String: [[Double]]]
    /// Per completed run: the final per-neuron table.
    public var neurons: [NeuronTable]
    /// Per completed run: the final reliability-diagram bins.
    public var reliability: [[ReliabilityRow]]
    public var failedRuns: Int

    /// A metric's mean and 95% interval at each probed step, over seeds.
    public func bands(_ metric: String) -> [Estimate] {
        guard let series = seriesBySeed[metric] else { return [] }
        return steps.indices.map { p in Estimate(series.map { $0[p] }) }
    }

    /// The estimate of a final analysis's metric.
    public func estimate(_ metric: FinalMetric) -> Estimate { estimate(metric.name) }

    public func estimate(_ metric: String) -> Estimate {
        Estimate(finals.compactMap { $0[metric] })
    }

    /// Groups outcomes by cell.
    public static func summarize(_ scenario: Scenario, _ outcomes: [RunOutcome]) -> [CellSummary] {
        scenario.cells.enumerated().map { index, cell in
            let runs = outcomes.filter { $0.run.cellIndex == index }
            let completed = runs.compactMap { run -> (seed: UInt64, result: RunResult)? in
                if case let .success(r) = run.result, r.status == .completed { (run.run.seed, r) } else { nil }
            }
            let results = completed.map(\.result)
            var meanSeries: [String: [Double]] = [:], seriesBySeed: [String: [[Double]]] = [:]
            let steps = results.first?.steps ?? []
            if let first = results.first {
                for name in first.metricNames {
                    let series = results.map { $0.series(name) }.filter { $0.count == steps.count }
                    seriesBySeed[name] = series
                    meanSeries[name] = (0..<steps.count).map { p in series.map { $0[p] }.reduce(0, +) / Double(max(series.count, 1)) }
                }
            }
            let label =
                cell.assignments.isEmpty
                ? cell.configuration.model.activation.label
                : cell.assignments.map { $0.value }.joined(separator: ", ")
            return CellSummary(
                cellIndex: index, cell: cell, label: label, finals: results.map(\.final), seeds: completed.map(\.seed), steps: steps,
                meanSeries: meanSeries, seriesBySeed: seriesBySeed, neurons: results.map(\.neurons), reliability: results.map(\.reliability),
                failedRuns: runs.count - results.count)
        }
    }
}

/// A number with a fixed number of decimals, without a negative zero.
public func formatFixed(_ value: Double, _ decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
}

/// A number with `digits` significant digits, without exponent for ordinary magnitudes.
public func formatSignificant(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return value.description }
    if value == 0 { return "0" }
    let magnitude = Int((log10(abs(value))).rounded(.down))
    if magnitude < -4 || magnitude > 6 { return String(format: "%.\(max(digits - 1, 0))e", value) }
    let decimals = max(digits - 1 - magnitude, 0)
    return String(format: "%.\(decimals)f", value)
}
