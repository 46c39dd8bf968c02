/// One variant of a tagged object: `{"name": "adam", "lr": 0.001, ...}` is the `adam` variant of the
/// optimiser. Its fields, decoder and encoder are declared together, beside the type it builds.
public struct Variant<Value>: Sendable {
    public let name: String
    public let meaning: String
    let fields: [FieldShape]
    let decode: @Sendable (FieldReader) throws(ScenarioError) -> Value
    /// The variant's members, or nil when the value is another variant.
    let encode: @Sendable (Value) -> [JSONMember]?

    public init(
        _ name: String, _ meaning: String, fields: [any FieldDeclaration],
        decode: @escaping @Sendable (FieldReader) throws(ScenarioError) -> Value,
        encode: @escaping @Sendable (Value) -> [JSONMember]?
    ) {
        self.name = name
        self.meaning = meaning
        self.fields = fields.map(\.shape)
        self.decode = decode
        self.encode = encode
    }

    var shape: VariantShape { VariantShape(name: name, meaning: meaning, fields: fields) }
}

/// One variant of a keyed object: `{"uniform": [0, 1]}` is the `uniform` distribution.
public struct KeyedCase<Value>: Sendable {
    let shape: KeyedShape
    let decode: @Sendable (JSONValue, String) throws(ScenarioError) -> Value
    let encode: @Sendable (Value) -> JSONValue?

    public init<Payload>(
        _ key: String, _ meaning: String, _ codec: Codec<Payload>,
        embed: @escaping @Sendable (Payload) -> Value, extract: @escaping @Sendable (Value) -> Payload?
    ) {
        shape = KeyedShape(key: key, meaning: meaning, shape: codec.shape)
        decode = { json, path throws(ScenarioError) in embed(try codec.decode(json, at: path)) }
        encode = { value in extract(value).map(codec.encode) }
    }
}

/// One alternative of a field that takes different kinds of JSON (`"full"` or a batch size).
public struct Alternative<Value>: Sendable {
    let shape: Shape
    let decode: @Sendable (JSONValue, String) throws(ScenarioError) -> Value
    let encode: @Sendable (Value) -> JSONValue?

    public init<Payload>(
        _ codec: Codec<Payload>, embed: @escaping @Sendable (Payload) -> Value,
        extract: @escaping @Sendable (Value) -> Payload?
    ) {
        shape = codec.shape
        decode = { json, path throws(ScenarioError) in embed(try codec.decode(json, at: path)) }
        encode = { value in extract(value).map(codec.encode) }
    }

    /// Exactly the string `text`, meaning `value`.
    public static func literal(_ text: String, _ value: Value) -> Alternative where Value: Equatable & Sendable {
        Alternative(
            Codec<Value>(shape: .literal(text), decode: { _, _ in value }, encode: { _ in .string(text) }),
            embed: { $0 }, extract: { $0 == value ? $0 : nil })
    }
}

extension Codec {
    /// An object whose `tag` names its variant (`default` when absent). With `shorthand`, a bare
    /// string is the tag alone (`"relu"` for `{"name": "relu"}`), and a variant without fields is
    /// written that way. `aliases` are other accepted tags (e.g. "swish" for "silu"). `noun` names
    /// the thing in messages ("optimiser").
    public static func tagged(
        _ tag: String, noun: String, default defaultTag: String?, shorthand: Bool = false,
        aliases: [String: String] = [:], _ variants: [Variant<Value>]
    ) -> Codec {
        let names = variants.map(\.name)
        let allKeys = [tag] + uniqued(variants.flatMap { $0.fields.map(\.key) })
        let shape = Shape.tagged(tag: tag, defaultTag: defaultTag, variants: variants.map(\.shape))
        return Codec(
            shape: shorthand ? .oneOf([.choice(names), shape]) : shape,
            decode: { json, path throws(ScenarioError) in
                var json = json, bare = false
                if shorthand, case let .string(text) = json {
                    json = .object([(tag, .string(text))])
                    bare = true
                }
                guard case .object = json else {
                    throw ScenarioError(
                        .invalid, path: path,
                        "expected \(shorthand ? "a name or " : "")an object {\"\(tag)\": …} (the \(noun)), found \(json.typeName) \(json.compactText)"
                    )
                }
                let probe = try ObjectReader(json, path: path, allowed: allKeys)
                let tagPath = bare ? path : probe.fieldPath(tag)
                let given = try probe.string(tag, default: defaultTag)
                let name = aliases[given] ?? given
                guard let variant = variants.first(where: { $0.name == name }) else {
                    throw ScenarioError(.invalid, path: tagPath, "'\(given)' is not allowed; " + suggestion(for: given, in: names))
                }
                let keys = [tag] + variant.fields.map(\.key)
                if case let .object(members) = json, let stray = members.first(where: { !keys.contains($0.key) }) {
                    throw probe.invalid(stray.key, "unknown key for the '\(name)' \(noun); " + suggestion(for: stray.key, in: keys))
                }
                return try variant.decode(FieldReader(probe))
            },
            encode: { value in
                for variant in variants {
                    guard let members = variant.encode(value) else { continue }
                    if shorthand && members.isEmpty { return .string(variant.name) }
                    return .object([(tag, .string(variant.name))] + ordered(members, by: variant.fields.map(\.key)))
                }
                return .null
            })
    }

    /// An object with exactly one key, naming the variant (`{"gaussian": {"mean": 0, "std": 1}}`).
    public static func keyed(noun: String, example: String, _ cases: [KeyedCase<Value>]) -> Codec {
        let keys = cases.map(\.shape.key)
        return Codec(
            shape: .keyed(cases.map(\.shape)),
            decode: { json, path throws(ScenarioError) in
                guard case let .object(members) = json, members.count == 1, let member = members.first else {
                    throw ScenarioError(
                        .invalid, path: path, "expected an object with one \(noun), e.g. \(example); allowed: \(keys.joined(separator: ", "))")
                }
                guard let match = cases.first(where: { $0.shape.key == member.key }) else {
                    throw ScenarioError(
                        .invalid, path: ObjectReader.join(path, member.key), "unknown \(noun); " + suggestion(for: member.key, in: keys))
                }
                return try match.decode(member.value, "\(path).\(member.key)")
            },
            encode: { value in
                for match in cases {
                    if let payload = match.encode(value) { return .object([(match.shape.key, payload)]) }
                }
                return .null
            })
    }

    /// The first alternative whose shape admits the JSON's kind decodes it.
    public static func oneOf(_ alternatives: [Alternative<Value>]) -> Codec {
        Codec(
            shape: .oneOf(alternatives.map(\.shape)),
            decode: { json, path throws(ScenarioError) in
                guard let match = alternatives.first(where: { $0.shape.admits(json) }) else {
                    throw ScenarioError(
                        .invalid, path: path, "\(json.compactText) is not allowed; use " + alternatives.map(\.shape.text).joined(separator: " or "))
                }
                return try match.decode(json, path)
            },
            encode: { value in
                for alternative in alternatives {
                    if let json = alternative.encode(value) { return json }
                }
                return .null
            })
    }
}

func uniqued(_ keys: [String]) -> [String] {
    var seen: Set<String> = []
    return keys.filter { seen.insert($0).inserted }
}

extension Shape {
    /// Whether a value of this JSON kind could be of this shape (which alternative of a `oneOf` to try).
    package func admits(_ json: JSONValue) -> Bool {
        switch (self, json) {
        case (.integer, .number), (.number, .number), (.boolean, .bool), (.string, .string), (.choice, .string),
            (.list, .array), (.tuple, .array), (.object, .object), (.tagged, .object):
            true
        case let (.literal(text), .string(value)): text == value
        case let (.keyed(cases), .object(members)): members.count == 1 && cases.contains { $0.key == members[0].key }
        case let (.oneOf(shapes), _): shapes.contains { $0.admits(json) }
        default: false
        }
    }
}
