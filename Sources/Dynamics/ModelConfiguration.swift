import Schema

/// How the first layer (and a trained second layer) is initialised.
public enum Initialization: Sendable, Equatable {
    /// PyTorch's `nn.Linear` default: weights and biases U(±1/√fan_in).
    case pytorch
    /// Weights N(0, σ²), biases 0 (the theory's initialisation).
    case gaussian(standardDeviation: Double)
}

/// A two-layer network f(x) = Σ_r a_r σ(⟨w_r, x⟩ + b_r) + c.
public struct ModelConfiguration: Sendable, Equatable {
    /// Hidden width m.
    public var width: Int
    public var activation: Activation
    /// Hidden biases b_r.
    public var hiddenBias: Bool
    public var initialization: Initialization
    /// Train the second layer (a, c); if false, a_r = +1/m for the first half and −1/m for the rest.
    public var trainOutput: Bool
    /// Output bias c (initialised as PyTorch does; frozen with the layer when not trained).
    public var outputBias: Bool

    public init(
        width: Int, activation: Activation, hiddenBias: Bool = true,
        initialization: Initialization = .pytorch, trainOutput: Bool = false, outputBias: Bool = true
    ) {
        self.width = width
        self.activation = activation
        self.hiddenBias = hiddenBias
        self.initialization = initialization
        self.trainOutput = trainOutput
        self.outputBias = outputBias
    }
}

extension Initialization {
    /// `"pytorch"` or `{"gaussian": std}`.
    public static let codec = Codec<Initialization>.oneOf([
        .literal("pytorch", .pytorch),
        Alternative(
            Codec.keyed(
                noun: "initialisation", example: "{\"gaussian\": 0.01}",
                [
                    KeyedCase(
                        "gaussian", "Weights N(0, std²), biases 0 (the theory's initialisation).", Codec.number(.positive),
                        embed: { Initialization.gaussian(standardDeviation: $0) },
                        extract: { if case let .gaussian(sd) = $0 { sd } else { nil } })
                ]), embed: { $0 }, extract: { $0 == .pytorch ? nil : $0 }),
    ])
}

extension ModelConfiguration {
    /// The defaults of the fields the initialiser leaves optional are the initialiser's own.
    private static let defaults = ModelConfiguration(width: 256, activation: .relu)
    static let width = Field("width", Codec.integer(1...1_000_000), default: defaults.width, "Hidden width m.")
    static let activation = Field("activation", Activation.codec, default: defaults.activation, "The hidden non-linearity σ.")
    static let bias = Field("bias", Codec.boolean, default: defaults.hiddenBias, "Hidden biases b_r.")
    static let initialization = Field(
        "init", Initialization.codec, default: defaults.initialization,
        "\"pytorch\" (U(±1/√fan_in), nn.Linear's default) or {\"gaussian\": std}.")
    static let trained = Field(
        "trained", Codec.boolean, default: defaults.trainOutput,
        "Train the second layer; if false it is frozen at ±1/m (binary) or 1/m per class.")
    static let outputBias = Field("bias", Codec.boolean, default: defaults.outputBias, "Output bias c (frozen with the layer when not trained).")
    static let output = Field.section(
        "output",
        Codec<(Bool, Bool)>.object(
            [trained, outputBias],
            decode: { read throws(ScenarioError) in
                (try read(trained), try read(outputBias))
            }, encode: { [trained.member($0.0), outputBias.member($0.1)] }), "The second layer.")

    /// The `model` section.
    public static let codec = Codec<ModelConfiguration>.object(
        [width, activation, bias, initialization, output],
        decode: { read throws(ScenarioError) in
            let (trainOutput, outputBiasOn) = try read(output)
            let model = ModelConfiguration(
                width: try read(width), activation: try read(activation), hiddenBias: try read(bias),
                initialization: try read(initialization), trainOutput: trainOutput, outputBias: outputBiasOn)
            if !model.trainOutput && model.width < 2 {
                throw read.invalid("width", "\(model.width) is too small for a frozen output layer; allowed: ≥ 2 (≥ data.classes for K classes)")
            }
            return model
        },
        encode: { model in
            [
                width.member(model.width), activation.member(model.activation), bias.member(model.hiddenBias),
                initialization.member(model.initialization), output.member((model.trainOutput, model.outputBias)),
            ]
        })
}
