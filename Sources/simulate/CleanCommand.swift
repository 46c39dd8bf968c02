import ArgumentParser
import Foundation
import Scenarios

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove what interrupted runs left: staging and retired folders, stale locks, temporary cache files.",
        discussion: """
            Every run already does this for its own results folder. Only leftovers named by simulate \
            (.<name>.simulate-staging.<pid>@<host>, .<name>.simulate-old.<pid>@<host>, .<name>.simulate-lock, \
            *.simulate-tmp.<pid>@<host>) are touched, and only when no simulate is writing that folder.
            """)

    @Argument(help: "Results folders, or folders holding results folders (default: results).")
    var folders: [String] = []

    func run() throws {
        var busy = 0, removed = 0
        for given in folders.isEmpty ? ["results"] : folders {
            let path = ResultsFolder.resolved(given)
            // A folder holding results folders (results/), or a results folder itself.
            let parents = [path, URL(fileURLWithPath: path).deletingLastPathComponent().path]
            var targets: [String] = []
            for parent in parents {
                targets += ResultsFolder.namesWithDebris(in: parent).map { "\(parent)/\($0)" }
            }
            if FileManager.default.fileExists(atPath: "\(path)/\(ResultsFolder.manifestName)") { targets.append(path) }
            for target in Set(targets).sorted() {
                do {
                    let lock = try FolderLock.acquire(target, note: ResultsFolderAccess.note)
                    removed += ResultsFolder.removeDebris(beside: target, note: ResultsFolderAccess.note).count
                    lock.release()
                } catch {
                    StandardError.write("skipped \(target): \(error)\n")
                    busy += 1
                }
            }
            for parent in parents {
                removed += ResultsFolder.removeDeadTemporaries(in: RunCache.directory(in: parent)).count
            }
        }
        print(
            "removed \(removed) leftover\(removed == 1 ? "" : "s")" + (busy > 0 ? "; \(busy) folder\(busy == 1 ? " is" : "s are") being written" : "")
        )
        if busy > 0 { throw ExitStatus.busy.code }
    }
}
