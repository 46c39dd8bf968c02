import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Writing a results folder under the contract (`ResultsFolder`): a whole new folder, or some files
/// of an existing one.
extension ResultsFolder {
    /// Writes `files` (the manifest among them, listing the others) as the folder `folder`, replacing
    /// what is there if `inspect` allows it. The caller holds `folder`'s lock.
    public static func replace(
        _ folder: String, with files: [(path: String, contents: String)], lock: FolderLock,
        note: (String) -> Void
    ) throws(StorageError) {
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
    public static func update(
        _ folder: String, with files: [(path: String, contents: String)], previous: FileInventory,
        lock: FolderLock, note: (String) -> Void
    ) throws(StorageError) {
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
            throw StorageError(
                .notOurs,
                "simulate would have to replace or delete \(describe(blocked, in: folder)), which it did not write; "
                    + "move them away (or restore them) and try again")
        }
        let newInventory = FileInventory(files: files.filter { $0.path != manifestName })
        do {
            try writeAtomically(newInventory.text, to: "\(folder)/\(journalName)")
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
}
