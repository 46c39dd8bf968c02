import Foundation

/// Writes a set of files as one unit: everything goes to a hidden staging folder beside the target,
/// which then replaces the target. A crash leaves either the old folder or the new one, never a mix.
public enum OutputFolder {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Fails unless `directory` is absent, an empty folder, or a previous results folder (it holds a
    /// `manifest.json` written by simulate): the output folder is replaced as a whole, so it must never
    /// be a user's own folder. Call before running anything.
    public static func checkReplaceable(_ directory: String) throws(WriteError) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw WriteError(description: "\(directory) exists and is a file; choose another --out")
        }
        let entries = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
        let manifest = fileManager.contents(atPath: "\(directory)/manifest.json").map { String(decoding: $0, as: UTF8.self) }
        guard entries.isEmpty || manifest?.contains("\"tool\": \"simulate\"") == true else {
            throw WriteError(description: "\(directory) exists and is not a simulate results folder (no manifest.json); "
                             + "it would be replaced, so choose another --out")
        }
    }

    /// Writes `files` (relative path → contents) as the folder `directory`, replacing it.
    public static func write(_ files: [(path: String, contents: String)], to directory: String) throws(WriteError) {
        try checkReplaceable(directory)
        let fileManager = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).staging-\(token)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(token)")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
            if fileManager.fileExists(atPath: target.path) {
                try fileManager.moveItem(at: target, to: retired)
            }
            try fileManager.moveItem(at: staging, to: target)
            try? fileManager.removeItem(at: retired)
        } catch {
            try? fileManager.removeItem(at: staging)
            if !fileManager.fileExists(atPath: target.path), fileManager.fileExists(atPath: retired.path) {
                try? fileManager.moveItem(at: retired, to: target)
            }
            throw WriteError(description: "cannot write \(directory): \(error.localizedDescription)")
        }
    }
}
