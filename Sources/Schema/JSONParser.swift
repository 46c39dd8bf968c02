import Foundation

/// A strict JSON parser (RFC 8259: no trailing commas, no comments, no duplicate keys) that reports
/// the line and column of the first error.
public struct JSONParser {
    /// A syntax error at a 1-based line and column.
    public struct SyntaxError: Error, Equatable, Sendable {
        public let line: Int
        public let column: Int
        public let message: String
        /// The offending line (at most `contextCharacters` either side of the error), for a caret display.
        public let sourceLine: String
        /// Characters of `sourceLine` before the error (where the caret goes).
        public let caretOffset: Int
    }

    private let bytes: [UInt8]
    private var position = 0

    /// A leading byte-order mark (as some Windows editors write) is skipped.
    private init(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(utf8.dropFirst(3)) : utf8
    }

    /// Parses a whole document.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(text)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < parser.bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// At most this many characters of the offending line are shown either side of the error.
    static let contextCharacters = 60

    private func error(_ message: String, at offset: Int? = nil) -> SyntaxError {
        let at = min(offset ?? position, bytes.count)
        let (line, lineStart) = bytes.withUnsafeBufferPointer { buffer in
            var line = 1, lineStart = 0
            for i in 0..<at where buffer[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            return (line, lineStart)
        }
        var lineEnd = at
        while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        // Columns count characters (UTF-8 lead bytes), computed on bytes: a one-line 50 MB file costs
        // one pass. Only a window of the line around the error is shown, with control characters as
        // their Unicode pictures (a NUL byte as ␀).
        func isLead(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }
        let column = bytes.withUnsafeBufferPointer { buffer in
            var count = 1
            for i in lineStart..<at where buffer[i] & 0xC0 != 0x80 { count += 1 }
            return count
        }
        var from = at, shown = 0
        while from > lineStart && shown < Self.contextCharacters {
            from -= 1
            if isLead(bytes[from]) { shown += 1 }
        }
        var to = at, ahead = 0
        while to < lineEnd && ahead <= Self.contextCharacters {
            to += 1
            if to == lineEnd || isLead(bytes[to]) { ahead += 1 }
        }
        let cutBefore = from > lineStart, cutAfter = to < lineEnd
        let source =
            (cutBefore ? "…" : "") + Self.printable(String(decoding: bytes[from..<at], as: UTF8.self))
            + Self.printable(String(decoding: bytes[at..<to], as: UTF8.self)) + (cutAfter ? "…" : "")
        return SyntaxError(
            line: line, column: column, message: message, sourceLine: source,
            caretOffset: String(decoding: bytes[from..<at], as: UTF8.self).count + (cutBefore ? 1 : 0))
    }

    /// Text with C0 control characters (and DEL) replaced by their Unicode control pictures.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    if scalar.value < 0x20 { return Unicode.Scalar(0x2400 + scalar.value) ?? "?" }
                    return scalar.value == 0x7F ? "\u{2421}" : scalar
                }))
    }

    /// A byte in a message: the character if printable ASCII, else its hex code.
    static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
    }

    private mutating func expect(_ literal: String, value: JSONValue) throws(SyntaxError) -> JSONValue {
        let start = position
        for byte in literal.utf8 {
            guard current == byte else { throw error("invalid literal (expected \(literal))", at: start) }
            position += 1
        }
        return value
    }

    private mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
        guard depth < 200 else { throw error("nesting deeper than 200 levels") }
        guard let c = current else { throw error("unexpected end of file; expected a value") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(Self.describe(c)); expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object([])
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw error(current == nil ? "unexpected end of file in an object" : "expected a key in double quotes")
            }
            let keyStart = position
            let key = try parseString()
            guard keys.insert(key).inserted else { throw error("duplicate key \"\(Self.printable(String(key.prefix(80))))\"", at: keyStart) }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                throw error(current == nil ? "unexpected end of file in an object" : "expected ',' or '}' after a value")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            case UInt8(ascii: "]"):
                position += 1
                return .array(items)
            default:
                throw error(current == nil ? "unexpected end of file in an array" : "expected ',' or ']' after a value")
            }
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        let start = position
        position += 1
        var text = ""
        var raw: [UInt8] = []
        func flush() {
            if !raw.isEmpty {
                text += String(decoding: raw, as: UTF8.self)
                raw.removeAll()
            }
        }
        while true {
            guard let c = current else { throw error("unterminated string", at: start) }
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                flush()
                return text
            case UInt8(ascii: "\\"):
                flush()
                guard let e = current else { throw error("unterminated string", at: start) }
                position += 1
                switch e {
                case UInt8(ascii: "\""): text.unicodeScalars.append("\"")
                case UInt8(ascii: "\\"): text.unicodeScalars.append("\\")
                case UInt8(ascii: "/"): text.unicodeScalars.append("/")
                case UInt8(ascii: "b"): text.unicodeScalars.append("\u{08}")
                case UInt8(ascii: "f"): text.unicodeScalars.append("\u{0C}")
                case UInt8(ascii: "n"): text.unicodeScalars.append("\n")
                case UInt8(ascii: "r"): text.unicodeScalars.append("\r")
                case UInt8(ascii: "t"): text.unicodeScalars.append("\t")
                case UInt8(ascii: "u"):
                    let code = try hexEscape()
                    if (0xD800..<0xDC00).contains(code) {
                        // A UTF-16 surrogate pair, as Python's json.dump writes non-BMP characters.
                        guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error(
                                String(format: "lone surrogate \\u%04X (a high surrogate must be followed by a low one)", code), at: position - 6)
                        }
                        position += 2
                        let low = try hexEscape()
                        guard (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)) else {
                            throw error(String(format: "\\u%04X is not a low surrogate after \\u%04X", low, code), at: position - 6)
                        }
                        text.unicodeScalars.append(scalar)
                    } else if let scalar = Unicode.Scalar(code) {
                        text.unicodeScalars.append(scalar)
                    } else {
                        throw error(String(format: "lone surrogate \\u%04X (it must follow a high surrogate)", code), at: position - 6)
                    }
                default: throw error("invalid escape \\ then \(Self.describe(e))", at: position - 2)
                }
            case 0..<0x20:
                throw error("control character in a string (use \\n, \\t, ...)", at: position - 1)
            default:
                raw.append(c)
                // Plain bytes up to the next quote, backslash or control character, in one go.
                let end = bytes.withUnsafeBufferPointer { buffer in
                    var end = position
                    while end < buffer.count, buffer[end] != UInt8(ascii: "\""), buffer[end] != UInt8(ascii: "\\"), buffer[end] >= 0x20 { end += 1 }
                    return end
                }
                raw.append(contentsOf: bytes[position..<end])
                position = end
            }
        }
    }

    /// The four hex digits after `\\u`.
    private mutating func hexEscape() throws(SyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count, bytes[position..<(position + 4)].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
            let code = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape (four hex digits must follow)", at: position - 2) }
        position += 4
        return code
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONValue {
        let start = position
        func digits() -> Int {
            var count = 0
            while let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                position += 1
                count += 1
            }
            return count
        }
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
            if let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                throw error("numbers may not have leading zeros", at: start)
            }
        } else if digits() == 0 {
            throw error("invalid number", at: start)
        }
        if current == UInt8(ascii: ".") {
            position += 1
            if digits() == 0 { throw error("expected digits after '.'", at: start) }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            if digits() == 0 { throw error("expected digits in the exponent", at: start) }
        }
        let literal = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(literal), value.isFinite else { throw error("number out of range", at: start) }
        return .number(value, literal: literal)
    }
}
