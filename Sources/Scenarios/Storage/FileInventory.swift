import Schema
import Foundation

/// The files `simulate` wrote into a results folder, each with its size, line count and SHA-256. The
/// manifest lists it under "files"; it is how `simulate` knows which files are its own (and may be
/// replaced or deleted) and whether they are still intact.
public struct FileInventory: Equatable, Sendable {
    public struct Record: Equatable, Sendable {
        public var path: String
        public var bytes: Int
        public var lines: Int
        public var sha256: String
    }

    public var records: [Record]

    public init(records: [Record]) { self.records = records }

    /// The inventory of files about to be written (relative path → contents).
    public init(files: [(path: String, contents: String)]) {
        records = files.map { file in
            let bytes = Array(file.contents.utf8)
            return Record(path: file.path, bytes: bytes.count, lines: bytes.count { $0 == 0x0A }, sha256: SHA256.hex(bytes))
        }
    }

    public func record(_ path: String) -> Record? { records.first { $0.path == path } }

    /// Whether `data` is the file this inventory lists at `path`.
    public func matches(_ path: String, _ data: Data) -> Bool {
        guard let record = record(path), record.bytes == data.count else { return false }
        return SHA256.hex(data) == record.sha256
    }

    /// Whether some listed file lies under the folder `path`.
    public func containsFolder(_ path: String) -> Bool { records.contains { $0.path.hasPrefix(path + "/") } }

    /// `[{"path": ..., "bytes": ..., "lines": ..., "sha256": ...}, ...]`
    public var json: JSONValue {
        .array(records.map { record in
            .object([("path", .string(record.path)), ("bytes", .integer(record.bytes)), ("lines", .integer(record.lines)),
                     ("sha256", .string(record.sha256))])
        })
    }

    /// Reads `json` back; nil unless every entry is well formed (a relative path inside the folder).
    public init?(json: JSONValue) {
        guard case let .array(items) = json else { return nil }
        var records: [Record] = []
        for item in items {
            guard case let .string(path)? = item["path"], case let .number(bytes, _)? = item["bytes"],
                  case let .number(lines, _)? = item["lines"], case let .string(sha)? = item["sha256"],
                  Self.isSafeRelativePath(path), bytes >= 0, lines >= 0, bytes < 1e15, lines < 1e15,
                  sha.utf8.count == 64 else { return nil }
            records.append(Record(path: path, bytes: Int(bytes), lines: Int(lines), sha256: sha))
        }
        self.records = records
    }

    /// A relative path with no empty, `.` or `..` component: it cannot point outside its folder.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
