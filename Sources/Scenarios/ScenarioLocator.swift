import Schema
import Foundation

/// Finds a scenario file from what a user typed: a path (`Scenarios/relu2.json`), the same path in
/// another letter case (`scenarios/relu2.json`), or a bare name (`relu2`) looked up in `Scenarios/`.
public enum ScenarioLocator {
    /// The folder of bundled scenarios, relative to the working directory.
    public static let folder = "Scenarios"

    public static func locate(_ argument: String, in directory: String = FileManager.default.currentDirectoryPath)
        throws(ScenarioError) -> String
    {
        let fileManager = FileManager.default
        var candidates = [argument]
        if !argument.hasSuffix(".json") { candidates.append(argument + ".json") }
        if !argument.contains("/") {
            candidates += ["\(folder)/\(argument)", "\(folder)/\(argument).json"]
        }
        for candidate in candidates {
            let path = candidate.hasPrefix("/") ? candidate : "\(directory)/\(candidate)"
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
            if let match = caseInsensitiveMatch(candidate, in: directory) { return match }
        }
        let known = bundled(in: directory).map(\.name)
        var message = "no scenario file '\(argument)'"
        if !known.isEmpty { message += "; " + suggestion(for: argument.split(separator: "/").last.map(String.init) ?? argument, in: known) }
        message += " (see `simulate list`)"
        throw ScenarioError(.notFound, message)
    }

    /// Resolves each path component case-insensitively (relative paths only).
    static func caseInsensitiveMatch(_ path: String, in directory: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var resolved: [String] = []
        var current = directory
        for component in path.split(separator: "/").map(String.init) {
            if component == "." || component == ".." {
                resolved.append(component)
                current += "/" + component
                continue
            }
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: current),
                let match = entries.first(where: { $0 == component }) ?? entries.sorted().first(where: { $0.lowercased() == component.lowercased() })
            else { return nil }
            resolved.append(match)
            current += "/" + match
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return resolved.joined(separator: "/")
    }

    /// The bundled scenarios: (name, path), sorted by name.
    public static func bundled(in directory: String = FileManager.default.currentDirectoryPath) -> [(name: String, path: String)] {
        let path = "\(directory)/\(folder)"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().map { (String($0.dropLast(5)), "\(folder)/\($0)") }
    }

    /// Reads and validates a scenario file, with command-line overrides (`path=value`) applied.
    public static func load(_ path: String, overrides: [String] = []) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(.notFound, file: path, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(.syntax, file: path, "the file is not UTF-8 text")
        }
        return try ScenarioDecoder.decode(text, file: path, overrides: overrides)
    }
}
