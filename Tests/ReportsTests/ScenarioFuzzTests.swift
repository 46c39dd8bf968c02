import Dynamics
import Foundation
import Reports
import Schema
import Scenarios
import Studies
import Testing

/// Seeded fuzzing of scenario files: each bundled scenario mutated — keys deleted and renamed,
/// values of the wrong type, zero, negative, huge and tiny numbers, empty lists, objects and keys,
/// duplicate keys, deep nesting, truncation, bytes that are not UTF-8, a BOM, CRLF line ends, NUL
/// bytes — at least 1,000 cases. Each must be accepted or refused with a `ScenarioError` that says
/// where (a field path, or a line and column), never a crash or a hang; accepted ones (a
/// sample of them) must run at a tiny size. The command line's side (exit codes, nothing written)
/// is checked on a subset in `BadInputTests`.
@Suite("scenario fuzzing")
struct ScenarioFuzzTests {
    static let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
    static let bundled = ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/Scenarios")) ?? []).filter { $0.hasSuffix(".json") }.sorted()

    /// SplitMix64: a small seeded generator, so every failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Every (path, value) in a document, depth first.
    static func paths(_ value: JSONValue, _ prefix: [String] = []) -> [[String]] {
        switch value {
        case let .object(members): return members.flatMap { [prefix + [$0.key]] + paths($0.value, prefix + [$0.key]) }
        case let .array(items): return items.indices.flatMap { [prefix + ["\($0)"]] + paths(items[$0], prefix + ["\($0)"]) }
        default: return []
        }
    }

    /// `document` with the value at `path` transformed (nil: removed).
    static func edit(_ document: JSONValue, at path: ArraySlice<String>, _ change: (JSONValue, String) -> (key: String, value: JSONValue)?)
        -> JSONValue
    {
        guard let head = path.first else { return document }
        switch document {
        case let .object(members):
            return .object(
                members.compactMap { member in
                    guard member.key == head else { return member }
                    if path.count == 1 { return change(member.value, member.key).map { (key: $0.key, value: $0.value) } }
                    return (member.key, edit(member.value, at: path.dropFirst(), change))
                })
        case var .array(items):
            guard let index = Int(head), items.indices.contains(index) else { return document }
            if path.count == 1 {
                if let changed = change(items[index], head) { items[index] = changed.value } else { items.remove(at: index) }
            } else {
                items[index] = edit(items[index], at: path.dropFirst(), change)
            }
            return .array(items)
        default: return document
        }
    }

    static let replacements: [JSONValue] = [
        .string("x"), .string(""), .bool(true), .null, .array([]), .object([]), .number(0), .number(-1), .number(1e308), .number(1e-308),
        .number(1e12), .number(1e7), .number(0.5), .number(-1e-9), .array([.number(1e6)]), .object([("", .number(1))]),
        .string("\u{0}nul"),
    ]

    /// One mutant of `text` (a bundled scenario), with a description for messages.
    static func mutant(of text: String, _ g: inout Generator) -> (text: String, what: String) {
        guard let document = try? JSONParser.parse(text) else { return (text, "unparsed") }
        let all = paths(document)
        let path = all.randomElement(using: &g) ?? ["name"]
        let where_ = path.joined(separator: ".")
        switch Int.random(in: 0..<14, using: &g) {
        case 0: return (edit(document, at: path[...]) { _, _ in nil }.serialized(), "deleted \(where_)")
        case 1: return (edit(document, at: path[...]) { value, key in (key + "x", value) }.serialized(), "renamed \(where_)")
        case 2, 3, 4, 5:
            let replacement = replacements.randomElement(using: &g) ?? .null
            return (edit(document, at: path[...]) { _, key in (key, replacement) }.serialized(), "\(where_) = \(replacement.serialized(indent: nil))")
        case 6:
            let nested = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
            return (text.replacingOccurrences(of: "{", with: "{\"deep\": \(nested), ", options: [], range: text.range(of: "{")), "deep nesting")
        case 7:
            let cut = Int.random(in: 0..<max(text.utf8.count, 1), using: &g)
            return (String(decoding: Array(text.utf8.prefix(cut)), as: UTF8.self), "truncated at byte \(cut)")
        case 8: return (text.replacingOccurrences(of: "{", with: "{\"name\": \"dup\",", options: [], range: text.range(of: "{")), "duplicate key")
        case 9: return ("\u{FEFF}" + text, "BOM")
        case 10: return (text.replacingOccurrences(of: "\n", with: "\r\n"), "CRLF")
        case 11:
            let at = text.index(text.startIndex, offsetBy: Int.random(in: 0..<max(text.count, 1), using: &g))
            return (String(text[..<at]) + "\u{0}" + String(text[at...]), "NUL byte")
        case 12: return (edit(document, at: path[...]) { value, _ in ("", value) }.serialized(), "empty key at \(where_)")
        default:
            let value = (try? JSONParser.parse("{\"a\": 1}")) ?? .null
            return (
                edit(document, at: path[...]) { _, key in (key, .array(Array(repeating: value, count: 20_000))) }.serialized(),
                "huge list at \(where_)"
            )
        }
    }

    @Test("≥ 1,000 mutants of the bundled scenarios: each accepted or refused with a located error, never hanging; a sample of the accepted runs")
    func mutants() throws {
        var g = Generator(state: 20_261_202)
        var refused = 0, accepted = 0, ran = 0
        let texts = try Self.bundled.map { (name: $0, text: try String(contentsOfFile: "\(Self.root)/Scenarios/\($0)", encoding: .utf8)) }
        #expect(texts.count >= 10)
        for case_ in 0..<1_040 {
            let base = texts[case_ % texts.count]
            let (text, what) = Self.mutant(of: base.text, &g)
            let started = Date()
            do {
                let loaded = try LoadedScenario.decode(text, file: base.name)
                // A guard against hangs (quadratic validation, runaway recursion), not a benchmark: decoding
                // takes milliseconds, so 5 s holds on a loaded CI machine.
                #expect(Date().timeIntervalSince(started) < 5, "case \(case_) (\(base.name), \(what)) took \(Date().timeIntervalSince(started)) s")
                accepted += 1
                // A sample of the accepted mutants runs, at a tiny size.
                if ran < 25, loaded.scenario.base.transfer == nil, case_ % 3 == 0 {
                    let tiny = try? LoadedScenario.decode(
                        text, file: base.name,
                        overrides: ["training.steps=3", "data.train_size=120", "data.test_size=60", "seeds=1"])
                    if let run = tiny?.scenario.runs.first, MemoryEstimate(run.configuration).bytes < 2e9 {
                        _ = try? RunStudy.run(run.configuration, seed: run.seed)
                        ran += 1
                    }
                }
            } catch {
                refused += 1
                let located = error.kind == .syntax ? error.file.contains(":") : !error.path.isEmpty
                #expect(located, "case \(case_) (\(base.name), \(what)): the error does not say where: \(error)")
                #expect(error.description.count < 2_000, "case \(case_) (\(base.name), \(what)): a \(error.description.count)-character message")
                #expect(Date().timeIntervalSince(started) < 5, "case \(case_) (\(base.name), \(what)) took \(Date().timeIntervalSince(started)) s")
            }
        }
        print("scenario fuzzing: \(refused + accepted) mutants; \(refused) refused with a located error, \(accepted) accepted, \(ran) of those run")
        #expect(refused + accepted >= 1_000 && refused > 300 && accepted > 50 && ran >= 10, "refused \(refused), accepted \(accepted), ran \(ran)")
    }
}
