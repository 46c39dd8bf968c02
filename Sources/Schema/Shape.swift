/// What JSON a scenario field accepts, described once so that decoding messages, `simulate schema`
/// (JSON Schema) and `docs/scenarios.md` say the same thing. A `Codec` carries its shape.
public indirect enum Shape: Sendable {
    case integer(ClosedRange<Int>)
    case number(NumberRule)
    case boolean
    /// Any string, or one matching a pattern (a regular expression, with its rule in words).
    case string(pattern: String?, rule: String?)
    /// Exactly this string.
    case literal(String)
    /// One of these strings.
    case choice([String])
    /// A list of items, at least `minimum` long; with `distinct`, no item twice.
    case list(Shape, minimum: Int, distinct: Bool)
    /// A list of exactly these items, e.g. `[β1, β2]`.
    case tuple([Shape])
    /// An object with these fields and no others.
    case object([FieldShape])
    /// An object whose `tag` field names the variant (`defaultTag` when absent) and so decides the
    /// other fields.
    case tagged(tag: String, defaultTag: String?, variants: [VariantShape])
    /// An object with exactly one key, which names the variant; its value is the variant's parameter.
    case keyed([KeyedShape])
    /// Any of these.
    case oneOf([Shape])
    /// An object mapping some of these keys (field paths) to values of one shape.
    case map(keys: [String], value: Shape)
    /// Checked by its section's own decoder, which depends on the rest of the scenario; described in words.
    case checkedElsewhere(String)

    /// The shape in words, for "allowed: …" in messages and the reference.
    public var text: String {
        switch self {
        case let .integer(range): "an integer \(range.upperBound == Int.max ? range.text : "in \(range.text)")"
        case let .number(rule): "a number \(rule.text)"
        case .boolean: "true or false"
        case let .string(_, rule): rule.map { "a string (\($0))" } ?? "a string"
        case let .literal(text): text.jsonQuoted
        case let .choice(names): names.map(\.jsonQuoted).joined(separator: " | ")
        case let .list(item, minimum, distinct):
            "a list\(minimum > 0 ? " of ≥ \(minimum)" : "")\(distinct ? " distinct" : "") (\(item.text))"
        case let .tuple(items): "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .object: "an object"
        case let .tagged(tag, _, variants): "{\"\(tag)\": " + variants.map(\.name.jsonQuoted).joined(separator: " | ") + ", …}"
        case let .keyed(cases): cases.map { "{\($0.key.jsonQuoted): …}" }.joined(separator: " | ")
        case let .oneOf(shapes): shapes.map(\.text).joined(separator: " or ")
        case let .map(_, value): "an object mapping field paths to \(value.text)"
        case let .checkedElsewhere(text): text
        }
    }
}

/// A field of an object: its key, shape, default and meaning.
public struct FieldShape: Sendable {
    public var key: String
    public var shape: Shape
    public var defaultValue: DefaultValue
    /// One sentence: what the field means.
    public var meaning: String

    public init(key: String, shape: Shape, defaultValue: DefaultValue, meaning: String) {
        self.key = key
        self.shape = shape
        self.defaultValue = defaultValue
        self.meaning = meaning
    }
}

/// What an absent field means.
public enum DefaultValue: Sendable {
    /// The field must be given.
    case required
    /// This value.
    case value(JSONValue)
    /// A value computed from other fields, described in words (e.g. "steps/40").
    case derived(String)
    /// Absent means "off": the feature the field describes is not used.
    case absent
}

/// One variant of a tagged object (e.g. the `adam` optimiser) and its fields besides the tag.
public struct VariantShape: Sendable {
    public var name: String
    public var meaning: String
    public var fields: [FieldShape]
}

/// One variant of a keyed object (e.g. `{"uniform": [low, high]}`).
public struct KeyedShape: Sendable {
    public var key: String
    public var meaning: String
    public var shape: Shape
}

/// Bounds on a real number, with the rule in words ("> 0", "in [0, 1)").
public struct NumberRule: Sendable, Equatable {
    public var lower: Double?
    public var lowerInclusive: Bool
    public var upper: Double?
    public var upperInclusive: Bool
    public var excludesZero: Bool

    public static let any = NumberRule(lower: nil, lowerInclusive: true, upper: nil, upperInclusive: true, excludesZero: false)
    public static let positive = NumberRule.above(0)
    public static let nonNegative = NumberRule.atLeast(0)
    public static let nonZero = NumberRule(lower: nil, lowerInclusive: true, upper: nil, upperInclusive: true, excludesZero: true)
    /// [0, 1): momenta, β's, decay rates.
    public static let fraction = NumberRule(lower: 0, lowerInclusive: true, upper: 1, upperInclusive: false, excludesZero: false)
    /// [0, 1]: probabilities.
    public static let probability = NumberRule(lower: 0, lowerInclusive: true, upper: 1, upperInclusive: true, excludesZero: false)

    public static func above(_ bound: Double) -> NumberRule {
        NumberRule(lower: bound, lowerInclusive: false, upper: nil, upperInclusive: true, excludesZero: false)
    }

    public static func atLeast(_ bound: Double) -> NumberRule {
        NumberRule(lower: bound, lowerInclusive: true, upper: nil, upperInclusive: true, excludesZero: false)
    }

    /// (lower, upper] — e.g. a decay factor in (0, 1].
    public static func interval(above lower: Double, atMost upper: Double) -> NumberRule {
        NumberRule(lower: lower, lowerInclusive: false, upper: upper, upperInclusive: true, excludesZero: false)
    }

    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if excludesZero && x == 0 { return false }
        if let lower, lowerInclusive ? x < lower : x <= lower { return false }
        if let upper, upperInclusive ? x > upper : x >= upper { return false }
        return true
    }

    public var text: String {
        switch (lower, upper) {
        case let (lower?, upper?):
            "in \(lowerInclusive ? "[" : "(")\(lower.jsonLiteral), \(upper.jsonLiteral)\(upperInclusive ? "]" : ")")"
        case let (lower?, nil): "\(lowerInclusive ? "≥" : ">") \(lower.jsonLiteral)"
        case let (nil, upper?): "\(upperInclusive ? "≤" : "<") \(upper.jsonLiteral)"
        case (nil, nil): excludesZero ? "≠ 0" : "(any finite number)"
        }
    }
}
