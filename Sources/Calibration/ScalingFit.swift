import Foundation
import GSL

/// A post-hoc rescaling of logits: z/T + b.
public struct Scaling: Sendable, Equatable {
    public var temperature: Double
    /// Per-class bias, centred to mean 0 (only differences matter).
    public var bias: [Double]

    public init(temperature: Double, bias: [Double]) {
        self.temperature = temperature
        self.bias = bias
    }

    /// z/T + b for every row.
    public func apply(_ logits: Matrix) -> Matrix {
        var out = logits
        for i in 0..<logits.rows {
            for k in 0..<logits.columns { out[i, k] = logits[i, k] / temperature + (bias.isEmpty ? 0 : bias[k]) }
        }
        return out
    }

    /// The label prior this bias removes: q = softmax(−b), so that z/T + b = z/T − log q + const.
    public var absorbedPrior: [Double] {
        let m = bias.map { -$0 }.max() ?? 0
        let e = bias.map { exp(-$0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}

/// One NLL fit over (T, b) with a choice of free parameters — temperature scaling (T), bias-only
/// calibration (b: GLA's prior estimate), and bias-corrected temperature scaling (both). The problem is
/// convex in (1/T, b); it is solved with GSL's BFGS over (log T, b) with the analytic gradient.
public enum ScalingFit {
    public enum Parameters: Sendable, Equatable {
        /// Temperature scaling (Guo et al. 2017).
        case temperature
        /// Bias only, at a fixed temperature (GLA's prior estimate when T is confidence-matched).
        case bias(temperature: Double)
        /// Bias-corrected temperature scaling (BCTS).
        case temperatureAndBias
    }

    /// Fitted temperatures below this are refused: the set is (nearly) separable and the NLL has no
    /// finite minimum worth using (the research note saw T collapse to 0.02 on small binary sets).
    public static let minimumTemperature = 0.05

    /// Fits the chosen parameters by minimising mean NLL + (log T)²/(2n): a standard-normal prior on
    /// log T whose weight vanishes with n and keeps T finite on separable sets.
    public static func fit(_ logits: Matrix, labels: [Int], parameters: Parameters) throws(CalibrationError) -> (scaling: Scaling, nll: Double) {
        try validate(logits, labels: labels)
        let n = logits.rows, k = logits.columns
        let fitsT: Bool, fitsBias: Bool, fixedT: Double
        switch parameters {
        case .temperature: (fitsT, fitsBias, fixedT) = (true, false, 1)
        case let .bias(temperature):
            guard temperature > 0, temperature.isFinite else { throw .invalidArgument("temperature must be > 0, got \(temperature)") }
            (fitsT, fitsBias, fixedT) = (false, true, temperature)
        case .temperatureAndBias: (fitsT, fitsBias, fixedT) = (true, true, 1)
        }
        if fitsBias {
            var seen = [Bool](repeating: false, count: k)
            for y in labels { seen[y] = true }
            if let missing = seen.firstIndex(of: false) { throw .missingClass(missing) }
        }
        let offset = fitsT ? 1 : 0
        func unpack(_ x: [Double]) -> (Double, [Double]) {
            (fitsT ? exp(x[0]) : fixedT, fitsBias ? Array(x[offset...]) : [Double](repeating: 0, count: k))
        }
        let objective: Minimizer.Objective = { x in
            let (t, b) = unpack(x)
            var value = 0.0
            var gradient = [Double](repeating: 0, count: x.count)
            var row = [Double](repeating: 0, count: k)
            for i in 0..<n {
                for j in 0..<k { row[j] = logits[i, j] / t + b[j] }
                let lse = row.withUnsafeBufferPointer { logSumExp($0) }
                value += lse - row[labels[i]]
                for j in 0..<k {
                    let residual = exp(row[j] - lse) - (j == labels[i] ? 1 : 0)
                    if fitsT { gradient[0] -= residual * logits[i, j] / t }
                    if fitsBias { gradient[offset + j] += residual }
                }
            }
            value /= Double(n)
            for j in gradient.indices { gradient[j] /= Double(n) }
            if fitsT {
                value += x[0] * x[0] / (2 * Double(n))
                gradient[0] += x[0] / Double(n)
            }
            return (value, gradient)
        }
        let start = [Double](repeating: 0, count: offset + (fitsBias ? k : 0))
        let result: Minimizer.Result
        do {
            result = try Minimizer.minimize(start: start, gradientTolerance: 1e-9, objective)
        } catch {
            throw .degenerateFit("the minimiser failed: \(error)")
        }
        var (t, b) = unpack(result.point)
        guard result.value.isFinite, t.isFinite, b.allSatisfy(\.isFinite) else { throw .degenerateFit("the fit diverged") }
        if fitsT && t < minimumTemperature {
            throw .degenerateFit(
                "the temperature collapsed to \(t) (< \(minimumTemperature)): the set is (nearly) separable; fit on more or harder data")
        }
        let mean = b.reduce(0, +) / Double(k)
        b = b.map { $0 - mean }
        let scaling = Scaling(temperature: t, bias: b)
        return (scaling, try Metrics.negativeLogLikelihood(scaling.apply(logits), labels: labels))
    }

    /// GLA's temperature: T such that the mean max-softmax confidence of z/T equals the accuracy on the
    /// set (found by bisection on log T; confidence falls monotonically from 1 to 1/K as T grows).
    public static func confidenceMatchingTemperature(_ logits: Matrix, labels: [Int]) throws(CalibrationError) -> Double {
        let accuracy = try Metrics.accuracy(logits, labels: labels)
        let k = Double(logits.columns)
        guard accuracy > 1 / k else { throw .degenerateFit("accuracy \(accuracy) is at or below chance (1/\(Int(k))): no temperature matches it") }
        guard accuracy < 1 else { throw .degenerateFit("accuracy is 1: confidence matches it only as T → 0") }
        func confidence(_ logT: Double) -> Double {
            let p = softmax(Scaling(temperature: exp(logT), bias: []).apply(logits))
            return (0..<p.rows).reduce(0) { sum, i in sum + ((0..<p.columns).map { p[i, $0] }.max() ?? 0) } / Double(p.rows)
        }
        var low = log(1e-3), high = log(1e3)
        guard confidence(low) >= accuracy, confidence(high) <= accuracy else {
            throw .degenerateFit("no temperature in [0.001, 1000] matches accuracy \(accuracy)")
        }
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if confidence(middle) > accuracy { low = middle } else { high = middle }
        }
        return exp((low + high) / 2)
    }
}
