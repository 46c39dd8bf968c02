import Foundation
import Testing

/// The full-size results the README and the notebooks quote (docs/results/, written by `make results`):
/// each report must still render byte for byte from its committed data, and every number quoted from a
/// report must be in it — so no quoted number can drift from a run that produced it.
@Suite("Committed full-size results", .serialized)
struct CommittedResultsTests {
    /// Every committed results folder (the Makefile's RESULTS writes them).
    static let folders = ((try? FileManager.default.contentsOfDirectory(atPath: "\(CLI.root)/docs/results")) ?? [])
        .filter { !$0.hasPrefix(".") }.sorted()

    @Test("Each committed report, its figures and tables render from its data as they are", arguments: folders)
    func reRenders(_ folder: String) throws {
        let check = try CLI.run(["report", "--check", "docs/results/\(folder)"])
        #expect(check.status == 0, "docs/results/\(folder) is stale or broken (`make results` rewrites it): \(check.stderr)")
    }

    /// The quoted spans of a text: from `<!-- quoted from PATH -->` to `<!-- end quote -->`, with PATH.
    static func quotes(in text: String) -> [(path: String, body: String)] {
        let parts = text.components(separatedBy: "<!-- quoted from ")
        return parts.dropFirst().compactMap { part in
            guard let close = part.range(of: " -->"), let end = part.range(of: "<!-- end quote -->") else { return nil }
            return (String(part[..<close.lowerBound]), String(part[close.upperBound..<end.lowerBound]))
        }
    }

    /// Decimal numbers with an optional "± spread", minus signs unified.
    static func numbers(in text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "−", with: "-")
        let pattern = /-?\d+\.\d+(?: ± \d+(?:\.\d+)?)?/
        return normalized.matches(of: pattern).map { String($0.output) }
    }

    @Test("Every number quoted in the README and the notebooks appears in the report it is quoted from")
    func quotedNumbersAreInTheirReports() throws {
        let documents =
            ["README.md"] + ((try? FileManager.default.contentsOfDirectory(atPath: "\(CLI.root)/Notebooks-md")) ?? []).map { "Notebooks-md/\($0)" }
        var quoted = 0
        for document in documents where document.hasSuffix(".md") {
            let text = try String(contentsOfFile: "\(CLI.root)/\(document)", encoding: .utf8)
            for quote in Self.quotes(in: text) {
                let source = try String(contentsOfFile: "\(CLI.root)/\(quote.path)", encoding: .utf8).replacingOccurrences(of: "−", with: "-")
                for number in Self.numbers(in: quote.body) {
                    quoted += 1
                    #expect(source.contains(number), "\(document) quotes \(number), which \(quote.path) does not contain")
                }
            }
        }
        #expect(quoted > 20, "only \(quoted) quoted numbers found")
    }

    /// The verdict labels of a report's sweep tables, by (group heading, first cell).
    static func verdicts(in text: String) -> [String: String] {
        var heading = "", inVerdictTable = false, labels: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("### ") { heading = String(line.dropFirst(4)) }
            guard line.hasPrefix("|") else {
                inVerdictTable = false
                continue
            }
            if line.hasPrefix("|---") { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.last == "contaminates" {
                inVerdictTable = true
            } else if inVerdictTable, let first = cells.first, let last = cells.last {
                labels["\(heading) / \(first)"] = last
            }
        }
        return labels
    }

    @Test("The notebooks' CI-scale verdicts (contaminates or not) agree with the full-size runs' or are inconclusive")
    func notebookVerdictsAgree() throws {
        let notebook = try String(contentsOfFile: "\(CLI.root)/Notebooks-md/activations-optimizers.md", encoding: .utf8)
        let blocks = notebook.components(separatedBy: "<!-- simulate:output")
        var compared = 0
        for (block, scenario) in zip(blocks.dropFirst(), ["activations", "optimizers"]) {
            let full = Self.verdicts(in: try String(contentsOfFile: "\(CLI.root)/docs/results/\(scenario)/report.md", encoding: .utf8))
            let ci = Self.verdicts(in: block)
            #expect(!ci.isEmpty, "the \(scenario) block shows no verdict table")
            for (row, label) in ci {
                compared += 1
                guard let reference = full[row] else {
                    Issue.record("\(row) is not in docs/results/\(scenario)/report.md")
                    continue
                }
                // The answer must agree (yes, with or without the sign, / no); the sign itself needs more seeds.
                let answer = { (label: String) in label.hasPrefix("**yes**") ? "yes" : label.hasPrefix("no") ? "no" : "inconclusive" }
                #expect(
                    answer(label) == answer(reference) || label.hasPrefix("inconclusive"), "\(row): CI says \(label), the full run \(reference)")
            }
        }
        #expect(compared >= 27, "only \(compared) verdicts compared")
    }
}
