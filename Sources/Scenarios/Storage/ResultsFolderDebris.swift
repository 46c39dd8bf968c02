import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// What interrupted writers leave (staging and retired folders, temporary files, leftovers of simulate
/// before 0.2), how it is recognised, and how it is removed without touching anything else.
extension ResultsFolder {
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
                (try? FileManager.default.removeItem(atPath: "\(folder)/\(entry)")) != nil
            else { continue }
            removed.append("\(folder)/\(entry)")
        }
        return removed
    }

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
        for entry in entries
        where WriterIdentity.parse(temporaryName: entry, base: name, purpose: stagingPurpose) != nil
            || legacyLeftover(entry, of: name) == "staging"
        {
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
            return [
                "report.md", "summary.csv", "aggregate.csv", "metrics.csv", "neurons.csv", "reliability.csv",
                "scenario.resolved.json", manifestName,
            ].contains(path)
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
