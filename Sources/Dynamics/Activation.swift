/// A hidden-unit non-linearity σ with its derivative σ'.
///
/// Everything about an activation lives in this file: to add one, add a case, its name, and its value
/// and derivative in `evaluate`.
public enum Activation: Sendable, Equatable, CaseIterable {
    /// max(0, h) — the paper's network.
    case relu
    /// h — the control: no contamination (Theorem 4.4).
    case linear

    /// The name used in scenario files and reports.
    public var name: String {
        switch self {
        case .relu: "relu"
        case .linear: "linear"
        }
    }

    /// The activation with this scenario-file name, if any.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// Names accepted in scenario files.
    public static var names: [String] { allCases.map(\.name) }

    /// Whether σ is linear, so that background gradient terms cancel (the control).
    public var isLinear: Bool { self == .linear }

    /// σ(h) and σ'(h) for one pre-activation (reference form; the trainer uses `evaluate`).
    public func callAsFunction(_ h: Double) -> (value: Double, derivative: Double) {
        var value = 0.0, derivative = 0.0
        withUnsafeMutablePointer(to: &value) { v in
            withUnsafeMutablePointer(to: &derivative) { d in
                var input = h
                withUnsafePointer(to: &input) { x in
                    evaluate(x, count: 1, values: v, derivatives: d)
                }
            }
        }
        return (value, derivative)
    }

    /// Writes σ(h_i) and σ'(h_i) for `count` pre-activations; `derivatives` may be nil.
    /// The switch is outside the loop so each branch vectorises.
    public func evaluate(_ h: UnsafePointer<Double>, count: Int,
                         values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>?) {
        switch self {
        case .relu:
            for i in 0..<count { values[i] = h[i] > 0 ? h[i] : 0 }
            if let d = derivatives { for i in 0..<count { d[i] = h[i] > 0 ? 1 : 0 } }
        case .linear:
            for i in 0..<count { values[i] = h[i] }
            if let d = derivatives { for i in 0..<count { d[i] = 1 } }
        }
    }
}
