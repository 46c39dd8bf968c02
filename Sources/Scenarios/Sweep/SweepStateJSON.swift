import Foundation

/// The JSON of a sharded sweep's own state files (`plan.json`, `shard-i-of-n.json`): snake_case keys,
/// sorted, one line and a newline. Unreadable or malformed input decodes to nil (the caller decides).
enum SweepStateJSON {
    static func encoded<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func decoded<Value: Decodable>(_ type: Value.Type, from data: Data) -> Value? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(type, from: data)
    }
}
