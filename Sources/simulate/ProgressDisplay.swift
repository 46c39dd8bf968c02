import Foundation
import Scenarios

/// Progress on stderr: a live line on a terminal, one line per finished run otherwise, nothing with --quiet.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let steps: [Int]
    private let ids: [String]
    private let quiet: Bool
    private let live: Bool
    private var reached: [Int]
    private var finished = 0
    private var reused = 0
    private let started = Date()
    private var lastDraw = Date.distantPast

    init(total: Int, steps: [Int], ids: [String], quiet: Bool) {
        self.total = total
        self.steps = steps
        self.ids = ids
        self.quiet = quiet
        let environment = ProcessInfo.processInfo.environment
        live = !quiet && isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
        reached = Array(repeating: 0, count: total)
    }

    func start(scenario: String, jobs: Int) {
        guard !quiet else { return }
        StandardError.write("simulate: \(scenario): \(total) runs, \(min(jobs, total)) in parallel\n")
    }

    func probe(run: Int, step: Int) {
        guard live else { return }
        lock.withLock {
            reached[run] = step
            let now = Date()
            guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            let done = zip(reached, steps).map { Double($0) / Double(max($1, 1)) }.reduce(0, +) / Double(max(total, 1))
            let elapsed = now.timeIntervalSince(started)
            let eta = done > 0 ? elapsed * (1 - done) / done : 0
            StandardError.write(String(format: "\r\u{1B}[2K  %d/%d runs done, %.0f%%, elapsed %.0f s, ETA %.0f s",
                                       finished, total, done * 100, elapsed, eta))
        }
    }

    func finish(_ outcome: RunOutcome) {
        guard !quiet else { return }
        lock.withLock {
            finished += 1
            reached[outcome.run.index] = steps[outcome.run.index]
            if outcome.reused {
                reused += 1
                return
            }
            let status: String
            switch outcome.result {
            case let .success(result): status = result.status.label
            case let .failure(error): status = "failed: \(error)"
            }
            StandardError.write(String(format: "%@  [%d/%d] %@: %@ (%.1f s)\n", live ? "\r\u{1B}[2K" : "",
                                       finished, total, outcome.run.id, status, outcome.wallSeconds))
        }
    }

    func done(destination: String, seconds: Double) {
        guard !quiet else { return }
        if reused > 0 {
            StandardError.write("simulate: reused \(reused) of \(total) runs from the cache (--fresh to run them again)\n")
        }
        StandardError.write(String(format: "simulate: wrote %@/ in %.1f s\n", destination, seconds))
    }
}
