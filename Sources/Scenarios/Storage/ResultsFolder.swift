import Schema
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The results-folder contract, enforced here and nowhere else:
///
/// - `simulate` writes only inside a results folder it creates; the path must not be empty, the root,
///   the working directory or one of its parents, the home folder, or the scenario's folder.
/// - It replaces or deletes only files it wrote itself: those its `manifest.json` lists, with the same
///   size and SHA-256. Any other file in the way is a refusal that names it, never a deletion.
/// - One writer at a time (`FolderLock`, held by the caller); temporary files and folders are named
///   `.<name>.<purpose>.<pid>@<host>` and a later writer removes those it finds.
///
/// `replace` writes a whole new folder (staging folder, then two renames: a crash leaves the old folder
/// or the new one); `update` rewrites some files of an existing folder in place (per-file renames, with
/// a journal so that a crash in the middle leaves only files `simulate` can still recognise).
public enum ResultsFolder {
    public static let manifestName = "manifest.json"
    static let journalName = ".simulate-journal.json"
    static let stagingPurpose = "simulate-staging"
    static let retiredPurpose = "simulate-old"
    static let temporaryPurpose = "simulate-tmp"

    // MARK: - Where

    /// The absolute, symlink-resolved folder for `--out path`, after refusing paths that would put a
    /// user's own folders at stake (exit 64) or that exist as something other than a folder (exit 73).
    public static func destination(
        _ path: String, scenarioFile: String? = nil,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(StorageError) -> String {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StorageError(.badPath, "the results folder path is empty; give a folder such as --out results/run1")
        }
        let absolute = resolved(path, in: workingDirectory)
        let name = URL(fileURLWithPath: absolute).lastPathComponent
        func refuse(_ why: String) -> StorageError {
            StorageError(
                .badPath,
                "refusing to use '\(path)' as a results folder: it is \(why); simulate replaces its results folder as a whole, so give a folder of its own such as results/<name>"
            )
        }
        if absolute == "/" { throw refuse("the root folder") }
        let cwd = resolved(workingDirectory, in: "/")
        if absolute == cwd { throw refuse("the working directory") }
        if cwd.hasPrefix(absolute + "/") { throw refuse("a parent of the working directory") }
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty {
            let resolvedHome = resolved(home, in: "/")
            if absolute == resolvedHome { throw refuse("the home folder") }
            if resolvedHome.hasPrefix(absolute + "/") { throw refuse("a parent of the home folder") }
        }
        if let scenarioFile {
            let folder = URL(fileURLWithPath: resolved(scenarioFile, in: workingDirectory)).deletingLastPathComponent().path
            if absolute == folder || folder.hasPrefix(absolute + "/") { throw refuse("the folder holding the scenario file (or a parent of it)") }
        }
        let longest = WriterIdentity.current.temporaryName(base: name, purpose: stagingPurpose).utf8.count
        guard longest <= 255, name.utf8.count <= 200 else {
            throw StorageError(.badPath, "the results folder name '\(name.prefix(40))…' is too long (\(name.utf8.count) bytes; at most 200)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw StorageError(.notOurs, "\(path) exists and is not a folder; choose another --out")
        }
        return absolute
    }

    /// `path` made absolute against `directory`, with `.`/`..` removed and symbolic links resolved as
    /// far as the path exists.
    public static func resolved(_ path: String, in directory: String = FileManager.default.currentDirectoryPath) -> String {
        let absolute = URL(fileURLWithPath: path.hasPrefix("/") ? path : "\(directory)/\(path)").standardizedFileURL.path
        var existing = absolute, rest: [String] = []
        while existing != "/", realpath(existing, nil) == nil {
            rest.insert(URL(fileURLWithPath: existing).lastPathComponent, at: 0)
            existing = URL(fileURLWithPath: existing).deletingLastPathComponent().path
        }
        guard let real = realpath(existing, nil) else { return absolute }
        defer { free(real) }
        let base = String(cString: real)
        return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
    }

    // MARK: - Whose files

    /// What is at a results folder's path.
    public enum State: Equatable {
        case absent
        case empty
        /// A results folder of ours: every file in it is listed, intact, in its manifest.
        case ours(FileInventory)
    }

    /// What stands at `folder`; throws (exit 73, naming the files) unless it is absent, empty, or a
    /// results folder holding only files `simulate` wrote, unchanged.
    public static func inspect(_ folder: String) throws(StorageError) -> State {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { return .absent }
        guard isDirectory.boolValue else { throw StorageError(.notOurs, "\(folder) exists and is not a folder; choose another --out") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        if entries.isEmpty { return .empty }
        let inventory = try manifestInventory(folder)
        let problems = survey(folder, owned: [inventory] + journal(folder)).filter { $0.value != .ours }
        guard problems.isEmpty else {
            throw StorageError(
                .notOurs,
                "\(folder) holds files simulate did not write: \(describe(problems, in: folder)); "
                    + "it replaces a results folder only when every file in it is its own, so move them away or choose another --out")
        }
        return .ours(inventory)
    }

    /// The inventory in `folder/manifest.json` (exit 73 when there is none: the folder is not provably ours).
    public static func manifestInventory(_ folder: String) throws(StorageError) -> FileInventory {
        let path = "\(folder)/\(manifestName)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StorageError(
                .notOurs,
                "\(folder) exists, is not empty and has no manifest.json: it is not a simulate results folder, so it will not be replaced; choose another --out"
            )
        }
        guard let inventory = Manifest.inventory(text: String(decoding: data, as: UTF8.self)) else {
            throw StorageError(
                .notOurs,
                "\(path) does not list the files simulate wrote (it is not a simulate manifest, or one written before version 0.2), "
                    + "so simulate cannot tell its files from yours and will not replace \(folder); move it away or choose another --out")
        }
        return inventory
    }

    /// The inventory of an interrupted `update` (files it may have written), if one was left.
    static func journal(_ folder: String) -> [FileInventory] {
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(journalName)"),
            let inventory = FileInventory(text: String(decoding: data, as: UTF8.self))
        else { return [] }
        return [inventory]
    }

    /// Whether a file or folder is ours.
    public enum Ownership: Equatable {
        case ours
        /// Listed in the manifest, but its bytes differ from what was written.
        case changed
        /// Not listed: a user's file (or folder, or link).
        case foreign
    }

    /// Every entry under `folder` (relative path → ownership). Folders holding listed files are ours
    /// as folders; the manifest, the journal and our temporary files are ours by name.
    static func survey(_ folder: String, owned: [FileInventory]) -> [String: Ownership] {
        var result: [String: Ownership] = [:]
        func visit(_ relative: String) {
            let full = relative.isEmpty ? folder : "\(folder)/\(relative)"
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted() {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                let type = (try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(path)"))?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    if owned.contains(where: { $0.containsFolder(path) }) { visit(path) } else { result[path] = .foreign }
                } else if type == .typeRegular, relative.isEmpty, name == manifestName || name == journalName {
                    result[path] = .ours
                } else if type == .typeRegular, isTemporary(name) {
                    result[path] = .ours
                } else if type == .typeRegular, owned.contains(where: { $0.record(path) != nil }) {
                    let data = FileManager.default.contents(atPath: "\(folder)/\(path)") ?? Data()
                    result[path] = owned.contains { $0.matches(path, data) } ? .ours : .changed
                } else {
                    result[path] = .foreign
                }
            }
        }
        visit("")
        return result
    }

    /// "a/b (changed since simulate wrote it), c" — at most five, then a count.
    static func describe(_ problems: [String: Ownership], in folder: String) -> String {
        let sorted = problems.keys.sorted()
        let shown = sorted.prefix(5).map { path in
            "\(folder)/\(path)" + (problems[path] == .changed ? " (changed since simulate wrote it)" : "")
        }
        return shown.joined(separator: ", ") + (sorted.count > 5 ? " and \(sorted.count - 5) more" : "")
    }
}
