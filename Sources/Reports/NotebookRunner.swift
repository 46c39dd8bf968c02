import Foundation
import Scenarios

/// Executes a notebook's blocks and works out what changes: each block's output (findings, sections,
/// figures, metric tables from its run), the figures copied beside the notebook, and the figures of
/// earlier executions that no longer appear. Running a block's scenario is the caller's (the command
/// line's progress and results folders); what to show of it, and what would change, is decided here.
public struct NotebookRunner {
    /// What one block's command ran: its plan, its results and its rendered files.
    public struct Execution {
        public var plan: Scenario
        public var bundle: ResultsBundle
        public var rendered: [(path: String, contents: String)]

        public init(plan: Scenario, bundle: ResultsBundle, rendered: [(path: String, contents: String)]) {
            self.plan = plan
            self.bundle = bundle
            self.rendered = rendered
        }
    }

    /// A block that cannot be shown (an unknown figure, section or metric): exit 65.
    public struct ShowError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The notebook's new text and figures, and the files that differ from what is on disk.
    public struct Update {
        public var path: String
        public var text: String
        public var figures: [(path: String, contents: String)]
        /// Figures of this notebook from earlier executions that no block shows any more.
        public var obsolete: [String]
        /// Every file that would change (the notebook, figures, obsolete figures).
        public var changed: [String]
    }

    public let path: String
    public let notebook: Notebook
    let original: String

    public init(path: String, text: String) throws(Notebook.ParseError) {
        self.path = path
        self.original = text
        self.notebook = try Notebook(text: text, file: path)
        guard !notebook.blocks.isEmpty else {
            throw Notebook.ParseError(description: "\(path): no ```simulate blocks, so nothing to run or check (is it a notebook?)")
        }
    }

    var stem: String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
    var figuresFolder: String { URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("figures").path }

    /// Runs every block through `execute` (block index, block) and returns what would change.
    public func run(_ execute: (Int, Notebook.Block) throws -> Execution) throws -> Update {
        var outputs: [String] = [], figures: [(path: String, contents: String)] = []
        for (k, block) in notebook.blocks.enumerated() {
            let execution = try execute(k, block)
            let shown = try show(block, execution, location: "\(path), block \(k + 1)", prefix: "\(stem)-\(k + 1)-")
            outputs.append(shown.output)
            figures += shown.figures
        }
        let text = notebook.rendered(outputs: outputs)
        var changed = text == original ? [] : [path]
        let existing = ((try? FileManager.default.contentsOfDirectory(atPath: figuresFolder)) ?? [])
            .filter { $0.hasPrefix("\(stem)-") && $0.hasSuffix(".svg") }.map { "\(figuresFolder)/\($0)" }
        for figure in figures where FileManager.default.contents(atPath: figure.path).map({ String(decoding: $0, as: UTF8.self) }) != figure.contents
        {
            changed.append(figure.path)
        }
        let obsolete = existing.filter { file in !figures.contains { $0.path == file } }
        return Update(path: path, text: text, figures: figures, obsolete: obsolete, changed: changed + obsolete)
    }

    /// A unified-style diff of the notebook's text against `update`.
    public func diff(_ update: Update) -> String { Notebook.diff(original, update.text) }

    /// One block's output and the figures it shows.
    func show(_ block: Notebook.Block, _ execution: Execution, location: String, prefix: String) throws(ShowError)
        -> (output: String, figures: [(path: String, contents: String)])
    {
        let plan = execution.plan
        let report = execution.rendered.first { $0.path == "report.md" }?.contents ?? ""
        var output =
            "*`simulate \(block.command.joined(separator: " "))` — \(plan.runs.count) runs "
            + "(\(plan.cells.count) configuration\(plan.cells.count == 1 ? "" : "s") × \(plan.seeds.count) seeds); "
            + "mean ± 95% CI over seeds.*\n"
        var figures: [(path: String, contents: String)] = []
        let shows = block.shows.isEmpty ? ["findings", "figures"] : block.shows
        let cells = shows.contains { $0.hasPrefix("metrics ") } ? CellSummary.summarize(plan, execution.bundle.outcomes) : []
        for show in shows {
            if show == "findings" {
                output += "\n" + Self.section("Headline findings", of: report)
            } else if show.hasPrefix("section ") {
                let heading = String(show.dropFirst(8))
                let body = Self.section(heading, of: report)
                guard !body.isEmpty else {
                    throw ShowError(
                        description: "\(location): the report has no section '\(heading)'; sections: \(Self.headings(report).joined(separator: "; "))"
                    )
                }
                output += "\n#### \(heading)\n\n" + body
            } else if show == "figures" || show.hasPrefix("figure ") {
                let wanted = show == "figures" ? execution.bundle.report.figures.map(\.name) : [String(show.dropFirst(7))]
                for name in wanted {
                    guard let figure = execution.rendered.first(where: { $0.path == "figures/\(name).svg" }),
                        let spec = execution.bundle.report.figures.first(where: { $0.name == name })
                    else {
                        throw ShowError(
                            description:
                                "\(location): no figure '\(name)'; figures: \(execution.bundle.report.figures.map(\.name).joined(separator: ", "))")
                    }
                    figures.append(("\(figuresFolder)/\(prefix)\(name).svg", figure.contents))
                    output += "\n![\(spec.title)](figures/\(prefix)\(name).svg)\n"
                }
            } else {
                let names = show.dropFirst(8).split(separator: " ").map(String.init)
                let known = Set(cells.flatMap { $0.finals.flatMap(\.keys) })
                if let unknown = names.first(where: { !known.contains($0) }) {
                    throw ShowError(description: "\(location): no metric '\(unknown)' in this scenario's results")
                }
                output += "\n| configuration | " + names.map { "`\($0)`" }.joined(separator: " | ") + " |\n"
                output += "|---|" + names.map { _ in "---:|" }.joined() + "\n"
                for cell in cells {
                    output += "| \(cell.label) | " + names.map { cell.estimate($0).text() }.joined(separator: " | ") + " |\n"
                }
            }
        }
        return (output.hasSuffix("\n") ? String(output.dropLast()) : output, figures)
    }

    /// The body of the report section `## heading` (up to the next `## `), or "".
    static func section(_ heading: String, of report: String) -> String {
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == "## \(heading)" }) else { return "" }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        return lines[(start + 1)..<end].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }

    static func headings(_ report: String) -> [String] {
        report.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
    }
}
