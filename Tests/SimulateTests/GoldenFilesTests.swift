import Foundation
import Testing

/// Every bundled scenario, run at a CI-sized setting, must reproduce the committed golden outputs byte
/// for byte: the guard that a refactoring changes no user's numbers or sentences. OpenBLAS is pinned to
/// one kernel family so that every x86-64 machine with AVX2 computes the same bits.
/// `make golden` (SIMULATE_UPDATE_GOLDEN=1) rewrites them; a change must then be explained in its commit.
@Suite("golden outputs", .serialized)
struct GoldenFilesTests {
    static let settings = [
        "--seeds", "2", "--set", "training.steps=300", "--set", "probes.every=100", "--set", "model.width=32",
        "--fresh", "--quiet",
    ]
    /// A transfer protocol has no `training` or `probes` section (its stages say how they train); it is
    /// CI-sized already, so only the seeds and the width are cut.
    static let transferSettings = ["--seeds", "2", "--set", "model.width=32", "--fresh", "--quiet"]

    static func settings(for scenario: String) -> [String] {
        let text = (try? String(contentsOfFile: "\(CLI.root)/Scenarios/\(scenario).json", encoding: .utf8)) ?? ""
        return text.contains("\"transfer\":") ? transferSettings : settings
    }
    static let environment = ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1"]
    static let files = ["summary.csv", "metrics.csv", "neurons.csv", "aggregate.csv", "reliability.csv", "report.md"]
    static let scenarios = ((try? FileManager.default.contentsOfDirectory(atPath: "\(CLI.root)/Scenarios")) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    /// `report.md` without what depends on the machine and the moment: wall times and the provenance line.
    static func normalized(_ report: String) -> String {
        var inRuns = false
        return report.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            if line.hasPrefix("## ") { inRuns = line == "## Runs" }
            if line.hasPrefix("*Provenance:*") { return nil }
            if inRuns, line.hasPrefix("| `"), let last = line.dropLast(2).lastIndex(of: "|") { return String(line[...last]) + " … |" }
            return String(line)
        }.joined(separator: "\n")
    }

    @Test("Bundled scenarios reproduce their golden CSVs and report", arguments: scenarios)
    func golden(scenario: String) throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/Scenarios", withDestinationPath: "\(CLI.root)/Scenarios")
        let result = try CLI.run([scenario, "--out", "out"] + Self.settings(for: scenario), in: dir, environment: Self.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let golden = "\(CLI.root)/Tests/Golden/\(scenario)"
        let update = ProcessInfo.processInfo.environment["SIMULATE_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(atPath: golden, withIntermediateDirectories: true) }
        for file in Self.files {
            var text = try String(contentsOfFile: "\(dir)/out/\(file)", encoding: .utf8)
            if file == "report.md" { text = Self.normalized(text) }
            if update {
                try text.write(toFile: "\(golden)/\(file)", atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOfFile: "\(golden)/\(file)", encoding: .utf8)
            if text != expected {
                let ours = text.split(separator: "\n", omittingEmptySubsequences: false)
                let theirs = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = (0..<min(ours.count, theirs.count)).first { ours[$0] != theirs[$0] } ?? min(ours.count, theirs.count)
                Issue.record(
                    "\(scenario)/\(file) differs from Tests/Golden at line \(line + 1):\n- \(line < theirs.count ? theirs[line] : "")\n+ \(line < ours.count ? ours[line] : "")"
                )
            }
        }
    }
}
