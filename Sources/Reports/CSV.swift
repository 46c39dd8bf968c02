import Foundation

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

    /// Parses RFC 4180 text (quoted fields, doubled quotes, LF or CRLF) into rows of fields.
    public static func parse(_ text: String) -> [[String]] { parseNumbered(text).rows.map(\.fields) }

    /// Like `parse`, with the 1-based line on which each row starts (for error messages). A quote left
    /// open at the end of the text makes `unterminatedQuoteLine` non-nil.
    public static func parseNumbered(_ text: String) -> (rows: [(line: Int, fields: [String])], unterminatedQuoteLine: Int?) {
        var rows: [(line: Int, fields: [String])] = [], row: [String] = [], field = ""
        var quoted = false, atFieldStart = true, line = 1, rowLine = 1, quoteLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
                quoteLine = line
            case ",":
                row.append(field)
                field = ""
                atFieldStart = true
            case "\r": continue
            case "\n":
                row.append(field)
                rows.append((rowLine, row))
                row = []
                field = ""
                atFieldStart = true
                line += 1
                rowLine = line
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append((rowLine, row))
        }
        return (rows, quoted ? quoteLine : nil)
    }

    /// The CSV form of a number.
    public static func number(_ value: Double) -> String {
        value.description
    }
}
