import GSL

/// The R^d gradient of a batch whose inputs lie in the span of the k features, x = zᵀM (no input
/// noise), computed in k dimensions: the forward pass needs only P = W Mᵀ (m × k), since W x = P z,
/// and ∂L/∂W = Σᵢ δᵢ xᵢᵀ = (Σᵢ δᵢ zᵢᵀ) M. The two batch-sized GEMMs cost m·n·k instead of m·n·d
/// multiply-adds; lifting the gradient and refreshing P after the update cost m·k·d each. Exact up to
/// rounding for every optimiser — the weights, and a coordinate-wise optimiser's state, stay in R^d —
/// so it serves Adam, RMSProp and AdaGrad, which the feature basis cannot (a test compares the two).
struct FeatureSpanGradient<Scalar: EngineScalar> {
    /// k × d: the features, one per row.
    let dictionary: MatrixOf<Scalar>
    /// The network with first-layer weights P = W Mᵀ and the trained network's biases and head.
    var projected: TwoLayerNetworkOf<Scalar>
    var backward: BackwardWorkspaceOf<Scalar>

    /// Whether computing in the span saves work for this run: training in R^d without input noise, and
    /// fewer multiply-adds per step, k·(n + d) against n·d for a batch of n (with a margin for the
    /// extra passes).
    static func pays(_ configuration: RunConfiguration, inFeatureBasis: Bool, batchSize: Int) -> Bool {
        let k = Double(configuration.data.featureCount), d = Double(configuration.data.dimension), n = Double(batchSize)
        return !inFeatureBasis && configuration.data.noise == 0 && k * (n + d) < 0.7 * n * d
    }

    init(network: TwoLayerNetworkOf<Scalar>, dictionary: MatrixOf<Scalar>, capacity: Int) {
        self.dictionary = dictionary
        projected = network
        projected.weights = MatrixOf(rows: network.width, columns: dictionary.rows)
        backward = BackwardWorkspaceOf(
            capacity: capacity, width: network.width, inputDimension: dictionary.rows, outputs: network.outputCount)
        refresh(from: network)
    }

    /// P = W Mᵀ, after every update of W.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    mutating func refresh(from network: TwoLayerNetworkOf<Scalar>) {
        BLAS.gemm(.none, .transpose, alpha: 1, network.weights, dictionary, beta: 0, into: &projected.weights)
    }

    /// The batch loss of `network` on coefficients `z`, leaving its R^d gradient in `gradient`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    mutating func computeGradient(
        of network: TwoLayerNetworkOf<Scalar>, coefficients z: MatrixOf<Scalar>, labels: [Int], loss: Loss,
        forward: inout ForwardWorkspaceOf<Scalar>, into gradient: inout GradientOf<Scalar>
    ) -> Double {
        // Element copies, not array assignments: shared buffers would be copied (allocated) at the next update.
        Self.copy(network.hiddenBias, into: &projected.hiddenBias)
        Self.copy(network.outputWeights.storage, into: &projected.outputWeights.storage)
        Self.copy(network.outputBias, into: &projected.outputBias)
        let value = projected.computeGradient(inputs: z, labels: labels, loss: loss, forward: &forward, backward: &backward)
        BLAS.gemm(.none, .none, alpha: 1, backward.gradient.weights, dictionary, beta: 0, into: &gradient.weights)
        Self.copy(backward.gradient.hiddenBias, into: &gradient.hiddenBias)
        Self.copy(backward.gradient.outputWeights.storage, into: &gradient.outputWeights.storage)
        Self.copy(backward.gradient.outputBias, into: &gradient.outputBias)
        return value
    }

    private static func copy(_ source: [Scalar], into target: inout [Scalar]) {
        for i in source.indices { target[i] = source[i] }
    }
}
