import Schema

/// The `data` section's fields: features, classes and prior, background, shifts.
extension DataConfiguration {
    static let dimension = Field("dimension", Codec.integer(1...100_000), default: 256, "Ambient input dimension d.")
    static let basis = Field(
        "basis", Codec<FeatureBasis>.choice, default: .random,
        "The orthonormal dictionary: Haar-random vectors, or the first coordinate vectors.")
    static let core = Field.section("core", CoreFeatures.codec, "The label-dependent core features.")
    static let classes = Field(
        "classes", Codec.integer(2...10_000), default: 2,
        "Number of classes K (2 for the binary relations; K ≥ 2 with class_blocks).")
    static let prior = Field(
        "prior", ClassPrior.codec, default: .uniform,
        "The training set's label prior (class_blocks only; test sets are balanced).")
    static let background = Field.section("background", BackgroundFeatures.codec, "The label-independent background features.")
    static let noise = Field("noise", Codec.number(.nonNegative), default: 0.0, "Standard deviation of isotropic Gaussian input noise in R^d.")
    static let trainSize = Field("train_size", Codec.integer(2...10_000_000), default: 1000, "Training-set size.")
    static let testSize = Field(
        "test_size", Codec.integer(2...10_000_000), default: 1000,
        "Size of the ID test set and of each OOD set that draws a fresh core.")
    /// One flip with its own defaults (read through the shift's schema, not written out again).
    static let shifts = Field(
        "shifts", Codec.list(of: BackgroundShift.codec),
        default: (try? BackgroundShift.codec.decode(.object([("kind", .string("flip"))]), at: "")).map { [$0] } ?? [],
        "Out-of-distribution test sets: changes of the background distribution.")

    /// The `data` section, with its rules across fields.
    public static let codec = Codec<DataConfiguration>.object(
        [dimension, basis, core, classes, prior, background, noise, trainSize, testSize, shifts],
        decode: { read throws(ScenarioError) in
            let coreFeatures = try read(core), backgroundFeatures = try read(background)
            let data = DataConfiguration(
                dimension: try read(dimension), basis: try read(basis), coreCount: coreFeatures.count, core: coreFeatures.relation,
                classes: try read(classes), prior: try read(prior), backgroundCount: backgroundFeatures.count,
                background: backgroundFeatures.coefficients, noise: try read(noise), trainSize: try read(trainSize),
                testSize: try read(testSize), shifts: try read(shifts))
            try check(data, read)
            return data
        },
        encode: { data in
            [
                dimension.member(data.dimension), basis.member(data.basis), core.member(CoreFeatures(count: data.coreCount, relation: data.core)),
                classes.member(data.classes), prior.member(data.prior),
                background.member(BackgroundFeatures(count: data.backgroundCount, coefficients: data.background)),
                noise.member(data.noise), trainSize.member(data.trainSize), testSize.member(data.testSize), shifts.member(data.shifts),
            ]
        })

    private static func check(_ data: DataConfiguration, _ read: FieldReader) throws(ScenarioError) {
        if data.isMulticlass {
            guard data.coreCount % data.classes == 0 else {
                throw ScenarioError(
                    .invalid, path: read.path + ".core.count",
                    "\(data.coreCount) core features do not split into \(data.classes) equal class blocks; allowed: a multiple of data.classes (\(data.classes))"
                )
            }
        } else {
            if data.classes != 2 {
                throw read.invalid("classes", "\(data.classes) classes need \"core\": {\"relation\": \"class_blocks\"}; this relation is binary")
            }
            if data.prior != .uniform {
                throw read.invalid("prior", "a class prior needs \"core\": {\"relation\": \"class_blocks\"}; binary data is balanced")
            }
        }
        if let problem = data.prior.problem(classes: data.classes) { throw read.invalid("prior", problem) }
        guard data.featureCount <= data.dimension else {
            throw read.invalid(
                "dimension",
                "\(data.dimension) is too small for \(data.coreCount) core + \(data.backgroundCount) background orthonormal features; allowed: ≥ \(data.featureCount)"
            )
        }
        if let empty = data.prior.counts(total: data.trainSize, classes: data.classes).firstIndex(of: 0) {
            throw read.invalid(
                "train_size",
                "\(data.trainSize) samples leave class \(empty) without a training sample under the prior \(data.prior.label); allowed: a larger train_size"
            )
        }
        for (index, shift) in data.shifts.enumerated() where data.shifts[..<index].contains(where: { $0.name == shift.name }) {
            throw ScenarioError(
                .invalid, path: read.path + ".shifts[\(index)].name", "'\(shift.name)' is used by another shift; names must be unique")
        }
    }
}

/// The `data.core` section: how many core features and how they depend on the label.
struct CoreFeatures: Sendable {
    var count: Int
    var relation: CoreRelation

    static let count = Field("count", Codec.integer(1...100_000), default: 32, "Number of core (label-dependent) features.")

    static let codec = Codec<CoreFeatures>.tagged(
        "relation", noun: "core relation", default: "sign",
        [
            Variant(
                "sign", "z_j = y·|u_j|: every core coordinate carries the label's sign (the paper's set-up).",
                fields: [count, signCoefficients],
                decode: { read throws(ScenarioError) in
                    CoreFeatures(count: try read(count), relation: .sign(try read(signCoefficients)))
                },
                encode: { core in
                    guard case let .sign(coefficients) = core.relation else { return nil }
                    return [count.member(core.count), signCoefficients.member(coefficients)]
                }),
            Variant(
                "radius", "z uniform on a sphere whose radius depends on the class (no linear classifier separates them).",
                fields: [count, radii],
                decode: { read throws(ScenarioError) in
                    let (positive, negative) = try read(radii)
                    return CoreFeatures(count: try read(count), relation: .radius(positive: positive, negative: negative))
                },
                encode: { core in
                    guard case let .radius(positive, negative) = core.relation else { return nil }
                    return [count.member(core.count), radii.member((positive, negative))]
                }),
            Variant(
                "class_blocks", "K classes, each owning count/K core features; N(0, noise²) on every core coefficient.",
                fields: [count, blockCoefficients, blockNoise],
                decode: { read throws(ScenarioError) in
                    CoreFeatures(count: try read(count), relation: .classBlocks(signal: try read(blockCoefficients), noise: try read(blockNoise)))
                },
                encode: { core in
                    guard case let .classBlocks(signal, noise) = core.relation else { return nil }
                    return [count.member(core.count), blockCoefficients.member(signal), blockNoise.member(noise)]
                }),
        ])

    private static let signCoefficients = Field(
        "coefficients", Distribution.codec, default: .uniform(low: 0, high: 1),
        "Distribution of u_j; the coefficient is y·|u_j|.")
    private static let radii = Field(
        "radii",
        Codec.pair(Codec.number(.positive), Codec.number(.positive), names: "[radius for y=+1, radius for y=−1]")
            .checked { $0.0 == $0.1 ? "the two radii must differ, or the classes coincide" : nil }, default: (1.0, 2.0),
        "Sphere radii for y = +1 and y = −1.")
    private static let blockCoefficients = Field(
        "coefficients", Distribution.codec, default: .constant(1),
        "Distribution of a class's own block coefficients.")
    private static let blockNoise = Field(
        "noise", Codec.number(.nonNegative), default: 1.0,
        "Standard deviation of the N(0, noise²) added to every core coefficient (class overlap).")
}

/// The `data.background` section.
struct BackgroundFeatures: Sendable {
    var count: Int
    var coefficients: Distribution

    private static let count = Field("count", Codec.integer(0...100_000), default: 32, "Number of background (label-independent) features.")
    private static let coefficients = Field(
        "coefficients", Distribution.codec, default: .uniform(low: 0, high: 1),
        "Distribution of every background coefficient, independent of the label.")

    static let codec = Codec<BackgroundFeatures>.object(
        [count, coefficients],
        decode: { read throws(ScenarioError) in
            BackgroundFeatures(count: try read(count), coefficients: try read(coefficients))
        }, encode: { [count.member($0.count), coefficients.member($0.coefficients)] })
}

extension BackgroundShift {
    private static let name = Field(
        "name",
        Codec.string(pattern: "^[a-z0-9_]+$", ruleText: "lower-case letters, digits and '_'; not \"id\"") { name in
            if name.isEmpty || !name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) {
                return "'\(name)' is not allowed; use lower-case letters, digits and '_' (it becomes part of metric names)"
            }
            return name == EvaluationSet.id.name ? "'\(name)' names the ID test set; give the shift another name" : nil
        }, fallback: .derived("the kind"), "The set's name in metric names (ood_loss_<name>); defaults to the kind.")
    private static let reuse = Field(
        "reuse_train_core", Codec.boolean, default: false,
        "Re-use the training set's core coefficients and labels (the authors' toy.py OOD set).")
    private static let flipFactor = Field("factor", Codec.number(.positive), default: 1.0, "z ↦ −factor·z.")
    private static let scaleFactor = Field.required("factor", Codec.number(.any), "z ↦ factor·z.")
    private static let delta = Field.required("delta", Codec.number(.any), "z ↦ z + delta.")
    private static let redrawn = Field.required("coefficients", Distribution.codec, "The distribution background coefficients are drawn from.")

    /// One kind of shift: its tag, meaning and parameter fields, how it reads a `Kind` from them and
    /// the parameter members it writes (nil for another kind).
    private static func kind(
        _ tag: String, _ meaning: String, _ parameters: [any FieldDeclaration],
        make: @escaping @Sendable (FieldReader) throws(ScenarioError) -> Kind, take: @escaping @Sendable (Kind) -> [JSONMember]?
    ) -> Variant<BackgroundShift> {
        Variant(
            tag, meaning, fields: [name] + parameters + [reuse],
            decode: { read throws(ScenarioError) in
                BackgroundShift(name: try read.optional(name) ?? tag, kind: try make(read), reuseTrainingCore: try read(reuse))
            },
            encode: { shift in
                take(shift.kind).map { [name.member(shift.name), reuse.member(shift.reuseTrainingCore)] + $0 }
            })
    }

    /// `{"kind": "flip" | "scale" | "mean_shift" | "zero" | "redraw", "name": ..., parameter}`.
    static let codec = Codec<BackgroundShift>.tagged(
        "kind", noun: "shift", default: nil,
        [
            kind(
                "flip", "−factor·z (the paper's shift with factor 1).", [flipFactor],
                make: { read throws(ScenarioError) in .flip(factor: try read(flipFactor)) },
                take: { if case let .flip(factor) = $0 { [flipFactor.member(factor)] } else { nil } }),
            kind(
                "scale", "factor·z.", [scaleFactor], make: { read throws(ScenarioError) in .scale(factor: try read(scaleFactor)) },
                take: { if case let .scale(factor) = $0 { [scaleFactor.member(factor)] } else { nil } }),
            kind(
                "mean_shift", "z + delta.", [delta], make: { read throws(ScenarioError) in .meanShift(delta: try read(delta)) },
                take: { if case let .meanShift(value) = $0 { [delta.member(value)] } else { nil } }),
            kind("zero", "0: the background is removed.", [], make: { _ in .zero }, take: { $0 == .zero ? [] : nil }),
            kind(
                "redraw", "A fresh draw from another distribution.", [redrawn],
                make: { read throws(ScenarioError) in .redraw(try read(redrawn)) },
                take: { if case let .redraw(distribution) = $0 { [redrawn.member(distribution)] } else { nil } }),
        ])
}
