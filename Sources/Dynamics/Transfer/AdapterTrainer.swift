import Foundation
import GSL

/// Trains an R-Adapter stage (`AdapterConfiguration`) on a frozen first layer and returns the
/// re-parametrised network. Per mini-batch X (n × d), with Z₀ = X W₀ᵀ + b₀ and per-row gates g:
/// Z = Z₀ + g ⊙ (Z₀ Mᵀ), H = σ(Z), F = H (A₀ + ΔA) + c₀ + Δc; the softmax cross-entropy gradient G gives
/// ∂ΔA = Hᵀ G, ∂Δc = Σ G, ∂Z = (G (A₀ + ΔA)ᵀ) ⊙ σ'(Z) and ∂M = (g ⊙ ∂Z)ᵀ Z₀ (for rank r, ∂B = ∂M Aᵣᵀ,
/// ∂Aᵣ = Bᵀ ∂M). Each parameter takes the stage's optimiser step.
struct AdapterTrainer {
    let base: TwoLayerNetwork
    let adapter: AdapterConfiguration
    /// The adapter: M (m × m), or the factors B (m × r) and Aᵣ (r × m).
    var matrix: Matrix
    var up: Matrix?
    var down: Matrix?
    var headDelta: Matrix
    var biasDelta: [Double]

    init(base: TwoLayerNetwork, adapter: AdapterConfiguration, generator: inout RandomGenerator) {
        self.base = base
        self.adapter = adapter
        let m = base.width, k = base.outputCount
        matrix = Matrix(rows: m, columns: m)
        if let r = adapter.rank {
            up = Matrix(rows: m, columns: r)
            var factor = Matrix(rows: r, columns: m)
            for i in 0..<(r * m) { factor.storage[i] = generator.gaussian(standardDeviation: 1 / Double(m).squareRoot()) }
            down = factor
        }
        headDelta = Matrix(rows: m, columns: k)
        biasDelta = [Double](repeating: 0, count: k)
    }

    /// The network with an adapter M and head delta merged in at scale α: W = (I + αM)W₀,
    /// b = (I + αM)b₀, A = A₀ + αΔA, c = c₀ + αΔc.
    static func merged(_ base: TwoLayerNetwork, matrix: Matrix, headDelta: Matrix, biasDelta: [Double], scale alpha: Double) -> TwoLayerNetwork {
        var network = base
        BLAS.gemm(.none, .none, alpha: alpha, matrix, base.weights, beta: 1, into: &network.weights)
        let m = base.width
        for r in 0..<m {
            var shift = 0.0
            for s in 0..<m { shift += matrix[r, s] * base.hiddenBias[s] }
            network.hiddenBias[r] = base.hiddenBias[r] + alpha * shift
        }
        for i in 0..<network.outputWeights.storage.count { network.outputWeights.storage[i] += alpha * headDelta.storage[i] }
        for j in 0..<network.outputBias.count { network.outputBias[j] += alpha * biasDelta[j] }
        return network
    }

    /// The adapter's outputs F on `inputs` with every gate 1, computed explicitly (not merged): the
    /// reference the re-parametrisation must equal.
    static func explicitOutputs(
        _ base: TwoLayerNetwork, matrix: Matrix, headDelta: Matrix, biasDelta: [Double], scale alpha: Double, inputs: Matrix
    ) -> Matrix {
        let n = inputs.rows, m = base.width, k = base.outputCount
        var z0 = Matrix(rows: n, columns: m)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, base.weights, beta: 0, into: &z0)
        for i in 0..<n { for r in 0..<m { z0[i, r] += base.hiddenBias[r] } }
        var z = z0
        BLAS.gemm(.none, .transpose, alpha: alpha, z0, matrix, beta: 1, into: &z)
        var outputs = Matrix(rows: n, columns: k)
        let activation = base.configuration.activation
        for i in 0..<n {
            for j in 0..<k {
                var f = base.outputBias[j] + alpha * biasDelta[j]
                for r in 0..<m { f += activation(z[i, r]).value * (base.outputWeights[r, j] + alpha * headDelta[r, j]) }
                outputs[i, j] = f
            }
        }
        return outputs
    }

    mutating func train(stage: TransferStage, on train: Dataset, seed: UInt64) throws(Divergence.Stop) -> TwoLayerNetwork {
        let n = train.count, m = base.width, d = base.weights.columns, k = base.outputCount
        let batchSize = stage.batchSize(of: n)
        let optimizer = stage.optimizer
        var states = (
            matrix: OptimizerState(count: m * m, optimizer: optimizer), up: OptimizerState(count: m * (adapter.rank ?? 0), optimizer: optimizer),
            down: OptimizerState(count: (adapter.rank ?? 0) * m, optimizer: optimizer),
            head: OptimizerState(count: m * k, optimizer: optimizer), bias: OptimizerState(count: k, optimizer: optimizer)
        )
        var batches = EpochBatches(count: n, stream: RandomGenerator(seed: seed, stream: "stage:\(stage.name):batches"))
        var gates = RandomGenerator(seed: seed, stream: "stage:\(stage.name):drop")
        var inputs = Matrix(rows: batchSize, columns: d), labels = [Int](repeating: 0, count: batchSize)
        var z0 = Matrix(rows: batchSize, columns: m), z = Matrix(rows: batchSize, columns: m)
        var hidden = Matrix(rows: batchSize, columns: m), slopes = Matrix(rows: batchSize, columns: m)
        var logits = Matrix(rows: batchSize, columns: k), dLogits = Matrix(rows: batchSize, columns: k), head = base.outputWeights
        var dZ = Matrix(rows: batchSize, columns: m), dM = Matrix(rows: m, columns: m), dHead = Matrix(rows: m, columns: k)
        var dBias = [Double](repeating: 0, count: k)
        var gate = [Double](repeating: 1, count: batchSize)
        var average = (matrix: Matrix(rows: m, columns: m), head: Matrix(rows: m, columns: k), bias: [Double](repeating: 0, count: k))
        let activation = base.configuration.activation
        var watch = Divergence.Watch()
        for step in 0..<stage.steps {
            batches.next(batchSize, of: train, inputs: &inputs, labels: &labels)
            let rows = inputs.rows
            z0.useRows(rows)
            z.useRows(rows)
            hidden.useRows(rows)
            slopes.useRows(rows)
            logits.useRows(rows)
            dLogits.useRows(rows)
            dZ.useRows(rows)
            BLAS.gemm(.none, .transpose, alpha: 1, inputs, base.weights, beta: 0, into: &z0)
            for i in 0..<rows {
                for r in 0..<m { z0[i, r] += base.hiddenBias[r] }
                gate[i] = adapter.drop > 0 ? (gates.uniform() < adapter.drop ? 0 : 1 / (1 - adapter.drop)) : 1
            }
            if let up, let down {
                matrix = Matrix(rows: m, columns: m)
                BLAS.gemm(.none, .none, alpha: 1, up, down, beta: 0, into: &matrix)
            }
            BLAS.gemm(.none, .transpose, alpha: 1, z0, matrix, beta: 0, into: &z)
            for i in 0..<rows {
                for r in 0..<m {
                    let value = z0[i, r] + gate[i] * z[i, r]
                    let (h, slope) = activation(value)
                    hidden[i, r] = h
                    slopes[i, r] = slope
                }
            }
            for i in 0..<(m * k) { head.storage[i] = base.outputWeights.storage[i] + headDelta.storage[i] }
            BLAS.gemm(.none, .none, alpha: 1, hidden, head, beta: 0, into: &logits)
            let scale = 1 / Double(rows)
            for j in 0..<k { dBias[j] = 0 }
            for i in 0..<rows { for j in 0..<k { logits[i, j] += base.outputBias[j] + biasDelta[j] } }
            let loss = logits.storage.withUnsafeBufferPointer { f in
                dLogits.storage.withUnsafeMutableBufferPointer { g in
                    var total = 0.0
                    for i in 0..<rows {
                        total += Loss.crossEntropy(
                            f.baseAddress! + i * k, classes: k, label: labels[i], gradient: g.baseAddress! + i * k, scale: scale)
                        for j in 0..<k { dBias[j] += g[i * k + j] }
                    }
                    return total * scale
                }
            }
            guard watch.accepts(loss) else { throw Divergence.Stop(step: step, lastFiniteLoss: watch.lastFiniteLoss) }
            BLAS.gemm(.transpose, .none, alpha: 1, hidden, dLogits, beta: 0, into: &dHead)
            BLAS.gemm(.none, .transpose, alpha: 1, dLogits, head, beta: 0, into: &dZ)
            for i in 0..<rows { for r in 0..<m { dZ[i, r] *= slopes[i, r] * gate[i] } }
            BLAS.gemm(.transpose, .none, alpha: 1, dZ, z0, beta: 0, into: &dM)
            let rate = stage.schedule.rate(step: step, steps: stage.steps, base: optimizer.learningRate)
            if var up, var down {
                var dUp = Matrix(rows: m, columns: up.columns), dDown = Matrix(rows: down.rows, columns: m)
                BLAS.gemm(.none, .transpose, alpha: 1, dM, down, beta: 0, into: &dUp)
                BLAS.gemm(.transpose, .none, alpha: 1, up, dM, beta: 0, into: &dDown)
                optimizer.step(&up.storage, gradient: &dUp.storage, state: &states.up, count: up.storage.count, rate: rate)
                optimizer.step(&down.storage, gradient: &dDown.storage, state: &states.down, count: down.storage.count, rate: rate)
                self.up = up
                self.down = down
                BLAS.gemm(.none, .none, alpha: 1, up, down, beta: 0, into: &matrix)
            } else {
                optimizer.step(&matrix.storage, gradient: &dM.storage, state: &states.matrix, count: m * m, rate: rate)
            }
            optimizer.step(&headDelta.storage, gradient: &dHead.storage, state: &states.head, count: m * k, rate: rate)
            optimizer.step(&biasDelta, gradient: &dBias, state: &states.bias, count: k, rate: rate)
            if let mu = adapter.ema {
                for i in 0..<(m * m) { average.matrix.storage[i] = mu * average.matrix.storage[i] + (1 - mu) * matrix.storage[i] }
                for i in 0..<(m * k) { average.head.storage[i] = mu * average.head.storage[i] + (1 - mu) * headDelta.storage[i] }
                for j in 0..<k { average.bias[j] = mu * average.bias[j] + (1 - mu) * biasDelta[j] }
            }
        }
        guard let mu = adapter.ema, stage.steps > 0 else {
            return Self.merged(base, matrix: matrix, headDelta: headDelta, biasDelta: biasDelta, scale: adapter.scale)
        }
        // Bias correction: the averages started at 0, so divide by 1 − μ^T (a weighted mean of the iterates).
        let correction = 1 / (1 - pow(mu, Double(stage.steps)))
        for i in 0..<(m * m) { average.matrix.storage[i] *= correction }
        for i in 0..<(m * k) { average.head.storage[i] *= correction }
        for j in 0..<k { average.bias[j] *= correction }
        return Self.merged(base, matrix: average.matrix, headDelta: average.head, biasDelta: average.bias, scale: adapter.scale)
    }
}
