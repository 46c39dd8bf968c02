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

    public init(width: Int, activation: Activation, hiddenBias: Bool = true,
                initialization: Initialization = .pytorch, trainOutput: Bool = false, outputBias: Bool = true) {
        self.width = width
        self.activation = activation
        self.hiddenBias = hiddenBias
        self.initialization = initialization
        self.trainOutput = trainOutput
        self.outputBias = outputBias
    }
}
