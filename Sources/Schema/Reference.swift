import Foundation

/// The scenario reference (`docs/scenarios.md`) written from the shapes: every field with its type,
/// default, allowed values and meaning, one table per object, one per variant of a tagged object.
public enum Reference {
    public static func markdown(title: String, introduction: String, fields: [FieldShape]) -> String {
        var out = "# \(title)\n\n\(introduction)\n"
        var queue: [(path: String, shape: Shape)] = [("", .object(fields))]
        var keyedSeen: [String] = []
        var keyedNotes: [String] = []
        while !queue.isEmpty {
            let (path, shape) = queue.removeFirst()
            let heading = path.isEmpty ? "Top level" : "`\(path)`"
            switch shape {
            case let .object(fields):
                out += "\n## \(heading)\n\n" + table(fields, path: path, queue: &queue, keyed: &keyedNotes, seen: &keyedSeen)
            case let .tagged(tag, defaultTag, variants):
                out +=
                    "\n## \(heading)\n\nThe field `\(tag)` chooses the variant\(defaultTag.map { " (default `\($0)`)" } ?? " (required)"); each variant takes only its own fields.\n"
                for variant in variants {
                    out += "\n### `\(tag)`: `\(variant.name)`\n\n\(variant.meaning)\n"
                    if !variant.fields.isEmpty {
                        out += "\n" + table(variant.fields, path: path, queue: &queue, keyed: &keyedNotes, seen: &keyedSeen)
                    }
                }
            default:
                break
            }
        }
        if !keyedNotes.isEmpty {
            out +=
                "\n## One-key objects\n\nSome values are an object with exactly one key, which names the kind:\n\n"
                + keyedNotes.joined(separator: "\n") + "\n"
        }
        return out
    }

    private static func table(
        _ fields: [FieldShape], path: String, queue: inout [(path: String, shape: Shape)],
        keyed: inout [String], seen: inout [String]
    ) -> String {
        var rows = ["| Field | Type | Default | Meaning |", "|---|---|---|---|"]
        for field in fields {
            let fieldPath = path.isEmpty ? field.key : "\(path).\(field.key)"
            let type = describe(field.shape, at: fieldPath, queue: &queue, keyed: &keyed, seen: &seen)
            let defaultValue =
                switch (field.shape, field.defaultValue) {
                case (.object, .value), (.tagged, .value): "its fields' defaults"
                default: defaultText(field.defaultValue)
                }
            rows.append("| `\(field.key)` | \(escape(type)) | \(escape(defaultValue)) | \(escape(field.meaning)) |")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// The type column; nested objects and variants are queued for their own tables.
    private static func describe(
        _ shape: Shape, at path: String, queue: inout [(path: String, shape: Shape)],
        keyed: inout [String], seen: inout [String]
    ) -> String {
        switch shape {
        case .object, .tagged:
            queue.append((path, shape))
            return "an object (see `\(path)`)"
        case let .list(item, minimum, distinct):
            let inner = describe(item, at: path + "[]", queue: &queue, keyed: &keyed, seen: &seen)
            return "a list\(minimum > 0 ? " of ≥ \(minimum)" : "")\(distinct ? " distinct" : ""): \(inner)"
        case let .oneOf(shapes):
            return shapes.map { describe($0, at: path, queue: &queue, keyed: &keyed, seen: &seen) }.joined(separator: " or ")
        case let .keyed(cases):
            let signature = cases.map(\.key).joined(separator: ",")
            if !seen.contains(signature) {
                seen.append(signature)
                keyed.append(cases.map { "- `{\"\($0.key)\": \($0.shape.text)}`: \($0.meaning)" }.joined(separator: "\n"))
            }
            return cases.map { "`{\"\($0.key)\": …}`" }.joined(separator: " or ")
        default:
            return shape.text
        }
    }

    private static func defaultText(_ value: DefaultValue) -> String {
        switch value {
        case .required: "required"
        case let .value(json): "`\(json.serialized(indent: nil))`"
        case let .derived(rule): rule
        case .absent: "absent (off)"
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
