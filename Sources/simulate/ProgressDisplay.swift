import Foundation
import Scenarios
import Synchronization

/// Progress on stderr: a live line on a terminal, one line per finished run otherwise, nothing with --quiet.
final class ProgressDisplay: Sendable {
    private struct State {
        var reached: [Int]
        var finished = 0
        var reused = 0
        var lastDraw = Date.distantPast
    }

    private let total: Int
    private let steps: [Int]
    /// Position in `steps` of each run's plan index (a shard runs part of a plan).
    private let positions: [Int: Int]
    private let quiet: Bool
    private let live: Bool
    private let started = Date()
    private let state: Mutex<State>

    init(runs: [PlannedRun], quiet: Bool) {
        total = runs.count
        steps = runs.map(\.configuration.training.steps)
        positions = Dictionary(runs.enumerated().map { ($0.element.index, $0.offset) }, uniquingKeysWith: { a, _ in a })
        self.quiet = quiet
        let environment = ProcessInfo.processInfo.environment
        live = !quiet && isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
        state = Mutex(State(reached: Array(repeating: 0, count: total)))
    }

    func start(scenario: String, jobs: Int) {
        guard !quiet else { return }
        StandardError.write("simulate: \(scenario): \(total) runs, \(min(jobs, total)) in parallel\n")
    }

    func probe(run: Int, step: Int) {
        guard live else { return }
        state.withLock { state in
            state.reached[run] = step
            let now = Date()
            guard now.timeIntervalSince(state.lastDraw) > 0.1 else { return }
            state.lastDraw = now
            let done = zip(state.reached, steps).map { Double($0) / Double(max($1, 1)) }.reduce(0, +) / Double(max(total, 1))
            let elapsed = now.timeIntervalSince(started)
            let eta = done > 0 ? elapsed * (1 - done) / done : 0
            StandardError.write(
                String(
                    format: "\r\u{1B}[2K  %d/%d runs done, %.0f%%, elapsed %.0f s, ETA %.0f s",
                    state.finished, total, done * 100, elapsed, eta))
        }
    }

    func finish(_ outcome: RunOutcome) {
        guard !quiet else { return }
        state.withLock { state in
            state.finished += 1
            if let position = positions[outcome.run.index] { state.reached[position] = steps[position] }
            if outcome.reused {
                state.reused += 1
                return
            }
            let status = outcome.statusLabel
            StandardError.write(
                String(
                    format: "%@  [%d/%d] %@: %@ (%.1f s)\n", live ? "\r\u{1B}[2K" : "",
                    state.finished, total, outcome.run.id, status, outcome.wallSeconds))
        }
    }

    /// Says how many runs came from the cache.
    func done() {
        guard !quiet else { return }
        let reused = state.withLock { $0.reused }
        if reused > 0 {
            StandardError.write("simulate: reused \(reused) of \(total) runs from the cache (--fresh to run them again)\n")
        }
    }
}
