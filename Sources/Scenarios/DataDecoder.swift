import Dynamics

/// Decodes the `data` section (features, classes and prior, background, shifts, coefficient
/// distributions) and the `prior_estimation` section.
extension ScenarioDecoder {
    static func decodeData(_ reader: ObjectReader) throws(ScenarioError) -> DataConfiguration {
        let dimension = try reader.integer("dimension", default: 256, range: 1...100_000)
        let basis = FeatureBasis(rawValue: try reader.choice("basis", default: "random",
                                                             from: FeatureBasis.allCases.map(\.rawValue))) ?? .random
        let coreReader = try reader.object("core", allowed: ["count", "relation", "coefficients", "radii", "noise"])
        let coreCount = try coreReader.integer("count", default: 32, range: 1...100_000)
        let relationName = try coreReader.choice("relation", default: "sign", from: ["sign", "radius", "class_blocks"])
        if relationName != "class_blocks" && coreReader.value("noise") != nil {
            throw coreReader.invalid("noise", "only used with \"relation\": \"class_blocks\"")
        }
        let classes = try reader.integer("classes", default: 2, range: 2...10_000)
        let core: CoreRelation
        if relationName == "class_blocks" {
            if coreReader.value("radii") != nil { throw coreReader.invalid("radii", "only used with \"relation\": \"radius\"") }
            guard coreCount % classes == 0 else {
                throw coreReader.invalid("count", "\(coreCount) core features do not split into \(classes) equal class blocks; allowed: a multiple of data.classes (\(classes))")
            }
            core = .classBlocks(signal: try decodeDistribution(coreReader.value("coefficients"), path: coreReader.fieldPath("coefficients"),
                                                               fallback: .constant(1)),
                                noise: try coreReader.real("noise", default: 1, "≥ 0") { $0 >= 0 })
        } else if relationName == "sign" {
            if coreReader.value("radii") != nil { throw coreReader.invalid("radii", "only used with \"relation\": \"radius\"") }
            core = .sign(try decodeDistribution(coreReader.value("coefficients"), path: coreReader.fieldPath("coefficients"),
                                                fallback: .uniform(low: 0, high: 1)))
        } else {
            if coreReader.value("coefficients") != nil {
                throw coreReader.invalid("coefficients", "not used with \"relation\": \"radius\" (the core is uniform on spheres; set \"radii\")")
            }
            let radii = coreReader.value("radii") ?? .array([.integer(1), .integer(2)])
            guard case let .array(items) = radii, items.count == 2 else {
                throw coreReader.invalid("radii", "expected [radius for y=+1, radius for y=−1], found \(radii.compactText)")
            }
            let positive = try ObjectReader.real(items[0], path: coreReader.fieldPath("radii") + "[0]", "> 0") { $0 > 0 }
            let negative = try ObjectReader.real(items[1], path: coreReader.fieldPath("radii") + "[1]", "> 0") { $0 > 0 }
            guard positive != negative else { throw coreReader.invalid("radii", "the two radii must differ, or the classes coincide") }
            core = .radius(positive: positive, negative: negative)
        }
        let backgroundReader = try reader.object("background", allowed: ["count", "coefficients"])
        let backgroundCount = try backgroundReader.integer("count", default: 32, range: 0...100_000)
        let background = try decodeDistribution(backgroundReader.value("coefficients"),
                                                path: backgroundReader.fieldPath("coefficients"),
                                                fallback: .uniform(low: 0, high: 1))
        guard coreCount + backgroundCount <= dimension else {
            throw reader.invalid("dimension", "\(dimension) is too small for \(coreCount) core + \(backgroundCount) background orthonormal features; allowed: ≥ \(coreCount + backgroundCount)")
        }
        let noise = try reader.real("noise", default: 0, "≥ 0") { $0 >= 0 }
        let trainSize = try reader.integer("train_size", default: 1000, range: 2...10_000_000)
        let testSize = try reader.integer("test_size", default: 1000, range: 2...10_000_000)
        let shifts = try decodeShifts(reader.value("shifts"), path: reader.fieldPath("shifts"), background: background)
        let prior = try decodePrior(reader.value("prior"), path: reader.fieldPath("prior"), classes: classes)
        if relationName != "class_blocks" {
            if classes != 2 { throw reader.invalid("classes", "\(classes) classes need \"core\": {\"relation\": \"class_blocks\"}; the '\(relationName)' relation is binary") }
            if prior != .uniform { throw reader.invalid("prior", "a class prior needs \"core\": {\"relation\": \"class_blocks\"}; binary data is balanced") }
        }
        let counts = prior.counts(total: trainSize, classes: classes)
        if let empty = counts.firstIndex(of: 0) {
            throw reader.invalid("train_size", "\(trainSize) samples leave class \(empty) without a training sample under the prior \(prior.label); allowed: a larger train_size")
        }
        return DataConfiguration(dimension: dimension, basis: basis, coreCount: coreCount, core: core, classes: classes,
                                 prior: prior, backgroundCount: backgroundCount, background: background, noise: noise,
                                 trainSize: trainSize, testSize: testSize, shifts: shifts)
    }

    /// `"uniform"`, `{"long_tailed": ratio}` or a list of K positive weights.
    static func decodePrior(_ value: JSONValue?, path: String, classes: Int) throws(ScenarioError) -> ClassPrior {
        switch value {
        case nil, .string("uniform"): return .uniform
        case let .object(members) where members.count == 1 && members[0].key == "long_tailed":
            return .longTailed(ratio: try ObjectReader.real(members[0].value, path: path + ".long_tailed", "≥ 1 (head-to-tail frequency ratio)") { $0 >= 1 })
        case let .array(items):
            guard items.count == classes else {
                throw ScenarioError(.invalid, path: path, "\(items.count) weights for \(classes) classes; allowed: one positive weight per class")
            }
            var weights: [Double] = []
            for (i, item) in items.enumerated() {
                weights.append(try ObjectReader.real(item, path: "\(path)[\(i)]", "> 0") { $0 > 0 })
            }
            return .weights(weights)
        case let .some(other):
            throw ScenarioError(.invalid, path: path, "\(other.compactText) is not allowed; use \"uniform\", {\"long_tailed\": ratio} or a list of \(classes) positive weights")
        }
    }

    /// The `prior_estimation` section (multi-class data only).
    static func decodePriorStudy(_ reader: ObjectReader, data: DataConfiguration) throws(ScenarioError) -> PriorStudyConfiguration {
        guard data.isMulticlass else {
            throw ScenarioError(.invalid, path: "prior_estimation", "needs multi-class data (\"data\": {\"core\": {\"relation\": \"class_blocks\"}})")
        }
        let sizes = reader.value("labelled_per_class") ?? .array([.integer(5), .integer(20), .integer(100)])
        guard case let .array(items) = sizes, !items.isEmpty else {
            throw reader.invalid("labelled_per_class", "expected a non-empty list of samples per class, e.g. [5, 20, 100]")
        }
        var labelled: [Int] = []
        for (i, item) in items.enumerated() {
            let limit = max(10_000_000 / data.classes, 1)
            let count = try ObjectReader.integer(item, path: reader.fieldPath("labelled_per_class") + "[\(i)]", range: 1...limit)
            guard !labelled.contains(count) else {
                throw reader.invalid("labelled_per_class", "\(count) is listed twice; sizes must be distinct")
            }
            labelled.append(count)
        }
        let unlabelled = try reader.integer("unlabelled_size", default: 2000, range: 0...10_000_000)
        var partner: PriorStudyConfiguration.Partner?
        if reader.value("partner") != nil {
            let partnerReader = try reader.object("partner", allowed: ["prior", "train_size"])
            let prior = try decodePrior(partnerReader.value("prior"), path: partnerReader.fieldPath("prior"), classes: data.classes)
            let size = try partnerReader.integer("train_size", range: 2...10_000_000)
            if let empty = prior.counts(total: size, classes: data.classes).firstIndex(of: 0) {
                throw partnerReader.invalid("train_size", "\(size) samples leave class \(empty) without a training sample; allowed: a larger train_size")
            }
            partner = .init(prior: prior, trainSize: size)
        }
        return PriorStudyConfiguration(labelledPerClass: labelled, unlabelledSize: unlabelled, partner: partner)
    }

    static let distributionFamilies = ["uniform", "gaussian", "rademacher", "bernoulli", "constant"]

    /// `{"uniform": [low, high]}`, `{"gaussian": {"mean": μ, "std": σ}}`, `{"rademacher": scale}`,
    /// `{"bernoulli": {"p": p, "scale": s}}` or `{"constant": value}`.
    static func decodeDistribution(_ value: JSONValue?, path: String, fallback: Distribution) throws(ScenarioError) -> Distribution {
        guard let value else { return fallback }
        guard case let .object(members) = value, members.count == 1, let member = members.first else {
            throw ScenarioError(.invalid, path: path, "expected an object with one distribution, e.g. {\"uniform\": [0, 1]}; families: \(distributionFamilies.joined(separator: ", "))")
        }
        let inner = "\(path).\(member.key)"
        switch member.key {
        case "uniform":
            guard case let .array(bounds) = member.value, bounds.count == 2 else {
                throw ScenarioError(.invalid, path: inner, "expected [low, high], found \(member.value.compactText)")
            }
            let low = try ObjectReader.real(bounds[0], path: "\(inner)[0]", "(any finite number)") { _ in true }
            let high = try ObjectReader.real(bounds[1], path: "\(inner)[1]", "> low (\(low))") { $0 > low }
            return .uniform(low: low, high: high)
        case "gaussian":
            let reader = try ObjectReader(member.value, path: inner, allowed: ["mean", "std"])
            return .gaussian(mean: try reader.real("mean", default: 0, "(any finite number)") { _ in true },
                             standardDeviation: try reader.real("std", default: 1, "> 0") { $0 > 0 })
        case "rademacher":
            return .rademacher(scale: try ObjectReader.real(member.value, path: inner, "> 0") { $0 > 0 })
        case "bernoulli":
            let reader = try ObjectReader(member.value, path: inner, allowed: ["p", "scale"])
            return .bernoulli(p: try reader.real("p", "in [0, 1]") { $0 >= 0 && $0 <= 1 },
                              scale: try reader.real("scale", default: 1, "≠ 0") { $0 != 0 })
        case "constant":
            return .constant(try ObjectReader.real(member.value, path: inner, "(any finite number)") { _ in true })
        default:
            throw ScenarioError(.invalid, path: inner, "unknown distribution; " + suggestion(for: member.key, in: distributionFamilies))
        }
    }

    static let shiftKinds = ["flip", "scale", "mean_shift", "zero", "redraw"]

    static func decodeShifts(_ value: JSONValue?, path: String, background: Distribution) throws(ScenarioError) -> [BackgroundShift] {
        guard let value else { return [BackgroundShift(name: "flip", kind: .flip(factor: 1))] }
        guard case let .array(items) = value else {
            throw ScenarioError(.invalid, path: path, "expected a list of shifts, found \(value.typeName)")
        }
        var shifts: [BackgroundShift] = []
        for (i, item) in items.enumerated() {
            let reader = try ObjectReader(item, path: "\(path)[\(i)]",
                                          allowed: ["name", "kind", "factor", "delta", "coefficients", "reuse_train_core"])
            let kindName = try reader.choice("kind", default: nil, from: shiftKinds)
            let allowedExtras: [String: [String]] = ["flip": ["factor"], "scale": ["factor"], "mean_shift": ["delta"],
                                                     "zero": [], "redraw": ["coefficients"]]
            for extra in ["factor", "delta", "coefficients"] where reader.value(extra) != nil && !(allowedExtras[kindName] ?? []).contains(extra) {
                throw reader.invalid(extra, "not used by a '\(kindName)' shift")
            }
            let kind: BackgroundShift.Kind
            switch kindName {
            case "flip": kind = .flip(factor: try reader.real("factor", default: 1, "> 0") { $0 > 0 })
            case "scale": kind = .scale(factor: try reader.real("factor", "(any finite number)") { _ in true })
            case "mean_shift": kind = .meanShift(delta: try reader.real("delta", "(any finite number)") { _ in true })
            case "zero": kind = .zero
            default: kind = .redraw(try decodeDistribution(try reader.required("coefficients"), path: reader.fieldPath("coefficients"), fallback: background))
            }
            let name = try reader.string("name", default: kindName)
            guard !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) else {
                throw reader.invalid("name", "'\(name)' is not allowed; use lower-case letters, digits and '_' (it becomes part of metric names)")
            }
            guard name != EvaluationSet.id else {
                throw reader.invalid("name", "'\(EvaluationSet.id)' names the ID test set; give the shift another name")
            }
            guard !shifts.contains(where: { $0.name == name }) else {
                throw reader.invalid("name", "'\(name)' is used by another shift; names must be unique")
            }
            shifts.append(BackgroundShift(name: name, kind: kind, reuseTrainingCore: try reader.bool("reuse_train_core", default: false)))
        }
        return shifts
    }
}
