import Foundation

/// The files `simulate` wrote into a results folder, each with its size, line count and SHA-256. The
/// manifest lists it under "files"; it is how `simulate` knows which files are its own (and may be
/// replaced or deleted) and whether they are still intact.
public struct FileInventory: Equatable, Sendable, Codable {
    public struct Record: Equatable, Sendable, Codable {
        public var path: String
        public var bytes: Int
        public var lines: Int
        public var sha256: String

        enum CodingKeys: String, CodingKey, CaseIterable { case path, bytes, lines, sha256 }
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
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(records)
    }

    /// Refuses an entry that is not well formed (a relative path inside the folder, sizes ≥ 0, a
    /// 64-digit SHA-256).
    public init(from decoder: any Decoder) throws {
        let records = try decoder.singleValueContainer().decode([Record].self)
        for record in records where !Self.isSafeRelativePath(record.path) || record.bytes < 0 || record.lines < 0 || record.sha256.utf8.count != 64 {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad inventory entry \(record.path)"))
        }
        self.records = records
    }

    /// The inventory as one line of JSON (the journal of an `update`).
    public var text: String { (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "[]" }

    /// An inventory read back from `text`; nil unless every entry is well formed.
    public init?(text: String) {
        guard let inventory = try? JSONDecoder().decode(FileInventory.self, from: Data(text.utf8)) else { return nil }
        self = inventory
    }

    /// A relative path with no empty, `.` or `..` component: it cannot point outside its folder.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
