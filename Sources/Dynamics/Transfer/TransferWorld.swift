import GSL
import Schema

/// The feature dictionary every stage of a transfer protocol shares: orthonormal directions in R^d
/// with roles — core directions u_k (the classes' features), fresh core directions (unseen by an
/// earlier task: a negative control), background directions v_m and one trigger direction t — and the
/// input noise σ. A sample is x = a·u + Σ β_m v_m + σξ (+ τ·t when the trigger is planted).
public struct TransferWorld: Sendable, Equatable {
    public var dimension: Int
    public var coreCount: Int
    public var freshCount: Int
    public var backgroundCount: Int
    /// The distribution of each background coefficient β_m, shared by every task.
    public var background: Distribution
    public var noise: Double
    /// τ, the trigger's strength wherever it is planted or added at test time.
    public var triggerStrength: Double
    /// Multiples m of τ at which the attack success rate is also measured (m·τ·t added at test time).
    public var asrMultiples: [Double]

    /// Rows of the dictionary: core, then fresh core, then background, then the trigger.
    public var directionCount: Int { coreCount + freshCount + backgroundCount + 1 }
    var freshOffset: Int { coreCount }
    var backgroundOffset: Int { coreCount + freshCount }
    var triggerRow: Int { coreCount + freshCount + backgroundCount }

    /// Where a task's core directions start: at the world's core, or at its fresh core.
    func firstCoreRow(of task: TransferTask) -> Int { task.coreFrom == .core ? 0 : freshOffset }

    /// The dictionary of a seed: Haar-random orthonormal rows from the stream "dictionary".
    func dictionary(seed: UInt64) throws(GSLError) -> Matrix {
        var stream = RandomGenerator(seed: seed, stream: "dictionary")
        return try Linalg.randomOrthonormalRows(count: directionCount, dimension: dimension, generator: &stream)
    }
}

extension TransferWorld {
    static let dimension = Field("dimension", Codec.integer(2...100_000), default: 64, "Ambient input dimension d.")
    static let core = Field(
        "core", Codec.integer(1...10_000), default: 8, "Number of core directions u_k, which tasks assign to their classes.")
    static let fresh = Field(
        "fresh_core", Codec.integer(0...10_000), default: 0,
        "Further core directions that a task may use instead (\"core_from\": \"fresh\"): features no other task has seen.")
    static let backgroundCount = Field("background", Codec.integer(0...100_000), default: 16, "Number of background directions v_m.")
    static let backgroundCoefficients = Field(
        "background_coefficients", Distribution.codec, default: .uniform(low: 0, high: 0.5),
        "Distribution of every background coefficient β_m, independent of the label.")
    static let noise = Field("noise", Codec.number(.nonNegative), default: 0.3, "Standard deviation σ of isotropic Gaussian input noise.")
    static let triggerStrength = Field(
        "trigger_strength", Codec.number(.positive), default: 2.0,
        "τ: the trigger τ·t added where a task plants it and to the test inputs that measure the attack success rate.")

    static let asrMultiples = Field(
        "asr_multiples", Codec.list(of: Codec.number(.positive), distinct: true, example: "[2, 4]"), default: [],
        "Multiples m of τ at which every stage's attack success rate is also measured, with m·τ·t added to the test inputs: a trigger weight that fine-tuning only out-voted shows again at m > 1 (a latent bias). Each gives a metric asr_x<m>."
    )

    static let codec = Codec<TransferWorld>.object(
        [dimension, core, fresh, backgroundCount, backgroundCoefficients, noise, triggerStrength, asrMultiples],
        decode: { read throws(ScenarioError) in
            let world = TransferWorld(
                dimension: try read(dimension), coreCount: try read(core), freshCount: try read(fresh),
                backgroundCount: try read(backgroundCount), background: try read(backgroundCoefficients), noise: try read(noise),
                triggerStrength: try read(triggerStrength), asrMultiples: try read(asrMultiples))
            if world.directionCount > world.dimension {
                throw read.invalid(
                    "dimension",
                    "\(world.dimension) cannot hold \(world.directionCount) orthonormal directions (core + fresh_core + background + the trigger); allowed: ≥ \(world.directionCount)"
                )
            }
            return world
        },
        encode: { world in
            [
                dimension.member(world.dimension), core.member(world.coreCount), fresh.member(world.freshCount),
                backgroundCount.member(world.backgroundCount), backgroundCoefficients.member(world.background),
                noise.member(world.noise), triggerStrength.member(world.triggerStrength), asrMultiples.member(world.asrMultiples),
            ]
        })
}
