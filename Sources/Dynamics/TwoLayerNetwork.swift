import GSL

/// Buffers for one forward pass over up to `capacity` samples (reused; never reallocated in a loop).
struct ForwardWorkspace {
    /// Pre-activations h = X Wᵀ + b (rows × m).
    var preActivations: Matrix
    /// σ(h).
    var activations: Matrix
    /// σ'(h), filled by training forward passes of activations whose slopes are not cheap to recompute.
    var slopes: Matrix
    /// Network outputs f.
    var outputs: [Double]

    init(capacity: Int, width: Int, activation: Activation) {
        preActivations = Matrix(rows: capacity, columns: width)
        activations = Matrix(rows: capacity, columns: width)
        slopes = Matrix(rows: activation.slopesAreCheap ? 0 : capacity, columns: width)
        outputs = [Double](repeating: 0, count: capacity)
    }

    mutating func useRows(_ count: Int) {
        preActivations.useRows(count)
        activations.useRows(count)
    }
}

/// The parameters of f(x) = Σ_r a_r σ(⟨w_r, x⟩ + b_r) + c, with w_r in the run's representation.
public struct TwoLayerNetwork: Sendable {
    public var configuration: ModelConfiguration
    /// m × p first-layer weights.
    public var weights: Matrix
    /// m hidden biases (zeros when the model has none).
    public var hiddenBias: [Double]
    /// m output weights a_r.
    public var outputWeights: [Double]
    /// The output bias c, as a one-element array so the optimiser treats it like any parameter.
    public var outputBias: [Double]

    public var width: Int { configuration.width }

    /// A network initialised in R^d (always, so that both representations start from the same weights).
    public static func initialized(_ configuration: ModelConfiguration, inputDimension d: Int,
                                   generator: inout RandomGenerator) -> TwoLayerNetwork {
        let m = configuration.width
        var weights = Matrix(rows: m, columns: d)
        var bias = [Double](repeating: 0, count: m)
        switch configuration.initialization {
        case .pytorch:
            let bound = 1 / Double(d).squareRoot()
            for i in 0..<(m * d) { weights.storage[i] = generator.uniform(-bound, bound) }
            for r in 0..<m { bias[r] = generator.uniform(-bound, bound) }
        case let .gaussian(sd):
            for i in 0..<(m * d) { weights.storage[i] = generator.gaussian(standardDeviation: sd) }
        }
        if !configuration.hiddenBias { bias = [Double](repeating: 0, count: m) }
        let outputBound = 1 / Double(m).squareRoot()
        var output = [Double](repeating: 0, count: m)
        if configuration.trainOutput {
            for r in 0..<m { output[r] = generator.uniform(-outputBound, outputBound) }
        } else {
            for r in 0..<m { output[r] = r < m / 2 ? 1 / Double(m) : -1 / Double(m) }
        }
        let c = configuration.outputBias ? generator.uniform(-outputBound, outputBound) : 0
        return TwoLayerNetwork(configuration: configuration, weights: weights, hiddenBias: bias,
                               outputWeights: output, outputBias: [c])
    }

    /// Computes h = X Wᵀ + b, σ(h) and f for the rows in use of `inputs`; with `slopes`, also σ'(h)
    /// when the activation's slopes are not cheap to recompute (see `Activation.slopesAreCheap`).
    func forward(_ inputs: Matrix, workspace: inout ForwardWorkspace, slopes: Bool = false) {
        let n = inputs.rows, m = width
        workspace.useRows(n)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, weights, beta: 0, into: &workspace.preActivations)
        let activation = configuration.activation
        let addBias = configuration.hiddenBias
        let storeSlopes = slopes && !activation.slopesAreCheap
        if storeSlopes { workspace.slopes.useRows(n) }
        hiddenBias.withUnsafeBufferPointer { b in
            workspace.preActivations.storage.withUnsafeMutableBufferPointer { h in
                workspace.activations.storage.withUnsafeMutableBufferPointer { a in
                    workspace.slopes.storage.withUnsafeMutableBufferPointer { s in
                        activation.apply(addingBias: addBias ? b.baseAddress! : nil, to: h.baseAddress!,
                                         rows: n, width: m, values: a.baseAddress!,
                                         slopes: storeSlopes ? s.baseAddress! : nil)
                    }
                }
            }
        }
        let c = outputBias[0]
        for i in 0..<n { workspace.outputs[i] = c }
        BLAS.gemv(.none, alpha: 1, workspace.activations, outputWeights, beta: 1, into: &workspace.outputs)
    }
}
