import ArgumentParser
import Foundation
import Reports

/// `simulate schema`: the scenario schema as JSON Schema, or the generated reference, or a check that
/// the committed copies in docs/ are current.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the scenario schema (JSON Schema 2020-12), or the scenario reference (Markdown).",
        discussion: """
            Both are generated from the one declaration of every field. The committed copies are
            docs/scenario.schema.json (bundled scenarios name it in "$schema", so editors validate and
            complete them) and docs/scenarios.md; `simulate schema --write docs` rewrites them and
            `simulate schema --check docs` fails (exit 1) when they are stale.
            """)

    @Flag(help: "Print the Markdown reference instead of the JSON Schema.")
    var reference = false

    @Option(help: ArgumentHelp("Write scenario.schema.json and scenarios.md into this folder.", valueName: "folder"))
    var write: String?

    @Option(
        help: ArgumentHelp(
            "Compare scenario.schema.json and scenarios.md in this folder with what would be generated; exit 1 if they differ.", valueName: "folder"))
    var check: String?

    func validate() throws {
        if write != nil && check != nil { throw ValidationError("--write and --check exclude each other") }
    }

    func run() throws {
        let files = ScenarioDocuments.documents
        if let folder = check {
            var stale: [String] = []
            for (name, text) in files where (try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)) != text {
                stale.append("\(folder)/\(name)")
            }
            guard stale.isEmpty else {
                StandardError.write("stale: \(stale.joined(separator: ", ")); run `simulate schema --write \(folder)`\n")
                throw ExitStatus.wouldChange.code
            }
            return
        }
        if let folder = write {
            for (name, text) in files {
                let path = "\(folder)/\(name)"
                if let existing = try? String(contentsOfFile: path, encoding: .utf8), !existing.contains(ScenarioDocuments.generatedMarker) {
                    StandardError.write("error: \(path) exists and was not written by simulate schema; not overwriting it\n")
                    throw ExitStatus.cannotCreate.code
                }
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)"), options: .atomic)
                } catch {
                    StandardError.write("error: cannot write \(folder)/\(name): \(error.localizedDescription)\n")
                    throw ExitStatus.cannotCreate.code
                }
            }
            return
        }
        print(reference ? ScenarioDocuments.reference : ScenarioDocuments.jsonSchema.serialized(), terminator: reference ? "" : "\n")
    }
}
