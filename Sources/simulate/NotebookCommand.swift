import ArgumentParser
import Foundation
import Reports
import Scenarios

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Execute Markdown notebooks: run each ```simulate block and write its output below it.",
        discussion: """
            A block holds one command and optional show lines:

              ```simulate
              run contamination --seeds 2 --set training.steps=4000
              show findings
              show figure steps-background_projection
              show metrics background_growth ood_loss_flip
              show section Calibration under background shift
              ```

            Without show lines a block shows the findings and every figure. Output goes between generated
            markers below the block; figures are copied to figures/ beside the notebook. Results and the run
            cache live under --work. With --check nothing is written and the exit status is 1 if the notebook
            or its figures would change (a diff is printed).
            """)

    @Argument(help: "Notebook files (Notebooks-md/*.md).")
    var notebooks: [String]

    @Flag(help: "Do not write; exit 1 with a diff if re-running would change a notebook or its figures.")
    var check = false

    @Option(help: "Folder for the blocks' results folders and run cache.")
    var work = ".build/notebooks"

    @Option(help: "Runs in parallel (default: all cores). Results do not depend on it.")
    var jobs: Int?

    @Flag(help: "Run everything again instead of reusing the run cache.")
    var fresh = false

    func run() throws {
        var stale: [String] = []
        for path in notebooks {
            stale += try execute(path)
        }
        if check {
            if stale.isEmpty {
                print("notebooks up to date: \(notebooks.joined(separator: ", "))")
            } else {
                StandardError.write("out of date: \(stale.joined(separator: ", ")); run `simulate notebook` to update\n")
                throw ExitStatus.wouldChange.code
            }
        }
    }

    /// Runs one notebook; returns the files that are (or, with --check, would be) changed.
    func execute(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            StandardError.write("error: \(path): no such file\n")
            throw ExitStatus.noInput.code
        }
        let text = String(decoding: data, as: UTF8.self)
        let notebook: Notebook
        do {
            notebook = try Notebook(text: text, file: path)
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitStatus.dataError.code
        }
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let figuresFolder = url.deletingLastPathComponent().appendingPathComponent("figures").path
        var outputs: [String] = [], figures: [(path: String, contents: String)] = []
        for (k, block) in notebook.blocks.enumerated() {
            let location = "\(path), block \(k + 1)"
            var words = block.command
            if words.first == "run" { words.removeFirst() }
            let command: RunCommand
            do {
                command = try RunCommand.parse(words)
            } catch {
                StandardError.write("error: \(location): \(RunCommand.message(for: error))\n")
                throw ExitStatus.usage.code
            }
            let (scenarioPath, loaded) = try loadScenario(command.scenario, overrides: command.overrides)
            let plan = command.seeds.map { loaded.withSeedCount($0) } ?? loaded
            let destination = "\(work)/\(stem)/\(k + 1)-\(plan.name)"
            StandardError.write("\(location): \(plan.runs.count) runs of \(plan.name)\n")
            let (folder, lock) = try ResultsFolderAccess.claim(destination, scenarioFile: scenarioPath)
            defer { lock.release() }
            let (bundle, rendered) = try executeAndWrite(plan, scenarioFile: scenarioPath, destination: (folder, destination, lock),
                                                         jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                                         cache: ResultsFolderAccess.cache(beside: folder), reuse: !fresh, quiet: true)
            let report = rendered.first { $0.path == "report.md" }?.contents ?? ""
            let prefix = "\(stem)-\(k + 1)-"
            var output = "*`simulate \(block.command.joined(separator: " "))` — \(plan.runs.count) runs "
                + "(\(plan.cells.count) configuration\(plan.cells.count == 1 ? "" : "s") × \(plan.seeds.count) seeds); "
                + "mean ± 95% CI over seeds.*\n"
            let shows = block.shows.isEmpty ? ["findings", "figures"] : block.shows
            let cells = shows.contains { $0.hasPrefix("metrics ") } ? CellSummary.summarize(plan, bundle.outcomes) : []
            for show in shows {
                if show == "findings" {
                    output += "\n" + Self.section("Headline findings", of: report)
                } else if show.hasPrefix("section ") {
                    let heading = String(show.dropFirst(8))
                    let body = Self.section(heading, of: report)
                    guard !body.isEmpty else {
                        StandardError.write("error: \(location): the report has no section '\(heading)'; sections: \(Self.headings(report).joined(separator: "; "))\n")
                        throw ExitStatus.dataError.code
                    }
                    output += "\n#### \(heading)\n\n" + body
                } else if show == "figures" || show.hasPrefix("figure ") {
                    let wanted = show == "figures" ? plan.report.figures.map(\.name) : [String(show.dropFirst(7))]
                    for name in wanted {
                        guard let figure = rendered.first(where: { $0.path == "figures/\(name).svg" }),
                              let spec = plan.report.figures.first(where: { $0.name == name }) else {
                            StandardError.write("error: \(location): no figure '\(name)'; figures: \(plan.report.figures.map(\.name).joined(separator: ", "))\n")
                            throw ExitStatus.dataError.code
                        }
                        figures.append(("\(figuresFolder)/\(prefix)\(name).svg", figure.contents))
                        output += "\n![\(spec.title)](figures/\(prefix)\(name).svg)\n"
                    }
                } else {
                    let names = show.dropFirst(8).split(separator: " ").map(String.init)
                    let known = Set(cells.flatMap { $0.finals.flatMap(\.keys) })
                    if let unknown = names.first(where: { !known.contains($0) }) {
                        StandardError.write("error: \(location): no metric '\(unknown)' in this scenario's results\n")
                        throw ExitStatus.dataError.code
                    }
                    output += "\n| configuration | " + names.map { "`\($0)`" }.joined(separator: " | ") + " |\n"
                    output += "|---|" + names.map { _ in "---:|" }.joined() + "\n"
                    for cell in cells {
                        output += "| \(cell.label) | " + names.map { cell.estimate($0).text() }.joined(separator: " | ") + " |\n"
                    }
                }
            }
            outputs.append(output.hasSuffix("\n") ? String(output.dropLast()) : output)
        }
        let updated = notebook.rendered(outputs: outputs)
        var changed: [String] = []
        if updated != text {
            changed.append(path)
            if check { print("--- \(path)\n+++ \(path) (re-run)\n" + Notebook.diff(text, updated)) }
        }
        let existing = ((try? FileManager.default.contentsOfDirectory(atPath: figuresFolder)) ?? [])
            .filter { $0.hasPrefix("\(stem)-") && $0.hasSuffix(".svg") }.map { "\(figuresFolder)/\($0)" }
        for figure in figures where FileManager.default.contents(atPath: figure.path).map({ String(decoding: $0, as: UTF8.self) }) != figure.contents {
            changed.append(figure.path)
        }
        let obsolete = existing.filter { file in !figures.contains { $0.path == file } }
        changed += obsolete
        guard !check else { return changed }
        do {
            try FileManager.default.createDirectory(atPath: figuresFolder, withIntermediateDirectories: true)
            for figure in figures { try Data(figure.contents.utf8).write(to: URL(fileURLWithPath: figure.path), options: .atomic) }
            for file in obsolete { try FileManager.default.removeItem(atPath: file) }
            if updated != text { try Data(updated.utf8).write(to: url, options: .atomic) }
        } catch {
            StandardError.write("error: cannot write \(path) or its figures: \(error.localizedDescription)\n")
            throw ExitStatus.cannotCreate.code
        }
        print(changed.isEmpty ? "\(path): unchanged" : "\(path): updated (\(changed.count) files)")
        return []
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
