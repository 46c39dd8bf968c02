import ArgumentParser
import Foundation
import Reports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render a results folder's report, figures and tables from its CSVs, without running anything.",
        discussion: "Edit the \"report\" block of <folder>/scenario.resolved.json (figures: kind, x, y, filter, log_y) and re-render. The CSVs and manifest are kept as they are.")

    @Argument(help: "A results folder written by `simulate run`.")
    var folder: String

    @Flag(help: "Do not write; exit 1 if re-rendering would change any file, listing which.")
    var check = false

    func run() throws {
        let bundle: ResultsBundle
        do {
            bundle = try ResultsLoader.load(folder)
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(error.exitCode)
        }
        let rendered = bundle.renderedFiles
        let existing = Set(((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasPrefix("figures/") && $0.hasSuffix(".svg") || $0.hasPrefix("tables/") && $0.hasSuffix(".tex") || $0 == "report.md"
        })
        let changed = rendered.filter { file in
            FileManager.default.contents(atPath: "\(folder)/\(file.path)").map { String(decoding: $0, as: UTF8.self) } != file.contents
        }.map(\.path) + existing.subtracting(rendered.map(\.path)).sorted()
        if check {
            if changed.isEmpty { print("\(folder): report, figures and tables are up to date") ; return }
            StandardError.write("\(folder): re-rendering would change " + changed.joined(separator: ", ") + "\n")
            throw ExitCode(1)
        }
        var files = rendered
        for name in ResultsBundle.dataFileNames {
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)") else { continue }
            files.append((name, String(decoding: data, as: UTF8.self)))
        }
        do {
            try OutputFolder.write(files, to: folder)
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(73)
        }
        print(changed.isEmpty ? "\(folder)/report.md (unchanged)" : "\(folder)/report.md (re-rendered: \(changed.count) files changed)")
    }
}
