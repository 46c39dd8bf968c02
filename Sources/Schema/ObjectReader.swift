/// Reads the fields of one JSON object with strict checks: unknown keys (with a did-you-mean), wrong
/// types and out-of-range values are `ScenarioError`s naming the field path, the value and what is allowed.
package struct ObjectReader {
    package let path: String
    private let members: [(key: String, value: JSONValue)]

    /// Fails unless `value` is an object whose keys are all in `allowed`.
    package init(_ value: JSONValue, path: String, allowed: [String]) throws(ScenarioError) {
        guard case let .object(members) = value else {
            throw ScenarioError(.invalid, path: path, "expected an object, found \(value.typeName) \(value.compactText)")
        }
        for member in members where !allowed.contains(member.key) {
            throw ScenarioError(
                .invalid, path: Self.join(path, member.key),
                "unknown key; " + suggestion(for: member.key, in: allowed))
        }
        self.path = path
        self.members = members
    }

    /// `path.key`; an empty key is shown as `""` so that the path still says where it is.
    package static func join(_ path: String, _ key: String) -> String {
        let shown = key.isEmpty ? "\"\"" : key
        return path.isEmpty ? shown : "\(path).\(shown)"
    }

    package func fieldPath(_ key: String) -> String { Self.join(path, key) }

    package func value(_ key: String) -> JSONValue? {
        members.first(where: { $0.key == key })?.value
    }

    package func invalid(_ key: String, _ message: String) -> ScenarioError {
        ScenarioError(.invalid, path: fieldPath(key), message)
    }

    package static func integer(_ value: JSONValue, path: String, range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        guard case let .number(number, literal) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw ScenarioError(.invalid, path: path, "expected an integer in \(range.text), found \(value.typeName) \(value.compactText)")
        }
        let integer = Int(number)
        guard range.contains(integer) else {
            throw ScenarioError(.invalid, path: path, "\(literal) is out of range; allowed: \(range.text)")
        }
        return integer
    }

    /// A real number satisfying `allowed` (described by `allowedText`, e.g. "> 0").
    package static func real(
        _ value: JSONValue, path: String, _ allowedText: String,
        _ allowed: (Double) -> Bool
    ) throws(ScenarioError) -> Double {
        guard case let .number(number, literal) = value else {
            throw ScenarioError(.invalid, path: path, "expected a number \(allowedText), found \(value.typeName) \(value.compactText)")
        }
        guard allowed(number) else {
            throw ScenarioError(.invalid, path: path, "\(literal) is out of range; allowed: \(allowedText)")
        }
        return number
    }

    package func string(_ key: String, default fallback: String? = nil) throws(ScenarioError) -> String {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw invalid(key, "required field is missing (a string)")
        }
        guard case let .string(text) = value else {
            throw invalid(key, "expected a string, found \(value.typeName) \(value.compactText)")
        }
        return text
    }

    /// One of a fixed set of names.
    package func choice(_ key: String, default fallback: String?, from names: [String]) throws(ScenarioError) -> String {
        let text = try string(key, default: fallback)
        guard names.contains(text) else {
            throw invalid(key, "'\(text)' is not allowed; " + suggestion(for: text, in: names))
        }
        return text
    }
}

extension ClosedRange where Bound == Int {
    package var text: String {
        upperBound == Int.max ? "≥ \(lowerBound)" : "\(lowerBound)…\(upperBound)"
    }
}
