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
    public static func destination(_ path: String, scenarioFile: String? = nil,
                                   workingDirectory: String = FileManager.default.currentDirectoryPath) throws(StorageError) -> String {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StorageError(.badPath, "the results folder path is empty; give a folder such as --out results/run1")
        }
        let absolute = resolved(path, in: workingDirectory)
        let name = URL(fileURLWithPath: absolute).lastPathComponent
        func refuse(_ why: String) -> StorageError {
            StorageError(.badPath, "refusing to use '\(path)' as a results folder: it is \(why); simulate replaces its results folder as a whole, so give a folder of its own such as results/<name>")
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
            throw StorageError(.notOurs, "\(folder) holds files simulate did not write: \(describe(problems, in: folder)); "
                               + "it replaces a results folder only when every file in it is its own, so move them away or choose another --out")
        }
        return .ours(inventory)
    }

    /// The inventory in `folder/manifest.json` (exit 73 when there is none: the folder is not provably ours).
    public static func manifestInventory(_ folder: String) throws(StorageError) -> FileInventory {
        let path = "\(folder)/\(manifestName)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StorageError(.notOurs, "\(folder) exists, is not empty and has no manifest.json: it is not a simulate results folder, so it will not be replaced; choose another --out")
        }
        guard let manifest = try? JSONParser.parse(String(decoding: data, as: UTF8.self)), manifest["tool"] == .string("simulate"),
              let listed = manifest["files"], let inventory = FileInventory(json: listed) else {
            throw StorageError(.notOurs, "\(path) does not list the files simulate wrote (it is not a simulate manifest, or one written before version 0.2), "
                               + "so simulate cannot tell its files from yours and will not replace \(folder); move it away or choose another --out")
        }
        return inventory
    }

    /// The inventory of an interrupted `update` (files it may have written), if one was left.
    static func journal(_ folder: String) -> [FileInventory] {
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(journalName)"),
              let json = try? JSONParser.parse(String(decoding: data, as: UTF8.self)), let inventory = FileInventory(json: json) else { return [] }
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

    /// Whether `name` is a temporary file's name made by `writeAtomically`.
    public static func isTemporary(_ name: String) -> Bool {
        WriterIdentity.parse(temporaryName: name, purpose: temporaryPurpose) != nil
    }

    /// The results-folder names in `parent` that interrupted writers left something beside: staging
    /// or retired folders, or a lock file (for `simulate clean`).
    public static func namesWithDebris(in parent: String) -> [String] {
        var names: Set<String> = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
            for purpose in [stagingPurpose, retiredPurpose] {
                if let (base, _) = WriterIdentity.parse(temporaryName: entry, purpose: purpose) { names.insert(base) }
            }
            if let base = FolderLock.folderName(ofLockFile: entry) { names.insert(base) }
        }
        return names.sorted()
    }

    /// Removes temporary files in `folder` whose writer (on this host) is no longer running: what a
    /// killed writer of a shared folder, such as the run cache, left. Returns what was removed.
    @discardableResult
    public static func removeDeadTemporaries(in folder: String) -> [String] {
        var removed: [String] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            guard let (_, writer) = WriterIdentity.parse(temporaryName: entry, purpose: temporaryPurpose), !writer.mayBeAlive,
                  (try? FileManager.default.removeItem(atPath: "\(folder)/\(entry)")) != nil else { continue }
            removed.append("\(folder)/\(entry)")
        }
        return removed
    }

    // MARK: - Writing

    /// Writes `files` (the manifest among them, listing the others) as the folder `folder`, replacing
    /// what is there if `inspect` allows it. The caller holds `folder`'s lock.
    public static func replace(_ folder: String, with files: [(path: String, contents: String)], lock: FolderLock,
                               note: (String) -> Void) throws(StorageError) {
        _ = lock
        let url = URL(fileURLWithPath: folder)
        let parent = url.deletingLastPathComponent().path, name = url.lastPathComponent
        removeDebris(beside: folder, note: note)
        let state = try inspect(folder)
        let me = WriterIdentity.current
        let staging = "\(parent)/\(me.temporaryName(base: name, purpose: stagingPurpose))"
        let retired = "\(parent)/\(me.temporaryName(base: name, purpose: retiredPurpose))"
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for file in manifestLast(files) {
                let url = URL(fileURLWithPath: "\(staging)/\(file.path)")
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
        } catch {
            try? fileManager.removeItem(atPath: staging)
            throw StorageError(.cannotWrite, "cannot write \(folder): \(error.localizedDescription)")
        }
        if state != .absent {
            guard rename(folder, retired) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fileManager.removeItem(atPath: staging)
                throw StorageError(.cannotWrite, "cannot replace \(folder): \(reason)")
            }
        }
        guard rename(staging, folder) == 0 else {
            let reason = String(cString: strerror(errno))
            if state != .absent { _ = rename(retired, folder) }
            try? fileManager.removeItem(atPath: staging)
            throw StorageError(.cannotWrite, "cannot write \(folder): \(reason)")
        }
        if state != .absent { removeRetired(retired, note: note) }
    }

    /// Rewrites `files` inside the existing results folder `folder` (whose manifest lists `previous`),
    /// keeping every file `simulate` did not write, and deletes the files `previous` lists that `files`
    /// no longer has. A file in the way that is not ours (or changed since) is a refusal (exit 73).
    public static func update(_ folder: String, with files: [(path: String, contents: String)], previous: FileInventory,
                              lock: FolderLock, note: (String) -> Void) throws(StorageError) {
        _ = lock
        removeDebris(beside: folder, note: note)
        let owned = [previous] + journal(folder)
        let fileManager = FileManager.default
        let survey = survey(folder, owned: owned)
        var blocked: [String: Ownership] = [:]
        var writes: [(path: String, contents: String)] = []
        for file in manifestLast(files) {
            let existing = fileManager.contents(atPath: "\(folder)/\(file.path)")
            if existing == Data(file.contents.utf8) { continue }
            if existing != nil || fileManager.fileExists(atPath: "\(folder)/\(file.path)") {
                if let status = survey[file.path], status != .ours { blocked[file.path] = status }
            }
            // A parent path that is a user's file (figures as a file, say) is in the way too.
            var prefix = ""
            for component in file.path.split(separator: "/").dropLast() {
                prefix += prefix.isEmpty ? String(component) : "/\(component)"
                if let status = survey[prefix], status != .ours { blocked[prefix] = status }
            }
            writes.append(file)
        }
        let kept = Set(files.map(\.path))
        let obsolete = previous.records.map(\.path).filter { !kept.contains($0) && fileManager.fileExists(atPath: "\(folder)/\($0)") }
        for path in obsolete where survey[path] != .ours { blocked[path] = survey[path] ?? .foreign }
        guard blocked.isEmpty else {
            throw StorageError(.notOurs, "simulate would have to replace or delete \(describe(blocked, in: folder)), which it did not write; "
                               + "move them away (or restore them) and try again")
        }
        let newInventory = FileInventory(files: files.filter { $0.path != manifestName })
        do {
            try writeAtomically(newInventory.json.serialized(indent: nil), to: "\(folder)/\(journalName)")
            for file in writes {
                let url = URL(fileURLWithPath: "\(folder)/\(file.path)")
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try writeAtomically(file.contents, to: url.path)
            }
            for path in obsolete {
                try fileManager.removeItem(atPath: "\(folder)/\(path)")
                removeEmptyParents(of: path, in: folder, keeping: newInventory)
            }
            try fileManager.removeItem(atPath: "\(folder)/\(journalName)")
        } catch {
            throw StorageError(.cannotWrite, "cannot write \(folder): \(error.localizedDescription)")
        }
    }

    /// Writes `contents` to `path` through a temporary file beside it and a rename.
    public static func writeAtomically(_ contents: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(WriterIdentity.current.temporaryName(base: url.lastPathComponent, purpose: temporaryPurpose))
        try Data(contents.utf8).write(to: temporary)
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw StorageError(.cannotWrite, "cannot write \(path): \(reason)")
        }
    }

    /// The manifest is written last, so a folder with a manifest is complete.
    static func manifestLast(_ files: [(path: String, contents: String)]) -> [(path: String, contents: String)] {
        files.filter { $0.path != manifestName } + files.filter { $0.path == manifestName }
    }

    // MARK: - Debris

    /// Removes what interrupted writers left beside `folder` (staging and retired folders named for it)
    /// and inside it (temporary files, a journal's leftovers are kept until the next update). A retired
    /// folder is put back when the folder itself is missing (a kill between the two renames). Call with
    /// the folder's lock held: no other writer can then be using them. Returns what was removed.
    @discardableResult
    public static func removeDebris(beside folder: String, note: (String) -> Void) -> [String] {
        let url = URL(fileURLWithPath: folder)
        let parent = url.deletingLastPathComponent().path, name = url.lastPathComponent
        let fileManager = FileManager.default
        var removed: [String] = []
        let entries = ((try? fileManager.contentsOfDirectory(atPath: parent)) ?? []).sorted()
        for entry in entries where WriterIdentity.parse(temporaryName: entry, base: name, purpose: retiredPurpose) != nil {
            let path = "\(parent)/\(entry)"
            if !fileManager.fileExists(atPath: folder), fileManager.fileExists(atPath: "\(path)/\(manifestName)"), rename(path, folder) == 0 {
                note("note: restored \(folder) from \(entry), left by an interrupted run")
                continue
            }
            removeRetired(path, note: note)
            removed.append(path)
        }
        for entry in entries where WriterIdentity.parse(temporaryName: entry, base: name, purpose: stagingPurpose) != nil
            || legacyLeftover(entry, of: name) == "staging" {
            let path = "\(parent)/\(entry)"
            if (try? fileManager.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        for entry in entries where legacyLeftover(entry, of: name) == "old" {
            let path = "\(parent)/\(entry)"
            if !fileManager.fileExists(atPath: folder), fileManager.fileExists(atPath: "\(path)/\(manifestName)"), rename(path, folder) == 0 {
                note("note: restored \(folder) from \(entry), left by an interrupted run of an earlier simulate")
                continue
            }
            for file in ((try? fileManager.subpathsOfDirectory(atPath: path)) ?? []) where isLegacyResultFile(file) {
                try? fileManager.removeItem(atPath: "\(path)/\(file)")
            }
            for folder in ((try? fileManager.subpathsOfDirectory(atPath: path)) ?? []).sorted(by: >) { rmdir("\(path)/\(folder)") }
            if rmdir(path) == 0 { removed.append(path) } else { note("warning: kept \(path): it holds files simulate did not write") }
        }
        for entry in (try? fileManager.subpathsOfDirectory(atPath: folder)) ?? [] where isTemporary(URL(fileURLWithPath: entry).lastPathComponent) {
            if (try? fileManager.removeItem(atPath: "\(folder)/\(entry)")) != nil { removed.append("\(folder)/\(entry)") }
        }
        if !removed.isEmpty { note("note: removed \(removed.count) leftover\(removed.count == 1 ? "" : "s") of interrupted runs beside \(folder)") }
        return removed
    }

    /// "staging" or "old" for what simulate before 0.2 left (`.<name>.staging-<pid>-<µs>`,
    /// `.<name>.old-<pid>-<µs>`), else nil. Those had no inventory: a staging folder held only its
    /// files, but an old folder may hold a user's, so only `isLegacyResultFile` names are removed from it.
    static func legacyLeftover(_ entry: String, of name: String) -> String? {
        for kind in ["staging", "old"] {
            let prefix = ".\(name).\(kind)-"
            guard entry.hasPrefix(prefix) else { continue }
            let parts = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) { return kind }
        }
        return nil
    }

    /// The files simulate before 0.2 wrote into a results folder.
    static func isLegacyResultFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        if parts.count == 1 {
            return ["report.md", "summary.csv", "aggregate.csv", "metrics.csv", "neurons.csv", "reliability.csv",
                    "scenario.resolved.json", manifestName].contains(path)
        }
        return parts.count == 2 && (parts[0] == "figures" && parts[1].hasSuffix(".svg") || parts[0] == "tables" && parts[1].hasSuffix(".tex"))
    }

    /// Deletes a retired results folder file by file — only what its manifest lists (intact), its
    /// manifest, journal and temporary files — then its emptied folders. Anything else is left, with a note.
    static func removeRetired(_ path: String, note: (String) -> Void) {
        let fileManager = FileManager.default
        let inventory = (try? manifestInventory(path)) ?? FileInventory(records: [])
        for (entry, status) in survey(path, owned: [inventory] + journal(path)) where status == .ours && entry != manifestName {
            try? fileManager.removeItem(atPath: "\(path)/\(entry)")
        }
        for folder in ((try? fileManager.subpathsOfDirectory(atPath: path)) ?? []).sorted(by: >) {
            rmdir("\(path)/\(folder)")
        }
        let left = (try? fileManager.contentsOfDirectory(atPath: path)) ?? []
        if left == [manifestName] { try? fileManager.removeItem(atPath: "\(path)/\(manifestName)") }
        if rmdir(path) != 0, fileManager.fileExists(atPath: path) {
            let foreign = survey(path, owned: [inventory]).filter { $0.key != manifestName }
            note("warning: kept \(path): it holds files simulate did not write (\(describe(foreign, in: path)))")
        }
    }

    /// Removes the now-empty folders above a deleted file that no listed file needs.
    static func removeEmptyParents(of path: String, in folder: String, keeping inventory: FileInventory) {
        var components = path.split(separator: "/").map(String.init).dropLast()
        while !components.isEmpty {
            let relative = components.joined(separator: "/")
            guard !inventory.containsFolder(relative), rmdir("\(folder)/\(relative)") == 0 else { return }
            components = components.dropLast()
        }
    }
}
