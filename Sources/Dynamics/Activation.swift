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

    /// σ(h) and σ'(h) for one pre-activation (reference form; the trainer works on whole rows).
    public func callAsFunction(_ h: Double) -> (value: Double, derivative: Double) {
        var input = h, value = 0.0, derivative = 0.0
        apply(&input, count: 1, values: &value)
        slopes(&input, count: 1, into: &derivative)
        return (value, derivative)
    }

    /// Adds `bias` (if any) to each row of the `rows × width` pre-activations in place, then writes σ
    /// of them to `values`: one fused pass over the forward pass's largest array.
    public func apply(addingBias bias: UnsafePointer<Double>?, to h: UnsafeMutablePointer<Double>,
                      rows: Int, width: Int, values: UnsafeMutablePointer<Double>) {
        if let bias {
            for i in 0..<rows {
                let row = h + i * width
                for r in 0..<width { row[r] += bias[r] }
            }
        }
        apply(h, count: rows * width, values: values)
    }

    /// values_i = σ(h_i). The switch is outside the loop so each branch vectorises.
    public func apply(_ h: UnsafePointer<Double>, count: Int, values: UnsafeMutablePointer<Double>) {
        switch self {
        case .relu:
            for i in 0..<count { values[i] = h[i] > 0 ? h[i] : 0 }
        case .linear:
            values.update(from: h, count: count)
        }
    }

    /// out_i = σ'(h_i).
    public func slopes(_ h: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
        switch self {
        case .relu:
            for i in 0..<count { out[i] = h[i] > 0 ? 1 : 0 }
        case .linear:
            for i in 0..<count { out[i] = 1 }
        }
    }
}
