/// Reading and replacing values deep in a document by path: object keys, or "[i]" for list items
/// (how tests walk every leaf of a scenario).
extension JSONValue {
    /// The value at `path`, or nil when the path leaves the document.
    package func at(_ path: ArraySlice<String>) -> JSONValue? {
        guard let head = path.first else { return self }
        switch self {
        case let .object(members): return members.first { $0.key == head }?.value.at(path.dropFirst())
        case let .array(items):
            guard let index = Self.index(head), items.indices.contains(index) else { return nil }
            return items[index].at(path.dropFirst())
        default: return nil
        }
    }

    /// The document with the value at `path` replaced, or nil when the path leaves the document.
    package func replacingLeaf(_ path: ArraySlice<String>, with value: JSONValue) -> JSONValue? {
        guard let head = path.first else { return value }
        switch self {
        case var .object(members):
            guard let index = members.firstIndex(where: { $0.key == head }),
                let inner = members[index].value.replacingLeaf(path.dropFirst(), with: value)
            else { return nil }
            members[index].value = inner
            return .object(members)
        case var .array(items):
            guard let index = Self.index(head), items.indices.contains(index),
                let inner = items[index].replacingLeaf(path.dropFirst(), with: value)
            else { return nil }
            items[index] = inner
            return .array(items)
        default:
            return nil
        }
    }

    /// The list index a "[i]" path segment names.
    private static func index(_ segment: String) -> Int? {
        segment.hasPrefix("[") && segment.hasSuffix("]") ? Int(segment.dropFirst().dropLast()) : nil
    }
}
