import GSL

/// The forward pass's buffers in float64 (probes and analyses).
typealias ForwardWorkspace = ForwardWorkspaceOf<Double>

/// Buffers for one forward pass over up to `capacity` samples (reused; never reallocated in a loop).
struct ForwardWorkspaceOf<Scalar: EngineScalar> {
    /// Pre-activations h = X Wᵀ + b (rows × m).
    var preActivations: MatrixOf<Scalar>
    /// σ(h).
    var activations: MatrixOf<Scalar>
    /// σ'(h), filled by training forward passes of activations whose slopes are not cheap to recompute.
    var slopes: MatrixOf<Scalar>
    /// Whether the last forward pass filled `slopes` (else the backward pass recomputes them).
    var slopesStored = false
    /// Network outputs: n × K logits (K = 1: the binary output f).
    var outputs: MatrixOf<Scalar>

    init(capacity: Int, width: Int, outputs outputCount: Int, activation: Activation) {
        preActivations = MatrixOf(rows: capacity, columns: width)
        activations = MatrixOf(rows: capacity, columns: width)
        slopes = MatrixOf(rows: activation.slopesAreCheap ? 0 : capacity, columns: width)
        outputs = MatrixOf(rows: capacity, columns: outputCount)
    }

    mutating func useRows(_ count: Int) {
        preActivations.useRows(count)
        activations.useRows(count)
        outputs.useRows(count)
    }
}

/// A two-layer network in float64: what is initialised, probed, analysed and transferred.
public typealias TwoLayerNetwork = TwoLayerNetworkOf<Double>

/// The parameters of f(x) = Σ_r a_r σ(⟨w_r, x⟩ + b_r) + c, with w_r in the run's representation;
/// with K outputs, a_r and c are K-vectors and f(x) the K logits. Generic over the scalar it trains
/// in (`training.precision`).
public struct TwoLayerNetworkOf<Scalar: EngineScalar>: Sendable {
    public var configuration: ModelConfiguration
    /// m × p first-layer weights.
    public var weights: MatrixOf<Scalar>
    /// m hidden biases (zeros when the model has none).
    public var hiddenBias: [Scalar]
    /// m × K output weights (row r is a_r; K = 1 for a binary output).
    public var outputWeights: MatrixOf<Scalar>
    /// The K output biases c (one element for a binary output).
    public var outputBias: [Scalar]

    public var width: Int { configuration.width }
    /// K, the number of outputs.
    public var outputCount: Int { outputWeights.columns }

    public init(
        configuration: ModelConfiguration, weights: MatrixOf<Scalar>, hiddenBias: [Scalar], outputWeights: MatrixOf<Scalar>,
        outputBias: [Scalar]
    ) {
        self.configuration = configuration
        self.weights = weights
        self.hiddenBias = hiddenBias
        self.outputWeights = outputWeights
        self.outputBias = outputBias
    }

    /// Every parameter rounded to `Scalar` (the same storage when the precisions agree): how a run
    /// enters its training precision, and how a float32 network is handed to the float64 probes.
    public init<Source: EngineScalar>(converting network: TwoLayerNetworkOf<Source>) {
        self.init(
            configuration: network.configuration, weights: MatrixOf(converting: network.weights),
            hiddenBias: Scalar.array(converting: network.hiddenBias), outputWeights: MatrixOf(converting: network.outputWeights),
            outputBias: Scalar.array(converting: network.outputBias))
    }
}

extension TwoLayerNetwork {
    /// A network initialised in R^d (always, so that both representations start from the same weights).
    /// A frozen binary head is a_r = ±1/m (first half +); a frozen K-output head gives neuron r to class
    /// r mod K with weight 1/m.
    public static func initialized(
        _ configuration: ModelConfiguration, inputDimension d: Int, outputs k: Int = 1,
        generator: inout RandomGenerator
    ) -> TwoLayerNetwork {
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
        let (output, c) = initialHead(configuration, outputs: k, generator: &generator)
        return TwoLayerNetwork(
            configuration: configuration, weights: weights, hiddenBias: bias,
            outputWeights: output, outputBias: c)
    }

    /// A head as `initialized` draws it: trained, PyTorch's U(±1/√m) weights and bias (when on);
    /// frozen, the fixed ±1/m (binary) or neuron-to-class 1/m (K outputs) weights.
    static func initialHead(
        _ configuration: ModelConfiguration, outputs k: Int, generator: inout RandomGenerator
    ) -> (weights: Matrix, bias: [Double]) {
        let m = configuration.width
        let outputBound = 1 / Double(m).squareRoot()
        var output = Matrix(rows: m, columns: k)
        if configuration.trainOutput {
            for i in 0..<(m * k) { output.storage[i] = generator.uniform(-outputBound, outputBound) }
        } else if k == 1 {
            for r in 0..<m { output[r, 0] = r < m / 2 ? 1 / Double(m) : -1 / Double(m) }
        } else {
            for r in 0..<m { output[r, r % k] = 1 / Double(m) }
        }
        let c = (0..<k).map { _ in configuration.outputBias ? generator.uniform(-outputBound, outputBound) : 0 }
        return (output, c)
    }

    /// The same first layer with a head of zeros for `k` outputs.
    func withZeroHead(outputs k: Int) -> TwoLayerNetwork {
        TwoLayerNetwork(
            configuration: configuration, weights: weights, hiddenBias: hiddenBias, outputWeights: Matrix(rows: width, columns: k),
            outputBias: [Double](repeating: 0, count: k))
    }

    /// Every parameter (1 − α)·self + α·other (WiSE-FT's weight-space ensemble); the shapes agree.
    func interpolated(_ other: TwoLayerNetwork, alpha: Double) -> TwoLayerNetwork {
        func mix(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { (1 - alpha) * $0 + alpha * $1 } }
        var network = self
        network.weights.storage = mix(weights.storage, other.weights.storage)
        network.hiddenBias = mix(hiddenBias, other.hiddenBias)
        network.outputWeights.storage = mix(outputWeights.storage, other.outputWeights.storage)
        network.outputBias = mix(outputBias, other.outputBias)
        return network
    }

    /// The same first layer with a freshly drawn head of `k` outputs (a new label space).
    func withNewHead(outputs k: Int, generator: inout RandomGenerator) -> TwoLayerNetwork {
        let (output, c) = Self.initialHead(configuration, outputs: k, generator: &generator)
        return TwoLayerNetwork(configuration: configuration, weights: weights, hiddenBias: hiddenBias, outputWeights: output, outputBias: c)
    }
}

extension TwoLayerNetworkOf {
    /// Computes h = X Wᵀ + b, σ(h) and f for the rows in use of `inputs`; with `slopes`, also σ'(h)
    /// unless the activation's slopes are cheap to recompute (see `Activation.slopeStorageThreshold`).
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func forward(_ inputs: MatrixOf<Scalar>, workspace: inout ForwardWorkspaceOf<Scalar>, slopes: Bool = false) {
        let n = inputs.rows, m = width
        workspace.useRows(n)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, weights, beta: 0, into: &workspace.preActivations)
        let activation = configuration.activation
        let addBias = configuration.hiddenBias
        let storeSlopes = slopes && !activation.slopesAreCheap
        if storeSlopes { workspace.slopes.useRows(n) }
        workspace.slopesStored = storeSlopes
        hiddenBias.withUnsafeBufferPointer { b in
            workspace.preActivations.storage.withUnsafeMutableBufferPointer { h in
                workspace.activations.storage.withUnsafeMutableBufferPointer { a in
                    workspace.slopes.storage.withUnsafeMutableBufferPointer { s in
                        activation.apply(
                            addingBias: addBias ? b.baseAddress! : nil, to: h.baseAddress!,
                            rows: n, width: m, values: a.baseAddress!,
                            slopes: storeSlopes ? s.baseAddress! : nil)
                    }
                }
            }
        }
        let k = outputCount
        for i in 0..<n {
            for j in 0..<k { workspace.outputs.storage[i * k + j] = outputBias[j] }
        }
        if k == 1 {
            BLAS.gemv(
                .none, alpha: 1, workspace.activations, outputWeights.storage, beta: 1,
                into: &workspace.outputs.storage)
        } else {
            BLAS.gemm(.none, .none, alpha: 1, workspace.activations, outputWeights, beta: 1, into: &workspace.outputs)
        }
    }
}
