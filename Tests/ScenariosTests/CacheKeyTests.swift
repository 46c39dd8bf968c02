import Dynamics
import Foundation
@testable import Scenarios
import Schema
import TestSupport
import Testing

/// The cache key is derived from the schema's encoding of the whole typed configuration, so no field
/// can escape it: a run with any field changed must miss the cache, and two files that describe the
/// same configuration must share its entry.
@Suite("Cache key")
struct CacheKeyTests {
    static let root = #filePath.components(separatedBy: "/Tests/").first ?? "."

    /// Candidate replacements for a leaf: some are invalid or change nothing, and are skipped.
    static func candidates(for value: JSONValue) -> [JSONValue] {
        switch value {
        case let .number(x, _):
            [x * 2, x + 1, x / 2, x + 0.5, x - 1, 1, 2, 0.5, 0.25, 0].map { JSONValue.number($0) }
        case let .bool(flag):
            [.bool(!flag)]
        case .string:
            [.integer(10), .integer(100), .object([("gaussian", .number(0.01))]), .object([("long_tailed", .number(10))])]
                + [
                    "standard", "random", "radius", "sign", "hinge", "logistic", "squared", "fresh", "fixed", "ambient", "auto",
                    "step", "cosine", "constant", "adam", "adamw", "rmsprop", "adagrad", "sgd", "gelu", "linear", "tanh", "elu", "float32",
                    "leaky_relu", "scale", "zero", "mean_shift", "other", "full", "uniform", "pytorch",
                    // transfer stages and tasks
                    "new", "inherited", "all", "head", "core", "source", "target", "poison", "uncorrelated", "class_conditional",
                    "pre", "id", "ood_view", "ood_bg", "pretrain", "zeroshot", "ft", "lp", "scratch", "teacher",
                ].map { JSONValue.string($0) }
        case .array, .object, .null:
            []
        }
    }

    static func leaves(_ value: JSONValue, path: [String] = []) -> [(path: [String], value: JSONValue)] {
        switch value {
        case let .object(members): members.flatMap { leaves($0.value, path: path + [$0.key]) }
        case let .array(items): items.indices.flatMap { leaves(items[$0], path: path + ["[\($0)]"]) }
        default: [(path, value)]
        }
    }

    static func key(_ configuration: RunConfiguration, seed: UInt64 = 0) -> String {
        RunCache.identity(PlannedRun(id: "", index: 0, cellIndex: 0, seed: seed, configuration: configuration), blas: "test").key
    }

    /// Every distinct configuration the bundled scenarios run (all sweep cells), as contexts for changes.
    static func contexts() throws -> [(name: String, configuration: RunConfiguration)] {
        var contexts: [(name: String, configuration: RunConfiguration)] = []
        for entry in ScenarioLocator.bundled(in: root) {
            let scenario = try ScenarioLocator.load("\(root)/\(entry.path)")
            // The bundled runs hold no multi-class configuration with a uniform prior: add one per K-class cell.
            let balanced = scenario.cells.compactMap { cell in
                cell.configuration.data.isMulticlass
                    ? try? ScenarioDecoder.setting("data.prior", to: .string("uniform"), in: cell.configuration) : nil
            }
            for configuration in scenario.cells.map(\.configuration) + balanced where !contexts.contains(where: { $0.configuration == configuration })
            {
                contexts.append((entry.name, configuration))
            }
        }
        return contexts
    }

    @Test("Changing any leaf field of any bundled scenario changes its cache key; equal configurations share it")
    func everyLeafIsInTheKey() throws {
        var checked = 0
        var covered = Set<String>(), seen = Set<String>()
        var byKey: [String: RunConfiguration] = [:]
        func record(_ configuration: RunConfiguration, _ label: @autoclosure () -> String) {
            let key = Self.key(configuration)
            if let other = byKey[key] {
                #expect(other == configuration, "two configurations share the cache key \(key): \(label())")
            }
            byKey[key] = configuration
        }
        for context in try Self.contexts() {
            let base = context.configuration, baseKey = Self.key(base)
            // A transfer protocol's encoding leaves out exactly the sections it replaces.
            let excused = base.transfer == nil ? [] : RunConfiguration.excludedByTransfer.map { "missing \($0)" }
            let missing = RunConfiguration.codec.shape.undeclaredOrMissing(in: RunConfiguration.codec.encode(base))
                .filter { !excused.contains($0) }
            #expect(missing.isEmpty, "\(context.name): the encoding leaves out declared fields or adds others: \(missing)")
            let roundTrip = try RunConfiguration.codec.decode(RunConfiguration.codec.encode(base), at: "")
            #expect(roundTrip == base, "\(context.name): the encoding does not decode to the same configuration")
            record(base, context.name)
            #expect(Self.key(base, seed: 1) != baseKey, "the seed is part of the key")
            let encoded = RunConfiguration.codec.encode(base)
            for leaf in Self.leaves(encoded) {
                let general = leaf.path.map { $0.hasPrefix("[") ? "[]" : $0 }.joined(separator: ".")
                seen.insert(general)
                // Set the deepest settable field that holds the leaf (a distribution or a list as a whole).
                let settable =
                    (1...leaf.path.count).reversed().first { count in
                        leaf.path.prefix(count).allSatisfy { !$0.hasPrefix("[") }
                            && ScenarioDecoder.settablePaths.contains(leaf.path.prefix(count).joined(separator: "."))
                    } ?? 0
                guard settable > 0 else { continue }
                let path = leaf.path.prefix(settable).joined(separator: ".")
                for candidate in Self.candidates(for: leaf.value) where candidate != leaf.value {
                    let value = encoded.replacingLeaf(leaf.path[...], with: candidate)?.at(leaf.path.prefix(settable)) ?? .null
                    guard let mutated = try? ScenarioDecoder.setting(path, to: value, in: base) else { continue }
                    // The key changes exactly when the configuration does.
                    #expect(
                        (Self.key(mutated) != baseKey) == (mutated != base),
                        "\(context.name): \(general) = \(candidate.compactText)")
                    if mutated != base {
                        covered.insert(general)
                        checked += 1
                    }
                    record(mutated, "\(context.name): \(general) = \(candidate.compactText)")
                }
            }
        }
        // A stage's optimiser and schedule are the training section's own fields (the same declarations):
        // a leaf of theirs is covered where the training section's is.
        let sameFields = ["transfer.stages.[].optimizer.": "training.optimizer.", "transfer.stages.[].schedule.": "training.schedule."]
        // A task's name is what its stages refer to: renaming it alone is never valid (renaming both
        // changes the stages' `task` leaves, which are covered).
        let referenced: Set = ["transfer.tasks.[].name"]
        let uncovered = seen.subtracting(covered).subtracting(referenced).filter { path in
            !sameFields.contains { prefix, own in path.hasPrefix(prefix) && covered.contains(own + path.dropFirst(prefix.count)) }
        }.sorted()
        #expect(uncovered.isEmpty, "no valid change found for \(uncovered)")
        #expect(checked > 1000, "only \(checked) changes were checked")
    }

    @Test("A scenario, its resolved form and one with its defaults spelled out share keys")
    func sameConfigurationSameKey() throws {
        let terse = try ScenarioDecoder.decode(minimalScenario, file: "tiny.json")
        let resolved = try ScenarioDecoder.decode(terse.resolved().serialized(), file: "resolved.json")
        let spelled = try ScenarioDecoder.decode(
            withField(["training", "optimizer"], #"{"name": "sgd", "lr": 0.001, "momentum": 0, "weight_decay": 0}"#),
            file: "spelled.json")
        #expect(Self.key(terse.base) == Self.key(resolved.base))
        #expect(Self.key(terse.base) == Self.key(spelled.base))
        let other = try ScenarioDecoder.decode(withField(["training", "optimizer"], #"{"name": "sgd", "lr": 0.002}"#), file: "other.json")
        #expect(Self.key(terse.base) != Self.key(other.base))
    }
}

extension Shape {
    /// Paths where an encoding lacks a declared field (one that has a default or is required) or has
    /// a key the shape does not declare: a field the encoder forgot would escape the cache key.
    func undeclaredOrMissing(in json: JSONValue, path: String = "") -> [String] {
        func check(_ fields: [FieldShape], _ members: [JSONMember], skipping: [String] = []) -> [String] {
            var problems: [String] = []
            for field in fields {
                let here = path.isEmpty ? field.key : "\(path).\(field.key)"
                guard let member = members.first(where: { $0.key == field.key }) else {
                    if case .absent = field.defaultValue { continue }
                    problems.append("missing \(here)")
                    continue
                }
                problems += field.shape.undeclaredOrMissing(in: member.value, path: here)
            }
            let keys = fields.map(\.key) + skipping
            return problems + members.filter { !keys.contains($0.key) }.map { "undeclared \(path).\($0.key)" }
        }
        switch (self, json) {
        case let (.object(fields), .object(members)):
            return check(fields, members)
        case let (.tagged(tag, _, variants), .object(members)):
            guard case let .string(name)? = members.first(where: { $0.key == tag })?.value,
                let variant = variants.first(where: { $0.name == name })
            else { return ["no variant at \(path)"] }
            return check(variant.fields, members, skipping: [tag])
        case let (.oneOf(shapes), _):
            return shapes.first(where: { $0.admits(json) })?.undeclaredOrMissing(in: json, path: path) ?? []
        case let (.list(item, _, _), .array(items)):
            return items.indices.flatMap { item.undeclaredOrMissing(in: items[$0], path: "\(path)[\($0)]") }
        default:
            return []
        }
    }
}
