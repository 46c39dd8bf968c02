/// RFC 4180 CSV text with LF line endings. Numbers are written with Swift's shortest round-trip form
/// (`0.1`, `1e-07`, `nan`, `inf`), which pandas and R read back exactly.
public struct CSVTable {
    public let header: [String]
    public private(set) var text: String

    public init(header: [String]) {
        self.header = header
        text = ""
        append(header)
    }

    /// Appends a row of already formatted fields.
    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.quoted).joined(separator: ",")
        text += "\n"
    }

    /// A field, quoted when it holds a comma, quote, CR or LF (checked on UTF-8 bytes: "\r\n" is one Character).
    public static func quoted(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The CSV form of a number.
    public static func number(_ value: Double) -> String {
        value.description
    }
}

import Foundation
