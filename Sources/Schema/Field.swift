/// A field of a scenario object, declared once: key, codec (type and allowed values), default and a
/// one-sentence meaning. Decoding, encoding, the JSON Schema and the reference are all read from it.
public struct Field<Value: Sendable>: Sendable, FieldDeclaration {
    public enum Fallback: Sendable {
        case required
        case value(Value)
        /// Computed from other fields by the object's decoder (read with `FieldReader.optional`).
        case derived(String)
        /// Absent means the feature is off (read with `FieldReader.optional`).
        case absent
    }

    public let key: String
    public let codec: Codec<Value>
    public let fallback: Fallback
    public let meaning: String

    public init(_ key: String, _ codec: Codec<Value>, default value: Value, _ meaning: String) {
        self.init(key, codec, fallback: .value(value), meaning)
    }

    public init(_ key: String, _ codec: Codec<Value>, fallback: Fallback, _ meaning: String) {
        self.key = key
        self.codec = codec
        self.fallback = fallback
        self.meaning = meaning
    }

    public static func required(_ key: String, _ codec: Codec<Value>, _ meaning: String) -> Field {
        Field(key, codec, fallback: .required, meaning)
    }

    /// A nested object whose absence means `{}`: each of its fields takes its own default (so the
    /// defaults are declared once, on the inner fields).
    public static func section(_ key: String, _ codec: Codec<Value>, _ meaning: String) -> Field {
        let empty = try? codec.decode(.object([]), at: key)
        return Field(key, codec, fallback: empty.map { .value($0) } ?? .required, meaning)
    }

    public var shape: FieldShape {
        let defaultValue: DefaultValue =
            switch fallback {
            case .required: .required
            case let .value(value): .value(codec.encode(value))
            case let .derived(rule): .derived(rule)
            case .absent: .absent
            }
        return FieldShape(key: key, shape: codec.shape, defaultValue: defaultValue, meaning: meaning)
    }

    /// The field's member in an encoded object.
    public func member(_ value: Value) -> JSONMember { (key, codec.encode(value)) }

    /// The member, or nothing for an absent optional value.
    public func member(_ value: Value?) -> [JSONMember] { value.map { [member($0)] } ?? [] }
}

public typealias JSONMember = (key: String, value: JSONValue)

/// Anything an object lists as one of its fields.
public protocol FieldDeclaration: Sendable {
    var shape: FieldShape { get }
}

/// The fields of one object being decoded: each read goes through its `Field`, so messages name the
/// field path and say what is allowed.
public struct FieldReader {
    let object: ObjectReader

    package init(_ object: ObjectReader) { self.object = object }

    /// The object's path, e.g. `training.optimizer`.
    public var path: String { object.path }

    /// The field's value, or its default; a missing required field is an error.
    public func callAsFunction<Value>(_ field: Field<Value>) throws(ScenarioError) -> Value {
        if let value = try optional(field) { return value }
        switch field.fallback {
        case let .value(value): return value
        case .required, .derived, .absent:
            throw object.invalid(field.key, "required field is missing (\(field.codec.shape.text))")
        }
    }

    /// The field's value if it is given (for derived and optional fields), else nil.
    public func optional<Value>(_ field: Field<Value>) throws(ScenarioError) -> Value? {
        guard let json = object.value(field.key) else { return nil }
        return try field.codec.decode(json, at: object.fieldPath(field.key))
    }

    /// Whether the key is present.
    public func has(_ key: String) -> Bool { object.value(key) != nil }

    /// An error at one of the object's fields.
    public func invalid(_ key: String, _ message: String) -> ScenarioError { object.invalid(key, message) }

    /// An error at the object itself.
    public func invalid(_ message: String) -> ScenarioError { ScenarioError(.invalid, path: path, message) }
}

extension Codec {
    /// An object with these fields and no others. `decode` reads them (and checks rules across them);
    /// `encode` gives every field's member (written in declaration order, whatever order it lists them).
    public static func object(
        _ fields: [any FieldDeclaration],
        decode: @escaping @Sendable (FieldReader) throws(ScenarioError) -> Value,
        encode: @escaping @Sendable (Value) -> [JSONMember]
    ) -> Codec {
        let shapes = fields.map(\.shape)
        let keys = shapes.map(\.key)
        return Codec(
            shape: .object(shapes),
            decode: { json, path throws(ScenarioError) in
                try decode(FieldReader(try ObjectReader(json, path: path, allowed: keys)))
            }, encode: { value in .object(ordered(encode(value), by: keys)) })
    }
}

/// Members sorted by the declared key order.
package func ordered(_ members: [JSONMember], by keys: [String]) -> [JSONMember] {
    members.sorted { (keys.firstIndex(of: $0.key) ?? keys.count) < (keys.firstIndex(of: $1.key) ?? keys.count) }
}
