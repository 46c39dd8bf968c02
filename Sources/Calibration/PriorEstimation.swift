import Foundation
import GSL

/// Estimators of label priors from logits: the prior a model absorbed in training (GLA, label-free EM)
/// and the prior of a shifted target set (Saerens EM, MLLS, BBSE). Priors are normalised to sum 1.
public enum PriorEstimation {
    /// GLA (Zhu et al., NeurIPS 2023), solved exactly: the temperature that matches confidence to
    /// accuracy on a labelled, class-balanced set, then the bias-only NLL fit at that temperature;
    /// q = softmax(−b) is the prior whose log the model's logits carry.
    public static func gla(_ logits: Matrix, labels: [Int], matchConfidence: Bool = true) throws(CalibrationError) -> (
        prior: [Double], temperature: Double
    ) {
        let temperature = matchConfidence ? try ScalingFit.confidenceMatchingTemperature(logits, labels: labels) : 1
        let fit = try ScalingFit.fit(logits, labels: labels, parameters: .bias(temperature: temperature))
        return (fit.scaling.absorbedPrior, temperature)
    }

    /// Label-free prior matching ("EM run backwards"): the q for which the debiased posteriors
    /// softmax(z − log q) average to the set's known label prior `target` (uniform for a balanced set).
    /// At T = 1 this is the fixed point of GLA's bias fit, using no labels at all. Solved as the convex
    /// problem min_b mean_i logsumexp(z_i − b) + Σ_k target_k·b_k (its gradient is target − mean posterior)
    /// with BFGS; q = softmax(b).
    public static func absorbedPrior(_ logits: Matrix, target: [Double]? = nil) throws(CalibrationError) -> [Double] {
        try validate(logits)
        let n = logits.rows, k = logits.columns
        let goal = normalized(target ?? [Double](repeating: 1, count: k))
        try validate(prior: goal, classes: k)
        let result: Minimizer.Result
        do {
            result = try Minimizer.minimize(start: [Double](repeating: 0, count: k), gradientTolerance: 1e-11) { b in
                var value = 0.0
                var gradient = goal
                var row = [Double](repeating: 0, count: k)
                for i in 0..<n {
                    for j in 0..<k { row[j] = logits[i, j] - b[j] }
                    let lse = row.withUnsafeBufferPointer { logSumExp($0) }
                    value += lse / Double(n)
                    for j in 0..<k { gradient[j] -= exp(row[j] - lse) / Double(n) }
                }
                for j in 0..<k { value += goal[j] * b[j] }
                return (value, gradient)
            }
        } catch {
            throw .degenerateFit("prior matching failed: \(error)")
        }
        let b = result.point
        guard result.converged, b.allSatisfy(\.isFinite) else {
            throw .degenerateFit("prior matching did not converge: some class is never predicted (its prior estimate → 0)")
        }
        let m = b.max() ?? 0
        return normalized(b.map { exp($0 - m) })
    }

    /// Saerens–Latinne–Decaestecker EM (2002): the label prior of an unlabelled target set, from
    /// posteriors of a model trained under `sourcePrior`: p_t(y|x) ∝ p_s(y|x)·π_t(y)/π_s(y), π_t ← mean p_t.
    public static func expectationMaximization(
        _ targetLogits: Matrix, sourcePrior: [Double], tolerance: Double = 1e-10,
        maxIterations: Int = 10_000
    ) throws(CalibrationError) -> [Double] {
        try validate(targetLogits)
        let k = targetLogits.columns
        let source = normalized(sourcePrior)
        try validate(prior: source, classes: k)
        let posteriors = softmax(targetLogits)
        var prior = source
        for _ in 0..<maxIterations {
            var next = [Double](repeating: 0, count: k)
            for i in 0..<posteriors.rows {
                let weights = (0..<k).map { posteriors[i, $0] * prior[$0] / source[$0] }
                let total = weights.reduce(0, +)
                for j in 0..<k { next[j] += weights[j] / total }
            }
            next = normalized(next)
            let change = zip(next, prior).map { abs($0 - $1) }.max() ?? 0
            prior = next
            if change < tolerance { return prior }
        }
        throw .degenerateFit("EM did not converge in \(maxIterations) iterations")
    }

    /// MLLS with bias-corrected temperature scaling (Alexandari et al. 2020): BCTS fitted on the labelled
    /// source set, then EM on the calibrated target logits with the source label frequencies as π_s.
    public static func mlls(sourceLogits: Matrix, sourceLabels: [Int], targetLogits: Matrix) throws(CalibrationError) -> [Double] {
        let fit = try ScalingFit.fit(sourceLogits, labels: sourceLabels, parameters: .temperatureAndBias)
        return try expectationMaximization(fit.scaling.apply(targetLogits), sourcePrior: frequencies(sourceLabels, classes: sourceLogits.columns))
    }

    /// Black-box shift estimation (Lipton et al. 2018): w = C⁻¹ μ with C[ŷ, y] the joint confusion matrix on
    /// the labelled source set and μ the target's predicted-class frequencies; negative weights are clipped
    /// to 0 and π_t ∝ w ⊙ π_s.
    public static func bbse(sourceLogits: Matrix, sourceLabels: [Int], targetLogits: Matrix) throws(CalibrationError) -> [Double] {
        try validate(sourceLogits, labels: sourceLabels)
        try validate(targetLogits)
        let k = sourceLogits.columns
        guard targetLogits.columns == k else { throw .shapeMismatch("\(k) source classes, \(targetLogits.columns) target classes") }
        var confusion = Matrix(rows: k, columns: k)
        for (predicted, label) in zip(predictions(sourceLogits), sourceLabels) {
            confusion[predicted, label] += 1 / Double(sourceLabels.count)
        }
        var mu = [Double](repeating: 0, count: k)
        for predicted in predictions(targetLogits) { mu[predicted] += 1 / Double(targetLogits.rows) }
        let weights: [Double]
        do {
            weights = try Linalg.solve(confusion, mu)
        } catch {
            throw .degenerateFit("the confusion matrix is singular (some class is never predicted or never present)")
        }
        let source = frequencies(sourceLabels, classes: k)
        let unnormalized = zip(weights, source).map { max($0, 0) * $1 }
        guard unnormalized.reduce(0, +) > 0 else { throw .degenerateFit("every importance weight is ≤ 0") }
        return normalized(unnormalized)
    }

    /// L1 distance Σ|p − q| and KL(p‖q) between priors (both normalised first).
    public static func errors(_ estimate: [Double], truth: [Double]) -> (l1: Double, kl: Double) {
        let p = normalized(truth), q = normalized(estimate)
        let l1 = zip(p, q).reduce(0) { $0 + abs($1.0 - $1.1) }
        let kl = zip(p, q).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / max($1.1, 1e-300)) : 0) }
        return (l1, kl)
    }

    static func normalized(_ values: [Double]) -> [Double] {
        let total = values.reduce(0, +)
        return values.map { $0 / total }
    }

    static func frequencies(_ labels: [Int], classes: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: classes)
        for y in labels { counts[y] += 1 }
        return counts.map { $0 / Double(labels.count) }
    }

    static func meanPosterior(_ logits: Matrix) -> [Double] {
        let p = softmax(logits)
        return (0..<p.columns).map { k in (0..<p.rows).reduce(0) { $0 + p[$1, k] } / Double(p.rows) }
    }
}
