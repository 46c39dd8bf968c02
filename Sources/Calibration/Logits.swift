import Foundation
import GSL

/// Checks that logits (n × K) are usable: n ≥ 1, K ≥ 2, all finite, and labels (if given) in range.
func validate(_ logits: Matrix, labels: [Int]? = nil) throws(CalibrationError) {
    guard logits.rows > 0 else { throw .empty }
    guard logits.columns >= 2 else { throw .tooFewClasses(logits.columns) }
    for i in 0..<logits.rows {
        for k in 0..<logits.columns where !logits[i, k].isFinite { throw .nonFinite(row: i) }
    }
    if let labels {
        guard labels.count == logits.rows else { throw .shapeMismatch("\(labels.count) labels for \(logits.rows) rows") }
        for (i, y) in labels.enumerated() where y < 0 || y >= logits.columns {
            throw .labelOutOfRange(row: i, label: y, classes: logits.columns)
        }
    }
}

/// Checks a prior: K positive entries (normalised by the caller's use of logs, so they need not sum to 1).
func validate(prior: [Double], classes: Int) throws(CalibrationError) {
    guard prior.count == classes else { throw .invalidPrior("\(prior.count) entries for \(classes) classes") }
    guard prior.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .invalidPrior("entries must be positive and finite") }
}

/// log Σ_k e^{z_k}, stable for any finite z.
func logSumExp(_ z: UnsafeBufferPointer<Double>) -> Double {
    let m = z.max() ?? 0
    var sum = 0.0
    for v in z { sum += exp(v - m) }
    return m + log(sum)
}

/// Row-wise log-softmax, stable (no overflow for large logits).
public func logSoftmax(_ logits: Matrix) -> Matrix {
    var out = logits
    let k = logits.columns
    out.storage.withUnsafeMutableBufferPointer { p in
        for i in 0..<logits.rows {
            let row = UnsafeMutableBufferPointer(rebasing: p[(i * k)..<((i + 1) * k)])
            let lse = logSumExp(UnsafeBufferPointer(row))
            for j in 0..<k { row[j] -= lse }
        }
    }
    return out
}

/// Row-wise softmax.
public func softmax(_ logits: Matrix) -> Matrix {
    var out = logSoftmax(logits)
    for i in 0..<(out.rows * out.columns) { out.storage[i] = exp(out.storage[i]) }
    return out
}

/// Post-hoc logit adjustment (Menon et al., arXiv 2007.07314): z − τ·log π. With τ = 1 and the training
/// prior π, argmax is Bayes-optimal for the balanced error.
public func adjustLogits(_ logits: Matrix, prior: [Double], tau: Double = 1) throws(CalibrationError) -> Matrix {
    try validate(logits)
    try validate(prior: prior, classes: logits.columns)
    var out = logits
    let logPrior = prior.map { tau * log($0) }
    for i in 0..<logits.rows {
        for k in 0..<logits.columns { out[i, k] -= logPrior[k] }
    }
    return out
}

/// The GLA ensemble (Zhu et al., NeurIPS 2023): f = f_a + f_b − log π_a − log π_b, the Bayes-optimal
/// combination for a balanced target when the two models are conditionally independent given y.
public func glaEnsemble(_ a: Matrix, prior priorA: [Double], _ b: Matrix, prior priorB: [Double]) throws(CalibrationError) -> Matrix {
    guard a.rows == b.rows, a.columns == b.columns else {
        throw .shapeMismatch("\(a.rows)×\(a.columns) and \(b.rows)×\(b.columns) logits")
    }
    let adjustedA = try adjustLogits(a, prior: priorA), adjustedB = try adjustLogits(b, prior: priorB)
    var sum = adjustedA
    for i in 0..<(sum.rows * sum.columns) { sum.storage[i] += adjustedB.storage[i] }
    return sum
}

/// Predicted classes (argmax; the first maximum on ties).
public func predictions(_ logits: Matrix) -> [Int] {
    (0..<logits.rows).map { i in
        var best = 0
        for k in 1..<max(logits.columns, 1) where logits[i, k] > logits[i, best] { best = k }
        return best
    }
}
