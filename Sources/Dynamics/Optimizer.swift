import GSL

/// The state of an optimiser for one parameter tensor (stored flat).
struct OptimizerState {
    var momentumBuffer: [Double]
    var started = false

    init(count: Int) {
        momentumBuffer = [Double](repeating: 0, count: count)
    }
}

extension SGDConfiguration {
    /// One PyTorch SGD step on `parameter` given its loss gradient; `gradient` is overwritten with the
    /// decayed gradient. BLAS level-1 calls only; no allocation.
    func step(_ parameter: inout [Double], gradient: inout [Double], state: inout OptimizerState, count: Int) {
        if weightDecay != 0 { BLAS.axpy(weightDecay, parameter, &gradient, count: count) }
        guard momentum != 0 else {
            BLAS.axpy(-learningRate, gradient, &parameter, count: count)
            return
        }
        if state.started {
            BLAS.scale(&state.momentumBuffer, by: momentum, count: count)
            BLAS.axpy(1 - dampening, gradient, &state.momentumBuffer, count: count)
        } else {
            // PyTorch initialises the buffer with the first gradient (no dampening).
            state.momentumBuffer.withUnsafeMutableBufferPointer { buffer in
                gradient.withUnsafeBufferPointer { g in
                    buffer.baseAddress!.update(from: g.baseAddress!, count: count)
                }
            }
            state.started = true
        }
        if nesterov {
            BLAS.axpy(momentum, state.momentumBuffer, &gradient, count: count)
            BLAS.axpy(-learningRate, gradient, &parameter, count: count)
        } else {
            BLAS.axpy(-learningRate, state.momentumBuffer, &parameter, count: count)
        }
    }

    /// The same step for a parameter that is a scalar multiple α·v of a fixed vector v whose loss
    /// gradient is zero (the part of W orthogonal to the dictionary): only weight decay moves it.
    /// `coefficient` is α and `buffer` the momentum buffer's multiple of v.
    func stepOrthogonalScale(coefficient: inout Double, buffer: inout Double, started: Bool) {
        let gradient = weightDecay * coefficient
        guard momentum != 0 else {
            coefficient -= learningRate * gradient
            return
        }
        buffer = started ? momentum * buffer + (1 - dampening) * gradient : gradient
        coefficient -= learningRate * (nesterov ? gradient + momentum * buffer : buffer)
    }
}
