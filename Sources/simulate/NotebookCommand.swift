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
        let runner: NotebookRunner
        do {
            runner = try NotebookRunner(path: path, text: String(decoding: data, as: UTF8.self))
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitStatus.dataError.code
        }
        let update: NotebookRunner.Update
        do {
            update = try runner.run { k, block in try runBlock(k, block, path: path) }
        } catch let error as NotebookRunner.ShowError {
            StandardError.write("error: \(error)\n")
            throw ExitStatus.dataError.code
        }
        if check {
            if update.changed.contains(path) { print("--- \(path)\n+++ \(path) (re-run)\n" + runner.diff(update)) }
            return update.changed
        }
        do {
            if !update.figures.isEmpty || !update.obsolete.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: path).deletingLastPathComponent()
                        .appendingPathComponent("figures").path, withIntermediateDirectories: true)
            }
            for figure in update.figures where update.changed.contains(figure.path) {
                try ResultsFolder.writeAtomically(figure.contents, to: figure.path)
            }
            for file in update.obsolete { try FileManager.default.removeItem(atPath: file) }
            if update.changed.contains(path) { try ResultsFolder.writeAtomically(update.text, to: path) }
        } catch {
            StandardError.write("error: cannot write \(path) or its figures: \(error)\n")
            throw ExitStatus.cannotCreate.code
        }
        print(update.changed.isEmpty ? "\(path): unchanged" : "\(path): updated (\(update.changed.count) files)")
        return []
    }

    /// Runs block `k`'s command (a `simulate run` command line) into its results folder under --work.
    func runBlock(_ k: Int, _ block: Notebook.Block, path: String) throws(ExitCode) -> NotebookRunner.Execution {
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
        let (scenarioPath, loaded) = try loadScenario(command.options.scenario, overrides: command.options.overrides)
        let plan = command.options.seeds.map { loaded.withSeedCount($0) } ?? loaded
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let destination = "\(work)/\(stem)/\(k + 1)-\(plan.scenario.name)"
        StandardError.write("\(location): \(plan.scenario.runs.count) runs of \(plan.scenario.name)\n")
        let (folder, lock) = try ResultsFolderAccess.claim(destination, scenarioFile: scenarioPath)
        defer { lock.release() }
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount, started = Date()
        let outcomes = executeRuns(
            plan.scenario.runs, of: plan, jobs: workers, cache: ResultsFolderAccess.cache(beside: folder), reuse: !fresh, quiet: true)
        let (bundle, rendered) = try writeResults(
            plan, outcomes: outcomes, scenarioFile: scenarioPath, destination: (folder, destination, lock), jobs: workers,
            started: started, quiet: true)
        return NotebookRunner.Execution(plan: plan.scenario, bundle: bundle, rendered: rendered)
    }
}
