import Foundation
import GSL

/// How calibration bins are formed.
public enum Binning: Sendable, Equatable {
    /// Equal-width bins (l, u] on [0, 1] (torchmetrics' and netcal's ECE).
    case equalWidth(Int)
    /// Equal-mass bins: each holds n/B samples by sorted confidence (ACE-like).
    case equalMass(Int)

    var count: Int {
        switch self {
        case let .equalWidth(b), let .equalMass(b): b
        }
    }
}

/// One bin of a reliability diagram.
public struct ReliabilityBin: Sendable, Equatable {
    public var count: Int
    public var meanConfidence: Double
    /// Fraction correct (top-label) or frequency of the class (class-wise).
    public var accuracy: Double
}

/// Classification and calibration metrics over logits and labels — pure functions.
public enum Metrics {
    /// Top-1 accuracy.
    public static func accuracy(_ logits: Matrix, labels: [Int]) throws(CalibrationError) -> Double {
        try validate(logits, labels: labels)
        let predicted = predictions(logits)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// Accuracy per class (nil for a class without samples).
    public static func perClassAccuracy(_ logits: Matrix, labels: [Int]) throws(CalibrationError) -> [Double?] {
        try validate(logits, labels: labels)
        var correct = [Int](repeating: 0, count: logits.columns), total = correct
        for (p, y) in zip(predictions(logits), labels) {
            total[y] += 1
            if p == y { correct[y] += 1 }
        }
        return zip(correct, total).map { $1 == 0 ? nil : Double($0) / Double($1) }
    }

    /// Mean of the per-class accuracies (every class must have samples).
    public static func balancedAccuracy(_ logits: Matrix, labels: [Int]) throws(CalibrationError) -> Double {
        let perClass = try perClassAccuracy(logits, labels: labels)
        var sum = 0.0
        for (k, value) in perClass.enumerated() {
            guard let value else { throw .missingClass(k) }
            sum += value
        }
        return sum / Double(perClass.count)
    }

    /// Mean per-class accuracy within each group of classes (e.g. head / medium / tail).
    public static func groupAccuracy(_ logits: Matrix, labels: [Int], groups: [[Int]]) throws(CalibrationError) -> [Double] {
        let perClass = try perClassAccuracy(logits, labels: labels)
        var result: [Double] = []
        for group in groups {
            var values: [Double] = []
            for k in group {
                guard k >= 0, k < perClass.count else { throw .invalidArgument("class \(k) in a group is out of range") }
                guard let value = perClass[k] else { throw .missingClass(k) }
                values.append(value)
            }
            guard !values.isEmpty else { throw .invalidArgument("an empty class group") }
            result.append(values.reduce(0, +) / Double(values.count))
        }
        return result
    }

    /// Head / medium / tail thirds of the classes ranked by a prior (largest first); the tail gets the remainder.
    public static func headMediumTail(prior: [Double]) -> [[Int]] {
        let order = prior.indices.sorted { prior[$0] != prior[$1] ? prior[$0] > prior[$1] : $0 < $1 }
        let third = order.count / 3
        return [Array(order[0..<third]), Array(order[third..<(2 * third)]), Array(order[(2 * third)...])]
    }

    /// Mean negative log-likelihood of the labels under softmax(logits).
    public static func negativeLogLikelihood(_ logits: Matrix, labels: [Int]) throws(CalibrationError) -> Double {
        try validate(logits, labels: labels)
        let logP = logSoftmax(logits)
        return -(0..<labels.count).reduce(0) { $0 + logP[$1, labels[$1]] } / Double(labels.count)
    }

    /// Multiclass Brier score: mean over samples of Σ_k (p_k − 1[y = k])² (not divided by K).
    public static func brier(_ logits: Matrix, labels: [Int]) throws(CalibrationError) -> Double {
        try validate(logits, labels: labels)
        let p = softmax(logits)
        var total = 0.0
        for i in 0..<labels.count {
            for k in 0..<logits.columns {
                let target: Double = labels[i] == k ? 1 : 0
                total += (p[i, k] - target) * (p[i, k] - target)
            }
        }
        return total / Double(labels.count)
    }

    /// Reliability-diagram bins of (confidence, correct) pairs; empty bins are kept with count 0.
    public static func bins(confidences: [Double], outcomes: [Double], binning: Binning) -> [ReliabilityBin] {
        let n = confidences.count, b = max(binning.count, 1)
        var members = [[Int]](repeating: [], count: b)
        switch binning {
        case .equalWidth:
            for i in 0..<n {
                // (l, u] bins; a confidence of exactly 0 goes to the first bin.
                let index = Int((confidences[i] * Double(b)).rounded(.up)) - 1
                members[min(max(index, 0), b - 1)].append(i)
            }
        case .equalMass:
            let order = (0..<n).sorted { confidences[$0] != confidences[$1] ? confidences[$0] < confidences[$1] : $0 < $1 }
            for (rank, i) in order.enumerated() { members[min(rank * b / max(n, 1), b - 1)].append(i) }
        }
        return members.map { indices in
            guard !indices.isEmpty else { return ReliabilityBin(count: 0, meanConfidence: 0, accuracy: 0) }
            let count = Double(indices.count)
            return ReliabilityBin(
                count: indices.count,
                meanConfidence: indices.reduce(0) { $0 + confidences[$1] } / count,
                accuracy: indices.reduce(0) { $0 + outcomes[$1] } / count)
        }
    }

    /// Top-label reliability bins: confidence = max probability, outcome = prediction correct.
    public static func reliability(_ logits: Matrix, labels: [Int], binning: Binning = .equalWidth(15)) throws(CalibrationError) -> [ReliabilityBin] {
        try validate(logits, labels: labels)
        let p = softmax(logits), predicted = predictions(logits)
        let confidences = (0..<labels.count).map { p[$0, predicted[$0]] }
        let outcomes = (0..<labels.count).map { predicted[$0] == labels[$0] ? 1.0 : 0.0 }
        return bins(confidences: confidences, outcomes: outcomes, binning: binning)
    }

    /// Expected calibration error Σ_b (n_b/n)·|acc_b − conf_b|, top-label.
    public static func expectedCalibrationError(_ logits: Matrix, labels: [Int], binning: Binning = .equalWidth(15)) throws(CalibrationError)
        -> Double
    {
        let result = try reliability(logits, labels: labels, binning: binning)
        return weightedGap(result, total: labels.count)
    }

    /// Maximum calibration error: the largest |acc_b − conf_b| over non-empty bins, top-label.
    public static func maximumCalibrationError(_ logits: Matrix, labels: [Int], binning: Binning = .equalWidth(15)) throws(CalibrationError) -> Double
    {
        try reliability(logits, labels: labels, binning: binning).filter { $0.count > 0 }
            .map { abs($0.accuracy - $0.meanConfidence) }.max() ?? 0
    }

    /// Class-wise ECE: (1/K) Σ_k Σ_b (n_bk/n)·|freq(y = k in B_bk) − mean p_k(B_bk)|.
    public static func classwiseCalibrationError(_ logits: Matrix, labels: [Int], binning: Binning = .equalWidth(15)) throws(CalibrationError)
        -> Double
    {
        try validate(logits, labels: labels)
        let p = softmax(logits)
        var total = 0.0
        for k in 0..<logits.columns {
            let confidences = (0..<labels.count).map { p[$0, k] }
            let outcomes = labels.map { $0 == k ? 1.0 : 0.0 }
            total += weightedGap(bins(confidences: confidences, outcomes: outcomes, binning: binning), total: labels.count)
        }
        return total / Double(logits.columns)
    }

    static func weightedGap(_ bins: [ReliabilityBin], total: Int) -> Double {
        bins.reduce(0) { $0 + Double($1.count) / Double(total) * abs($1.accuracy - $1.meanConfidence) }
    }
}
