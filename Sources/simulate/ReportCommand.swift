import ArgumentParser
import Foundation
import Reports
import Scenarios

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render a results folder's report, figures and tables from its CSVs, without running anything.",
        discussion: """
            Edit the "report" block of <folder>/scenario.resolved.json (figures: kind, x, y, filter, log_y) and re-render. \
            The CSVs are checked against the SHA-256 sums in manifest.json and kept as they are; files simulate did not write are kept.
            """)

    @Argument(help: "A results folder written by `simulate run`.")
    var folder: String

    @Flag(help: "Do not write; exit 1 if re-rendering would change any file, listing which.")
    var check = false

    func run() throws {
        guard !folder.trimmingCharacters(in: .whitespaces).isEmpty else {
            StandardError.write("error: the results folder path is empty\n")
            throw ExitStatus.usage.code
        }
        let path = ResultsFolder.resolved(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            StandardError.write("error: \(folder): no such results folder\n")
            throw ExitStatus.noInput.code
        }
        // --check reads only (also on a read-only folder); re-rendering holds the folder's lock.
        let lock =
            check
            ? nil
            : try ResultsFolderAccess.checked { () throws(StorageError) in
                try FolderLock.acquire(path, note: ResultsFolderAccess.note)
            }
        defer { lock?.release() }
        let bundle: ResultsBundle, inventory: FileInventory
        do {
            (bundle, inventory) = try ResultsLoader.load(path)
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(error.exitCode)
        }
        let rendered = bundle.renderedFiles
        let data = bundle.dataFiles
        let kept = Set((rendered + data).map(\.path))
        let changed =
            rendered.filter { file in
                FileManager.default.contents(atPath: "\(path)/\(file.path)").map { String(decoding: $0, as: UTF8.self) } != file.contents
            }.map(\.path) + inventory.records.map(\.path).filter { !kept.contains($0) && FileManager.default.fileExists(atPath: "\(path)/\($0)") }
        if check {
            if changed.isEmpty {
                print("\(folder): report, figures and tables are up to date")
                return
            }
            StandardError.write("\(folder): re-rendering would change " + changed.joined(separator: ", ") + "\n")
            throw ExitStatus.wouldChange.code
        }
        guard let lock else { return }
        try ResultsFolderAccess.checked { () throws(StorageError) in
            try ResultsFolder.update(
                path, with: bundle.withManifest(rendered + data), previous: inventory, lock: lock,
                note: ResultsFolderAccess.note)
        }
        print(changed.isEmpty ? "\(folder)/report.md (unchanged)" : "\(folder)/report.md (re-rendered: \(changed.count) files changed)")
    }
}
