import GSL

/// The gradient of a float64 network.
public typealias Gradient = GradientOf<Double>
/// The backward pass's buffers in float64.
typealias BackwardWorkspace = BackwardWorkspaceOf<Double>

/// ∂L/∂θ for every parameter of a `TwoLayerNetworkOf`, L the mean loss over a batch.
public struct GradientOf<Scalar: EngineScalar>: Sendable {
    public var weights: MatrixOf<Scalar>
    public var hiddenBias: [Scalar]
    public var outputWeights: MatrixOf<Scalar>
    public var outputBias: [Scalar]

    init(width: Int, inputDimension: Int, outputs: Int) {
        weights = MatrixOf(rows: width, columns: inputDimension)
        hiddenBias = [Scalar](repeating: 0, count: width)
        outputWeights = MatrixOf(rows: width, columns: outputs)
        outputBias = [Scalar](repeating: 0, count: outputs)
    }
}

/// Buffers for the backward pass (sized once for the largest batch).
struct BackwardWorkspaceOf<Scalar: EngineScalar> {
    /// ∂L/∂f per sample (n × K).
    var outputGradient: MatrixOf<Scalar>
    /// Samples with a non-zero ∂L/∂f.
    var activeRows: [Int]
    /// ∂L/∂h on the active samples (active × m).
    var hiddenGradient: MatrixOf<Scalar>
    /// The active samples' inputs (active × p), gathered only when some samples are inactive.
    var activeInputs: MatrixOf<Scalar>
    var ones: [Scalar]
    /// σ'(h) of one sample, for K-output networks whose slopes are recomputed.
    var slopeRow: [Scalar]
    /// The fraction of the last batch that backpropagated: it predicts this batch's, which decides
    /// whether the forward pass stores σ' (see `Activation.slopeStorageThreshold`).
    var lastActiveFraction = 1.0
    var gradient: GradientOf<Scalar>

    init(capacity: Int, width: Int, inputDimension: Int, outputs: Int) {
        outputGradient = MatrixOf(rows: capacity, columns: outputs)
        activeRows = [Int](repeating: 0, count: capacity)
        hiddenGradient = MatrixOf(rows: capacity, columns: width)
        activeInputs = MatrixOf(rows: capacity, columns: inputDimension)
        ones = [Scalar](repeating: 1, count: capacity)
        slopeRow = [Scalar](repeating: 0, count: width)
        gradient = GradientOf(width: width, inputDimension: inputDimension, outputs: outputs)
    }
}

extension TwoLayerNetworkOf {
    /// Forward and backward pass over a batch; leaves the gradient in `backward.gradient` and returns
    /// the mean loss. Backpropagates through the samples with ∂ℓ/∂f ≠ 0 only (exact: the others add
    /// exact zeros), which for the hinge loss is a shrinking set as margins pass 1.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func computeGradient(
        inputs: MatrixOf<Scalar>, labels: [Int], loss: Loss,
        forward: inout ForwardWorkspaceOf<Scalar>, backward: inout BackwardWorkspaceOf<Scalar>
    ) -> Double {
        let n = inputs.rows, k = outputCount
        let storeSlopes = backward.lastActiveFraction > configuration.activation.slopeStorageThreshold
        self.forward(inputs, workspace: &forward, slopes: storeSlopes)
        backward.outputGradient.useRows(n)
        let scale = 1 / Scalar(n)
        var total = 0.0
        var activeCount = 0
        if k == 1 {
            for i in 0..<n {
                let f = forward.outputs.storage[i], y: Scalar = labels[i] == 1 ? 1 : -1
                total += Double(loss.value(f, y))
                let g = loss.derivative(f, y) * scale
                backward.outputGradient.storage[i] = g
                if g != 0 {
                    backward.activeRows[activeCount] = i
                    activeCount += 1
                }
            }
        } else {
            forward.outputs.storage.withUnsafeBufferPointer { z in
                backward.outputGradient.storage.withUnsafeMutableBufferPointer { g in
                    for i in 0..<n {
                        total += Double(
                            Loss.crossEntropy(
                                z.baseAddress! + i * k, classes: k, label: labels[i],
                                gradient: g.baseAddress! + i * k, scale: scale))
                        backward.activeRows[i] = i
                    }
                }
            }
            activeCount = n
        }
        if configuration.trainOutput {
            if k == 1 {
                BLAS.gemv(
                    .transpose, alpha: 1, forward.activations, backward.outputGradient.storage, beta: 0,
                    into: &backward.gradient.outputWeights.storage)
            } else {
                BLAS.gemm(
                    .transpose, .none, alpha: 1, forward.activations, backward.outputGradient, beta: 0,
                    into: &backward.gradient.outputWeights)
            }
            if configuration.outputBias && k == 1 {
                backward.gradient.outputBias[0] = BLAS.dot(backward.outputGradient.storage, backward.ones, count: n)
            } else if configuration.outputBias {
                BLAS.gemv(
                    .transpose, alpha: 1, backward.outputGradient, backward.ones, beta: 0,
                    into: &backward.gradient.outputBias)
            }
        }
        backward.hiddenGradient.useRows(activeCount)
        backward.lastActiveFraction = Double(activeCount) / Double(max(n, 1))
        if k == 1 {
            backpropagateSingleOutput(forward: forward, backward: &backward, activeCount: activeCount)
        } else {
            backpropagateLogits(forward: forward, backward: &backward)
        }
        if activeCount == n {
            BLAS.gemm(.transpose, .none, alpha: 1, backward.hiddenGradient, inputs, beta: 0, into: &backward.gradient.weights)
        } else {
            backward.activeRows.withUnsafeBufferPointer { rows in
                backward.activeInputs.gatherRows(UnsafeBufferPointer(rebasing: rows[0..<activeCount]), from: inputs)
            }
            BLAS.gemm(
                .transpose, .none, alpha: 1, backward.hiddenGradient, backward.activeInputs, beta: 0,
                into: &backward.gradient.weights)
        }
        if configuration.hiddenBias {
            BLAS.gemv(
                .transpose, alpha: 1, backward.hiddenGradient, backward.ones, beta: 0,
                into: &backward.gradient.hiddenBias)
        }
        return total * Double(scale)
    }

    /// ∂L/∂h_ir = g_i a_r σ'(h_ir) on the active rows only (σ' not stored is evaluated only there).
    private func backpropagateSingleOutput(
        forward: ForwardWorkspaceOf<Scalar>, backward: inout BackwardWorkspaceOf<Scalar>, activeCount: Int
    ) {
        let m = width
        let activation = configuration.activation
        let recompute = !forward.slopesStored
        backward.outputGradient.storage.withUnsafeBufferPointer { g in
            outputWeights.storage.withUnsafeBufferPointer { a in
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
    }

    /// ∂L/∂H = (G Aᵀ) ⊙ σ'(H) for K logits, G the n × K logit gradient and A the m × K output weights.
    private func backpropagateLogits(forward: ForwardWorkspaceOf<Scalar>, backward: inout BackwardWorkspaceOf<Scalar>) {
        let n = backward.outputGradient.rows, m = width
        BLAS.gemm(
            .none, .transpose, alpha: 1, backward.outputGradient, outputWeights, beta: 0,
            into: &backward.hiddenGradient)
        let activation = configuration.activation
        let recompute = !forward.slopesStored
        forward.preActivations.storage.withUnsafeBufferPointer { h in
            forward.slopes.storage.withUnsafeBufferPointer { stored in
                backward.slopeRow.withUnsafeMutableBufferPointer { slope in
                    backward.hiddenGradient.storage.withUnsafeMutableBufferPointer { delta in
                        for i in 0..<n {
                            let out = delta.baseAddress! + i * m
                            let s: UnsafePointer<Scalar>
                            if recompute {
                                activation.slopes(h.baseAddress! + i * m, count: m, into: slope.baseAddress!)
                                s = UnsafePointer(slope.baseAddress!)
                            } else {
                                s = stored.baseAddress! + i * m
                            }
                            for r in 0..<m { out[r] *= s[r] }
                        }
                    }
                }
            }
        }
    }

    /// The mean loss over a sample set and its gradient (allocating; for tests and tools).
    public func lossAndGradient(inputs: MatrixOf<Scalar>, labels: [Int], loss: Loss) -> (loss: Double, gradient: GradientOf<Scalar>) {
        var forward = ForwardWorkspaceOf<Scalar>(
            capacity: inputs.rows, width: width, outputs: outputCount, activation: configuration.activation)
        var backward = BackwardWorkspaceOf<Scalar>(
            capacity: inputs.rows, width: width, inputDimension: inputs.columns, outputs: outputCount)
        let value = computeGradient(inputs: inputs, labels: labels, loss: loss, forward: &forward, backward: &backward)
        return (value, backward.gradient)
    }
}

extension TwoLayerNetwork {
    /// The outputs (n × K logits, or n × 1) on a sample set (allocating).
    public func outputs(_ inputs: Matrix) -> Matrix {
        var forward = ForwardWorkspace(capacity: inputs.rows, width: width, outputs: outputCount, activation: configuration.activation)
        self.forward(inputs, workspace: &forward)
        let k = outputCount
        return Matrix(rows: inputs.rows, columns: k, elements: Array(forward.outputs.storage[0..<(inputs.rows * k)]))
    }

    /// The mean loss over a sample set (allocating; for tests and tools).
    public func meanLoss(inputs: Matrix, labels: [Int], loss: Loss) -> Double {
        var forward = ForwardWorkspace(capacity: inputs.rows, width: width, outputs: outputCount, activation: configuration.activation)
        self.forward(inputs, workspace: &forward)
        return meanLossAndAccuracy(outputs: forward.outputs, labels: labels, loss: loss).loss
    }
}

/// Mean loss and accuracy (argmax, or the sign of a binary output) of outputs against class labels.
func meanLossAndAccuracy(outputs: Matrix, labels: [Int], loss: Loss) -> (loss: Double, accuracy: Double) {
    let n = labels.count, k = outputs.columns
    var total = 0.0, correct = 0
    outputs.storage.withUnsafeBufferPointer { z in
        for i in 0..<n {
            let row = z.baseAddress! + i * k
            if k == 1 {
                let f = row[0], y = SyntheticData.sign(labels[i])
                total += loss.value(f, y)
                if (f > 0 ? 1.0 : -1.0) == y { correct += 1 }
            } else {
                total += Loss.crossEntropy(row, classes: k, label: labels[i], gradient: nil, scale: 1)
                var best = 0
                for j in 1..<k where row[j] > row[best] { best = j }
                if best == labels[i] { correct += 1 }
            }
        }
    }
    let count = Double(max(n, 1))
    return (total / count, Double(correct) / count)
}
