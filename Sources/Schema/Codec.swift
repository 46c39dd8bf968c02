/// How one JSON value maps to a typed value and back, with the `Shape` that documents it. Decoding
/// errors name the field path, the bad value and what is allowed; `encode` writes the canonical form
/// that `decode` reads back to the same value.
public struct Codec<Value>: Sendable {
    public let shape: Shape
    private let decoder: @Sendable (JSONValue, String) throws(ScenarioError) -> Value
    private let encoder: @Sendable (Value) -> JSONValue

    public init(
        shape: Shape, decode: @escaping @Sendable (JSONValue, String) throws(ScenarioError) -> Value,
        encode: @escaping @Sendable (Value) -> JSONValue
    ) {
        self.shape = shape
        decoder = decode
        encoder = encode
    }

    /// The value `json` describes; `path` (e.g. `training.optimizer.lr`) locates errors.
    public func decode(_ json: JSONValue, at path: String) throws(ScenarioError) -> Value { try decoder(json, path) }

    public func encode(_ value: Value) -> JSONValue { encoder(value) }

    /// The same JSON mapped to another type (e.g. a raw value to an enum).
    public func map<Other>(
        decode forward: @escaping @Sendable (Value) -> Other,
        encode backward: @escaping @Sendable (Other) -> Value
    ) -> Codec<Other> {
        let base = self
        return Codec<Other>(
            shape: shape, decode: { json, path throws(ScenarioError) in forward(try base.decode(json, at: path)) },
            encode: { base.encode(backward($0)) })
    }

    /// The same codec with an extra check on the decoded value; `problem` returns a message, or nil.
    /// `part` (e.g. "[1]") locates the error inside the value.
    public func checked(at part: String = "", _ problem: @escaping @Sendable (Value) -> String?) -> Codec<Value> {
        let base = self
        return Codec(
            shape: shape,
            decode: { json, path throws(ScenarioError) in
                let value = try base.decode(json, at: path)
                if let message = problem(value) { throw ScenarioError(.invalid, path: path + part, message) }
                return value
            }, encode: base.encoder)
    }
}

extension Codec where Value == Int {
    public static func integer(_ range: ClosedRange<Int>) -> Codec<Int> {
        Codec(
            shape: .integer(range),
            decode: { json, path throws(ScenarioError) in
                try ObjectReader.integer(json, path: path, range: range)
            }, encode: { .integer($0) })
    }
}

extension Codec where Value == Double {
    public static func number(_ rule: NumberRule) -> Codec<Double> {
        Codec(
            shape: .number(rule),
            decode: { json, path throws(ScenarioError) in
                try ObjectReader.real(json, path: path, rule.text) { rule.contains($0) }
            }, encode: { .number($0) })
    }
}

extension Codec where Value == Bool {
    public static let boolean = Codec(
        shape: .boolean,
        decode: { json, path throws(ScenarioError) in
            guard case let .bool(flag) = json else {
                throw ScenarioError(.invalid, path: path, "expected true or false, found \(json.typeName) \(json.compactText)")
            }
            return flag
        }, encode: { .bool($0) })
}

extension Codec where Value == String {
    /// A string; `rule` (a message, or nil) checks it, `pattern` and `ruleText` describe the rule.
    public static func string(
        pattern: String? = nil, ruleText: String? = nil,
        problem: @escaping @Sendable (String) -> String? = { _ in nil }
    ) -> Codec<String> {
        Codec(
            shape: .string(pattern: pattern, rule: ruleText),
            decode: { json, path throws(ScenarioError) in
                guard case let .string(text) = json else {
                    throw ScenarioError(.invalid, path: path, "expected a string, found \(json.typeName) \(json.compactText)")
                }
                if let message = problem(text) { throw ScenarioError(.invalid, path: path, message) }
                return text
            }, encode: { .string($0) })
    }
}

extension Codec where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of the enum's raw values.
    public static var choice: Codec<Value> { choice(Array(Value.allCases)) { $0.rawValue } }
}

extension Codec where Value: Sendable {
    /// One of `values`, written as its name.
    public static func choice(_ values: [Value], name: @escaping @Sendable (Value) -> String) -> Codec<Value> {
        let names = values.map(name)
        return Codec(
            shape: .choice(names),
            decode: { json, path throws(ScenarioError) in
                guard case let .string(text) = json else {
                    throw ScenarioError(
                        .invalid, path: path,
                        "expected one of \(names.map(\.jsonQuoted).joined(separator: ", ")), found \(json.typeName) \(json.compactText)")
                }
                guard let index = names.firstIndex(of: text) else {
                    throw ScenarioError(.invalid, path: path, "'\(text)' is not allowed; " + suggestion(for: text, in: names))
                }
                return values[index]
            }, encode: { .string(name($0)) })
    }
}

extension Codec {
    /// A list of at least `minimum` items; with `distinct`, an item given twice is an error.
    public static func list<Item: Equatable & Sendable>(
        of item: Codec<Item>, minimum: Int = 0, maximum: Int? = nil, distinct: Bool = false,
        example: String = ""
    ) -> Codec<[Item]> where Value == [Item] {
        Codec(
            shape: .list(item.shape, minimum: minimum, distinct: distinct),
            decode: { json, path throws(ScenarioError) in
                if let maximum, case let .array(elements) = json, elements.count > maximum {
                    throw ScenarioError(.invalid, path: path, "a list of \(elements.count) items; at most \(maximum) are allowed")
                }
                guard case let .array(elements) = json, elements.count >= minimum else {
                    throw ScenarioError(
                        .invalid, path: path,
                        "expected a list of \(minimum > 0 ? "at least \(minimum) " : "")items (\(item.shape.text))\(example.isEmpty ? "" : ", e.g. \(example)"), found \(json.compactText)"
                    )
                }
                var items: [Item] = []
                for (index, element) in elements.enumerated() {
                    let decoded = try item.decode(element, at: "\(path)[\(index)]")
                    if distinct && items.contains(decoded) {
                        throw ScenarioError(.invalid, path: "\(path)[\(index)]", "\(element.compactText) is listed twice; items must be distinct")
                    }
                    items.append(decoded)
                }
                return items
            }, encode: { .array($0.map(item.encode)) })
    }

    /// A list of exactly two items, e.g. `[β1, β2]`; `names` says what each is.
    public static func pair<Item: Sendable>(_ first: Codec<Item>, _ second: Codec<Item>, names: String) -> Codec<(Item, Item)>
    where Value == (Item, Item) {
        Codec(
            shape: .tuple([first.shape, second.shape]),
            decode: { json, path throws(ScenarioError) in
                guard case let .array(items) = json, items.count == 2 else {
                    throw ScenarioError(.invalid, path: path, "expected \(names), found \(json.compactText)")
                }
                return (try first.decode(items[0], at: "\(path)[0]"), try second.decode(items[1], at: "\(path)[1]"))
            }, encode: { .array([first.encode($0.0), second.encode($0.1)]) })
    }
}
