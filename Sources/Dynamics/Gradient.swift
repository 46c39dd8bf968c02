import GSL

/// ∂L/∂θ for every parameter of a `TwoLayerNetwork`, L the mean loss over a batch.
public struct Gradient: Sendable {
    public var weights: Matrix
    public var hiddenBias: [Double]
    public var outputWeights: [Double]
    public var outputBias: [Double]

    init(width: Int, inputDimension: Int) {
        weights = Matrix(rows: width, columns: inputDimension)
        hiddenBias = [Double](repeating: 0, count: width)
        outputWeights = [Double](repeating: 0, count: width)
        outputBias = [0]
    }
}

/// Buffers for the backward pass (sized once for the largest batch).
struct BackwardWorkspace {
    /// ∂L/∂f per sample.
    var outputGradient: [Double]
    /// Samples with a non-zero ∂L/∂f.
    var activeRows: [Int]
    /// ∂L/∂h on the active samples (active × m).
    var hiddenGradient: Matrix
    /// The active samples' inputs (active × p), gathered only when some samples are inactive.
    var activeInputs: Matrix
    var ones: [Double]
    var gradient: Gradient

    init(capacity: Int, width: Int, inputDimension: Int) {
        outputGradient = [Double](repeating: 0, count: capacity)
        activeRows = [Int](repeating: 0, count: capacity)
        hiddenGradient = Matrix(rows: capacity, columns: width)
        activeInputs = Matrix(rows: capacity, columns: inputDimension)
        ones = [Double](repeating: 1, count: capacity)
        gradient = Gradient(width: width, inputDimension: inputDimension)
    }
}

extension TwoLayerNetwork {
    /// Forward and backward pass over a batch; leaves the gradient in `backward.gradient` and returns
    /// the mean loss. Backpropagates through the samples with ∂ℓ/∂f ≠ 0 only (exact: the others add
    /// exact zeros), which for the hinge loss is a shrinking set as margins pass 1.
    func computeGradient(
        inputs: Matrix, labels: [Double], loss: Loss,
        forward: inout ForwardWorkspace, backward: inout BackwardWorkspace
    ) -> Double {
        let n = inputs.rows, m = width
        self.forward(inputs, workspace: &forward, slopes: true)
        var total = 0.0
        var activeCount = 0
        let scale = 1 / Double(n)
        for i in 0..<n {
            let f = forward.outputs[i], y = labels[i]
            total += loss.value(f, y)
            let g = loss.derivative(f, y) * scale
            backward.outputGradient[i] = g
            if g != 0 {
                backward.activeRows[activeCount] = i
                activeCount += 1
            }
        }
        if configuration.trainOutput {
            BLAS.gemv(.transpose, alpha: 1, forward.activations, backward.outputGradient, beta: 0,
                      into: &backward.gradient.outputWeights)
            backward.gradient.outputBias[0] = configuration.outputBias
                ? BLAS.dot(backward.outputGradient, backward.ones, count: n) : 0
        }
        // ∂L/∂h_ir = g_i a_r σ'(h_ir), on the active rows only (cheap σ' is evaluated only there).
        backward.hiddenGradient.useRows(activeCount)
        let activation = configuration.activation
        let recompute = activation.slopesAreCheap
        backward.outputGradient.withUnsafeBufferPointer { g in
            outputWeights.withUnsafeBufferPointer { a in
                forward.preActivations.storage.withUnsafeBufferPointer { h in
                    forward.slopes.storage.withUnsafeBufferPointer { stored in
                        backward.activeRows.withUnsafeBufferPointer { rows in
                            backward.hiddenGradient.storage.withUnsafeMutableBufferPointer { delta in
                                for t in 0..<activeCount {
                                    let i = rows[t], gi = g[i]
                                    let out = delta.baseAddress! + t * m
                                    if recompute {
                                        activation.slopes(h.baseAddress! + i * m, count: m, into: out)
                                    } else {
                                        out.update(from: stored.baseAddress! + i * m, count: m)
                                    }
                                    for r in 0..<m { out[r] *= gi * a[r] }
                                }
                            }
                        }
                    }
                }
            }
        }
        if activeCount == n {
            BLAS.gemm(.transpose, .none, alpha: 1, backward.hiddenGradient, inputs, beta: 0, into: &backward.gradient.weights)
        } else {
            backward.activeRows.withUnsafeBufferPointer { rows in
                backward.activeInputs.gatherRows(UnsafeBufferPointer(rebasing: rows[0..<activeCount]), from: inputs)
            }
            BLAS.gemm(.transpose, .none, alpha: 1, backward.hiddenGradient, backward.activeInputs, beta: 0,
                      into: &backward.gradient.weights)
        }
        if configuration.hiddenBias {
            BLAS.gemv(.transpose, alpha: 1, backward.hiddenGradient, backward.ones, beta: 0,
                      into: &backward.gradient.hiddenBias)
        }
        return total * scale
    }

    /// The mean loss over a sample set and its gradient (allocating; for tests and tools).
    public func lossAndGradient(inputs: Matrix, labels: [Double], loss: Loss) -> (loss: Double, gradient: Gradient) {
        var forward = ForwardWorkspace(capacity: inputs.rows, width: width, activation: configuration.activation)
        var backward = BackwardWorkspace(capacity: inputs.rows, width: width, inputDimension: inputs.columns)
        let value = computeGradient(inputs: inputs, labels: labels, loss: loss, forward: &forward, backward: &backward)
        return (value, backward.gradient)
    }

    /// The mean loss over a sample set (allocating; for tests and tools).
    public func meanLoss(inputs: Matrix, labels: [Double], loss: Loss) -> Double {
        var forward = ForwardWorkspace(capacity: inputs.rows, width: width, activation: configuration.activation)
        self.forward(inputs, workspace: &forward)
        var total = 0.0
        for i in 0..<inputs.rows { total += loss.value(forward.outputs[i], labels[i]) }
        return total / Double(inputs.rows)
    }
}
