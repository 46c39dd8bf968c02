/// A shape as JSON Schema (draft 2020-12), for `simulate schema`: editors validate and complete
/// scenario files with it, and an independent validator checks it against `simulate validate`.
extension Shape {
    public var jsonSchema: JSONValue { .object(schemaMembers) }

    var schemaMembers: [JSONMember] {
        switch self {
        case let .integer(range):
            return [("type", .string("integer")), ("minimum", .integer(range.lowerBound))]
                + (range.upperBound == Int.max ? [] : [("maximum", .integer(range.upperBound))])
        case let .number(rule):
            var members: [JSONMember] = [("type", .string("number"))]
            if let lower = rule.lower { members.append((rule.lowerInclusive ? "minimum" : "exclusiveMinimum", .number(lower))) }
            if let upper = rule.upper { members.append((rule.upperInclusive ? "maximum" : "exclusiveMaximum", .number(upper))) }
            if rule.excludesZero { members.append(("not", .object([("const", .integer(0))]))) }
            return members
        case .boolean:
            return [("type", .string("boolean"))]
        case let .string(pattern, _):
            return [("type", .string("string"))] + (pattern.map { [("pattern", .string($0))] } ?? [])
        case let .literal(text):
            return [("const", .string(text))]
        case let .choice(names):
            return [("enum", .array(names.map { .string($0) }))]
        case let .list(item, minimum, distinct):
            return [("type", .string("array")), ("items", item.jsonSchema)]
                + (minimum > 0 ? [("minItems", .integer(minimum))] : []) + (distinct ? [("uniqueItems", .bool(true))] : [])
        case let .tuple(items):
            return [
                ("type", .string("array")), ("prefixItems", .array(items.map(\.jsonSchema))), ("items", .bool(false)),
                ("minItems", .integer(items.count)),
            ]
        case let .object(fields):
            return Self.objectMembers(fields)
        case let .tagged(tag, defaultTag, variants):
            let tagSchema: JSONValue = .object([("enum", .array(variants.map { .string($0.name) }))])
            let keys = uniqued(variants.flatMap { $0.fields.map(\.key) })
            let cases: [JSONValue] = variants.map { variant in
                .object([
                    // Without `required`, the default variant's condition also holds when the tag is absent.
                    (
                        "if",
                        .object(
                            [("properties", .object([(tag, .object([("const", .string(variant.name))]))]))]
                                + (variant.name == defaultTag ? [] : [("required", .array([.string(tag)]))]))
                    ),
                    (
                        "then",
                        .object(
                            [
                                ("properties", .object(variant.fields.map { ($0.key, $0.propertySchema) })),
                                ("propertyNames", .object([("enum", .array(([tag] + variant.fields.map(\.key)).map { .string($0) }))])),
                            ]
                                + Self.requiredMembers(variant.fields))
                    ),
                ])
            }
            var properties: [JSONMember] = [(tag, tagSchema)]
            for key in keys {
                let shapes = variants.compactMap { $0.fields.first { $0.key == key } }
                properties.append(
                    (
                        key,
                        shapes.count == 1
                            ? shapes[0].propertySchema
                            : .object([("anyOf", .array(shapes.map(\.propertySchema)))])
                    ))
            }
            return [("type", .string("object")), ("properties", .object(properties)), ("additionalProperties", .bool(false))]
                + (defaultTag == nil ? [("required", .array([.string(tag)]))] : []) + [("allOf", .array(cases))]
        case let .keyed(cases):
            return [
                (
                    "oneOf",
                    .array(
                        cases.map { keyed in
                            .object([
                                ("type", .string("object")), ("description", .string(keyed.meaning)),
                                ("properties", .object([(keyed.key, keyed.shape.jsonSchema)])),
                                ("required", .array([.string(keyed.key)])), ("additionalProperties", .bool(false)),
                            ])
                        })
                )
            ]
        case let .oneOf(shapes):
            return [("anyOf", .array(shapes.map(\.jsonSchema)))]
        case let .map(keys, value):
            return [
                ("type", .string("object")), ("propertyNames", .object([("enum", .array(keys.map { .string($0) }))])),
                ("additionalProperties", value.jsonSchema),
            ]
        case let .checkedElsewhere(text):
            return [("description", .string(text))]
        }
    }

    static func objectMembers(_ fields: [FieldShape]) -> [JSONMember] {
        [
            ("type", .string("object")), ("properties", .object(fields.map { ($0.key, $0.propertySchema) })),
            ("additionalProperties", .bool(false)),
        ] + requiredMembers(fields)
    }

    static func requiredMembers(_ fields: [FieldShape]) -> [JSONMember] {
        let required = fields.filter { if case .required = $0.defaultValue { true } else { false } }.map(\.key)
        return required.isEmpty ? [] : [("required", .array(required.map { .string($0) }))]
    }
}

extension FieldShape {
    /// The field's schema with its meaning and default.
    var propertySchema: JSONValue {
        var members: [JSONMember] = [("description", .string(meaning))]
        if case let .value(value) = defaultValue { members.append(("default", value)) }
        return .object(members + shape.schemaMembers)
    }
}
