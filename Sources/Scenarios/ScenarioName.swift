/// A scenario's name is the name of its results folder (`results/<name>`), so it is checked as a
/// portable file name before anything runs: letters, digits, `-`, `_` and `.`, starting with a letter
/// or digit (so never `.`, `..`, a hidden name or an option), at most `maximumLength` bytes.
public enum ScenarioName {
    /// Leaves room, within a file system's 255-byte names, for the lock and staging names built on it.
    public static let maximumLength = 128

    /// What is wrong with `name` as a scenario name, or nil.
    public static func problem(_ name: String) -> String? {
        let allowed = "use letters, digits, '-', '_' and '.', starting with a letter or digit (it names the results folder)"
        guard let first = name.utf8.first else { return "the name is empty; \(allowed)" }
        guard name.utf8.count <= maximumLength else {
            return "'\(name.prefix(32))…' is \(name.utf8.count) bytes long; at most \(maximumLength) are allowed (it names the results folder)"
        }
        guard isAlphanumeric(first), name.utf8.allSatisfy({ isAlphanumeric($0) || "-_.".utf8.contains($0) }) else {
            return "'\(name)' is not allowed; \(allowed)"
        }
        return nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
