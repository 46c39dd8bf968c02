import Foundation

/// A JSON document as parsed from a scenario file: objects keep their key order, numbers keep their
/// literal so integers and reals can be told apart.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, literal: String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a, _), .number(b, _)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// A number from a Swift value (for encoding resolved scenarios).
    public static func number(_ value: Double) -> JSONValue { .number(value, literal: value.jsonLiteral) }
    public static func integer(_ value: Int) -> JSONValue { .number(Double(value), literal: String(value)) }

    /// The JSON type's name, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case let .number(_, literal): literal.contains(where: { ".eE".contains($0) }) ? "a number" : "an integer"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as it would be written in a file (compact), for messages and CSV cells.
    public var compactText: String {
        switch self {
        case .string(let s):
            return s
        case let .object(members) where members.first?.key == "name":
            // {"name": "leaky_relu", "slope": 0.1} → leaky_relu(slope=0.1)
            let name = members[0].value.compactText
            let rest = members.dropFirst().map { "\($0.key)=\($0.value.compactText)" }
            return rest.isEmpty ? name : "\(name)(\(rest.joined(separator: ",")))"
        default:
            return serialized(indent: nil)
        }
    }

    /// The items of an array (none for other values).
    public var arrayItems: [JSONValue] {
        if case let .array(items) = self { items } else { [] }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// Sets (or adds) the value at a dotted path, creating intermediate objects.
    /// Fails when a path component crosses a non-object.
    public func setting(_ path: [String], to value: JSONValue) -> JSONValue? {
        guard let head = path.first else { return value }
        guard case var .object(members) = self else { return nil }
        if let index = members.firstIndex(where: { $0.key == head }) {
            guard let updated = members[index].value.setting(Array(path.dropFirst()), to: value) else { return nil }
            members[index].value = updated
        } else {
            guard let created = JSONValue.object([]).setting(Array(path.dropFirst()), to: value) else { return nil }
            members.append((head, created))
        }
        return .object(members)
    }

    /// Deterministic JSON text; `indent` nil gives one line.
    public func serialized(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (lvl: Int) in String(repeating: " ", count: (indent ?? 0) * lvl) }
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(_, literal): out += literal
        case let .string(s): out += s.jsonQuoted
        case let .array(items):
            if items.isEmpty {
                out += "[]"
                return
            }
            let scalar = items.allSatisfy { if case .array = $0 { false } else if case .object = $0 { false } else { true } }
            if scalar || indent == nil {
                out += "[" + items.map { $0.serialized(indent: nil) }.joined(separator: ", ") + "]"
                return
            }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad(level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < items.count ? "," : "") + newline
            }
            out += pad(level) + "]"
        case let .object(members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{" + newline
            for (i, member) in members.enumerated() {
                out += pad(level + 1) + member.key.jsonQuoted + (indent == nil ? ":" : ": ")
                member.value.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < members.count ? "," : "") + (indent == nil && i + 1 < members.count ? " " : newline)
            }
            out += pad(level) + "}"
        }
    }
}

extension String {
    /// The string as a JSON string literal.
    package var jsonQuoted: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension Double {
    /// Shortest round-trip JSON number text (integral values without ".0").
    package var jsonLiteral: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return description
    }
}
