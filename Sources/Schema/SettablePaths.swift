/// The dotted field paths `--set` and `sweep` may change, and how a change is applied to an encoded
/// configuration: following the shape, so that switching a variant (`training.optimizer.name`) keeps
/// only the settings the new variant also has and that differ from the old one's defaults.
extension Shape {
    /// Every settable path below this shape, objects before their fields (`training`, `training.steps`).
    public func settablePaths(prefix: String = "") -> [String] {
        func join(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }
        switch self {
        case let .object(fields):
            return fields.flatMap { [join($0.key)] + $0.shape.settablePaths(prefix: join($0.key)) }
        case let .tagged(tag, _, variants):
            return uniqued(
                [join(tag)]
                    + variants.flatMap { variant in
                        variant.fields.flatMap { [join($0.key)] + $0.shape.settablePaths(prefix: join($0.key)) }
                    })
        case let .oneOf(shapes):
            return uniqued(shapes.flatMap { $0.settablePaths(prefix: prefix) })
        default:
            return []
        }
    }

    /// `document` (an encoding of this shape) with the field at `path` replaced by `value`. The result
    /// is decoded again by the caller, which checks the value and every rule across fields.
    public func setting(
        _ path: ArraySlice<String>, to value: JSONValue, in document: JSONValue,
        at location: String
    ) throws(ScenarioError) -> JSONValue {
        guard let key = path.first else { return value }
        let here = location.isEmpty ? key : "\(location).\(key)"
        let rest = path.dropFirst()
        switch self {
        case let .object(fields):
            guard let field = fields.first(where: { $0.key == key }) else {
                throw ScenarioError(.usage, path: here, "not a field; " + suggestion(for: key, in: fields.map(\.key)))
            }
            let current = document[key] ?? .null
            return document.replacing(key, with: try field.shape.setting(rest, to: value, in: current, at: here))
        case let .tagged(tag, _, variants):
            let currentName = document[tag].flatMap { if case let .string(name) = $0 { name } else { nil } }
            guard let current = variants.first(where: { $0.name == currentName }) else { return document }
            if key == tag {
                guard rest.isEmpty, case let .string(name) = value, let next = variants.first(where: { $0.name == name }) else {
                    return document.replacing(tag, with: value)  // the decoder reports the bad name
                }
                return switchVariant(document, tag: tag, from: current, to: next)
            }
            guard let field = current.fields.first(where: { $0.key == key }) else {
                let keys = current.fields.map(\.key)
                throw ScenarioError(
                    .invalid, path: here,
                    keys.isEmpty
                        ? "'\(current.name)' takes no settings"
                        : "not used by '\(current.name)'; " + suggestion(for: key, in: keys))
            }
            let member = document[key] ?? .null
            return document.replacing(key, with: try field.shape.setting(rest, to: value, in: member, at: here))
        case let .oneOf(shapes):
            // A shorthand name (`"relu"`) stands for the object `{"name": "relu"}`: expand it to set a field inside.
            if case let .string(name) = document, let tagged = shapes.first(where: { if case .tagged = $0 { true } else { false } }),
                case let .tagged(tag, _, _) = tagged
            {
                return try tagged.setting(path, to: value, in: .object([(tag, .string(name))]), at: location)
            }
            guard let shape = shapes.first(where: { $0.admits(document) }) else { return document }
            return try shape.setting(path, to: value, in: document, at: location)
        default:
            throw ScenarioError(.usage, path: here, "\(location) has no field '\(key)'; set the whole value instead")
        }
    }

    private func switchVariant(_ document: JSONValue, tag: String, from old: VariantShape, to new: VariantShape) -> JSONValue {
        guard case let .object(members) = document else { return document }
        let kept = members.filter { member in
            guard member.key != tag, new.fields.contains(where: { $0.key == member.key }) else { return false }
            guard let oldField = old.fields.first(where: { $0.key == member.key }),
                case let .value(oldDefault) = oldField.defaultValue
            else { return true }
            return member.value != oldDefault
        }
        return .object([(tag, .string(new.name))] + kept)
    }
}

extension JSONValue {
    /// An object with one member replaced (or added).
    func replacing(_ key: String, with value: JSONValue) -> JSONValue {
        guard case var .object(members) = self else { return .object([(key, value)]) }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}
