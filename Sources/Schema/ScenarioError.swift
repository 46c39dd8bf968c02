/// A problem with a scenario file or its use, with what a user needs to fix it.
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The file is not valid JSON (exit 65).
        case syntax
        /// The JSON does not describe a valid scenario (exit 65).
        case invalid
        /// No such scenario file, or it cannot be read (exit 64: a usage error).
        case notFound
        /// A bad command-line override (`--set`) (exit 64).
        case usage
    }

    public var kind: Kind
    /// The scenario file.
    public var file: String
    /// Field path such as `training.optimizer.lr` (empty for the whole document).
    public var path: String
    public var message: String

    public init(_ kind: Kind, file: String = "", path: String = "", _ message: String) {
        self.kind = kind
        self.file = file
        self.path = path
        self.message = message
    }

    /// sysexits(3): 64 (EX_USAGE) for a missing file, 65 (EX_DATAERR) for bad content.
    public var exitCode: Int32 { kind == .notFound || kind == .usage ? 64 : 65 }

    /// At most this many characters of the message (and of the path) are printed: a message that
    /// echoes a huge value, or a path through a huge key, stays readable.
    public static let printedLimit = 600

    public var description: String {
        let location = [file, Self.bounded(path, limit: 200)].filter { !$0.isEmpty }.joined(separator: ": ")
        let text = Self.bounded(message, limit: Self.printedLimit)
        return location.isEmpty ? text : "\(location): \(text)"
    }

    /// `text` with control characters shown as their Unicode pictures (a NUL byte as ␀; newlines and
    /// tabs kept) and cut at `limit` characters, saying how many more there were.
    static func bounded(_ text: String, limit: Int) -> String {
        let printable = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.value < 0x20 && scalar != "\n" && scalar != "\t" ? Unicode.Scalar(0x2400 + scalar.value) ?? "?" : scalar
                }))
        guard printable.count > limit else { return printable }
        return String(printable.prefix(limit)) + "… (\(printable.count - limit) more characters)"
    }

    /// The same error, located in `file`.
    package func inFile(_ file: String) -> ScenarioError {
        var copy = self
        copy.file = file
        return copy
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
package func nearest(_ word: String, in candidates: [String]) -> String? {
    guard word.count <= 64 else { return nil }  // no typo of a field name is that long
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

/// Levenshtein distance.
package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count), current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// "did you mean 'x'?" or the list of allowed names.
package func suggestion(for word: String, in candidates: [String]) -> String {
    if let match = nearest(word, in: candidates) { return "did you mean '\(match)'?" }
    return "allowed: " + candidates.map { "'\($0)'" }.joined(separator: ", ")
}
