import Foundation
import GSL

/// The state of an optimiser for one parameter tensor (stored flat): the momentum or first-moment
/// buffer, the second-moment or accumulator buffer, the centred-RMSProp gradient average, and the
/// number of steps taken.
struct OptimizerState {
    var first: [Double]
    var second: [Double]
    var average: [Double]
    var steps = 0

    init(count: Int, optimizer: OptimizerConfiguration) {
        first = [Double](repeating: 0, count: count)
        let initial: Double = if case let .adagrad(c) = optimizer { c.initialAccumulator } else { 0 }
        second = [Double](repeating: initial, count: count)
        average = [Double](repeating: 0, count: count)
    }

    var started: Bool { steps > 0 }
}

extension OptimizerConfiguration {
    /// One update of `parameter` from its loss gradient at learning rate `rate` (the scheduled rate);
    /// `gradient` is overwritten. No allocation.
    func step(_ parameter: inout [Double], gradient: inout [Double], state: inout OptimizerState, count: Int, rate: Double) {
        switch self {
        case let .sgd(c): c.step(&parameter, gradient: &gradient, state: &state, count: count, rate: rate)
        case let .adam(c): c.step(&parameter, gradient: &gradient, state: &state, count: count, rate: rate)
        case let .rmsprop(c): c.step(&parameter, gradient: &gradient, state: &state, count: count, rate: rate)
        case let .adagrad(c): c.step(&parameter, gradient: &gradient, state: &state, count: count, rate: rate)
        }
    }
}

extension SGDConfiguration {
    func step(_ parameter: inout [Double], gradient: inout [Double], state: inout OptimizerState, count: Int, rate: Double) {
        defer { state.steps += 1 }
        if weightDecay != 0 { BLAS.axpy(weightDecay, parameter, &gradient, count: count) }
        guard momentum != 0 else {
            BLAS.axpy(-rate, gradient, &parameter, count: count)
            return
        }
        if state.started {
            BLAS.scale(&state.first, by: momentum, count: count)
            BLAS.axpy(1 - dampening, gradient, &state.first, count: count)
        } else {
            // PyTorch initialises the buffer with the first gradient (no dampening).
            for i in 0..<count { state.first[i] = gradient[i] }
        }
        if nesterov {
            BLAS.axpy(momentum, state.first, &gradient, count: count)
            BLAS.axpy(-rate, gradient, &parameter, count: count)
        } else {
            BLAS.axpy(-rate, state.first, &parameter, count: count)
        }
    }

    /// The same step for a parameter that is a scalar multiple α·v of a fixed vector v whose loss
    /// gradient is zero (the part of W orthogonal to the dictionary): only weight decay moves it.
    /// `coefficient` is α and `buffer` the momentum buffer's multiple of v.
    func stepOrthogonalScale(coefficient: inout Double, buffer: inout Double, started: Bool, rate: Double) {
        let gradient = weightDecay * coefficient
        guard momentum != 0 else {
            coefficient -= rate * gradient
            return
        }
        buffer = started ? momentum * buffer + (1 - dampening) * gradient : gradient
        coefficient -= rate * (nesterov ? gradient + momentum * buffer : buffer)
    }
}

extension AdamConfiguration {
    func step(_ parameter: inout [Double], gradient: inout [Double], state: inout OptimizerState, count: Int, rate: Double) {
        state.steps += 1
        let t = Double(state.steps)
        let correction1 = 1 - pow(beta1, t), correction2 = 1 - pow(beta2, t)
        let (b1, b2, eps, decay, decoupled) = (beta1, beta2, epsilon, weightDecay, decoupled)
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { v in
                        for i in 0..<count {
                            var gi = g[i]
                            if decoupled { p[i] *= 1 - rate * decay } else { gi += decay * p[i] }
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi
                            p[i] -= rate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}

extension RMSPropConfiguration {
    func step(_ parameter: inout [Double], gradient: inout [Double], state: inout OptimizerState, count: Int, rate: Double) {
        state.steps += 1
        let (a, eps, decay, mu, centered) = (alpha, epsilon, weightDecay, momentum, centered)
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.second.withUnsafeMutableBufferPointer { s in
                    state.average.withUnsafeMutableBufferPointer { avg in
                        state.first.withUnsafeMutableBufferPointer { buffer in
                            for i in 0..<count {
                                let gi = g[i] + decay * p[i]
                                s[i] = a * s[i] + (1 - a) * gi * gi
                                var denominator = s[i]
                                if centered {
                                    avg[i] = a * avg[i] + (1 - a) * gi
                                    denominator -= avg[i] * avg[i]
                                }
                                denominator = denominator.squareRoot() + eps
                                if mu > 0 {
                                    buffer[i] = mu * buffer[i] + gi / denominator
                                    p[i] -= rate * buffer[i]
                                } else {
                                    p[i] -= rate * gi / denominator
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension AdaGradConfiguration {
    func step(_ parameter: inout [Double], gradient: inout [Double], state: inout OptimizerState, count: Int, rate: Double) {
        state.steps += 1
        let clr = rate / (1 + Double(state.steps - 1) * learningRateDecay)
        let (decay, eps) = (weightDecay, epsilon)
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.second.withUnsafeMutableBufferPointer { sum in
                    for i in 0..<count {
                        let gi = g[i] + decay * p[i]
                        sum[i] += gi * gi
                        p[i] -= clr * gi / (sum[i].squareRoot() + eps)
                    }
                }
            }
        }
    }
}
