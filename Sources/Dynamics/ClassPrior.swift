import Foundation
import Schema

/// The label distribution π of a training set (multi-class data; test sets are always class-balanced).
public enum ClassPrior: Sendable, Equatable {
    /// π_k = 1/K.
    case uniform
    /// π_k ∝ the given positive weights (one per class).
    case weights([Double])
    /// π_k ∝ ratio^(−k/(K−1)): class 0 the most frequent, class K−1 `ratio` times rarer (the usual
    /// long-tailed benchmark profile).
    case longTailed(ratio: Double)

    /// The normalised probabilities for `classes` classes (weights of the wrong count are used as given;
    /// scenario validation rejects them first).
    public func probabilities(classes: Int) -> [Double] {
        let raw: [Double]
        switch self {
        case .uniform: raw = [Double](repeating: 1, count: classes)
        case let .weights(w): raw = w
        case let .longTailed(ratio):
            raw = (0..<classes).map { classes > 1 ? pow(ratio, -Double($0) / Double(classes - 1)) : 1 }
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// Per-class sample counts summing to `total`, as close to `total·π` as integers allow (largest
    /// remainder, ties to the lower class): deterministic, so a training set's class counts are exact.
    public func counts(total: Int, classes: Int) -> [Int] {
        let shares = probabilities(classes: classes).map { $0 * Double(total) }
        var counts = shares.map { Int($0.rounded(.down)) }
        let order = (0..<classes).sorted { a, b in
            let (ra, rb) = (shares[a] - Double(counts[a]), shares[b] - Double(counts[b]))
            return ra != rb ? ra > rb : a < b
        }
        for k in order.prefix(max(0, total - counts.reduce(0, +))) { counts[k] += 1 }
        return counts
    }

    /// A short human-readable form, e.g. `long-tailed (ratio 50)`.
    public var label: String {
        switch self {
        case .uniform: "uniform"
        case let .weights(w): "weights [\(w.map(\.compact).joined(separator: ", "))]"
        case let .longTailed(ratio): "long-tailed (ratio \(ratio.compact))"
        }
    }
}

extension ClassPrior {
    /// `"uniform"`, `{"long_tailed": ratio}` or a list of K positive weights (the count is checked
    /// against the classes by the section that knows them).
    public static let codec = Codec<ClassPrior>.oneOf([
        .literal("uniform", .uniform),
        Alternative(
            Codec.keyed(
                noun: "prior", example: "{\"long_tailed\": 10}",
                [
                    KeyedCase(
                        "long_tailed", "Head-to-tail frequency ratio (≥ 1) of a long-tailed prior.", Codec.number(.atLeast(1)),
                        embed: { ClassPrior.longTailed(ratio: $0) },
                        extract: { if case let .longTailed(ratio) = $0 { ratio } else { nil } })
                ]), embed: { $0 }, extract: { if case .longTailed = $0 { $0 } else { nil } }),
        Alternative(
            Codec.list(of: Codec.number(.positive), minimum: 1), embed: { ClassPrior.weights($0) },
            extract: { if case let .weights(weights) = $0 { weights } else { nil } }),
    ])

    /// Why this prior does not fit `classes` classes, or nil.
    public func problem(classes: Int) -> String? {
        guard case let .weights(weights) = self, weights.count != classes else { return nil }
        return "\(weights.count) weights for \(classes) classes; allowed: one positive weight per class"
    }
}
