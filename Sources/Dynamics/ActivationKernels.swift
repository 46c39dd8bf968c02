import Foundation

/// The row-wise kernels every activation shares: σ and σ' over whole arrays, from each activation's
/// one value-and-slope definition (`Activation.evaluate`).
extension Activation {
    /// σ(h) and σ'(h) for one pre-activation (reference form; the trainer works on whole rows).
    public func callAsFunction(_ h: Double) -> (value: Double, derivative: Double) {
        var input = h, value = 0.0, derivative = 0.0
        apply(&input, count: 1, values: &value)
        slopes(&input, count: 1, into: &derivative)
        return (value, derivative)
    }

    /// Adds `bias` (if any) to each row of the `rows × width` pre-activations in place, then writes σ
    /// of them to `values`, and σ' to `slopes` if given: one fused pass over the forward pass's largest array.
    @_specialize(where S == Double)
    @_specialize(where S == Float)
    public func apply<S: EngineScalar>(
        addingBias bias: UnsafePointer<S>?, to h: UnsafeMutablePointer<S>,
        rows: Int, width: Int, values: UnsafeMutablePointer<S>,
        slopes out: UnsafeMutablePointer<S>? = nil
    ) {
        if let bias {
            for i in 0..<rows {
                let row = h + i * width
                for r in 0..<width { row[r] += bias[r] }
            }
        }
        if let out {
            applyWithSlopes(h, count: rows * width, values: values, slopes: out)
        } else {
            apply(h, count: rows * width, values: values)
        }
    }

    /// σ and σ' together, sharing the transcendental function calls.
    public func applyWithSlopes<S: EngineScalar>(
        _ h: UnsafePointer<S>, count: Int, values: UnsafeMutablePointer<S>,
        slopes out: UnsafeMutablePointer<S>
    ) {
        evaluate(h, count: count, values: values, slopes: out)
    }

    /// values_i = σ(h_i).
    public func apply<S: EngineScalar>(_ h: UnsafePointer<S>, count: Int, values: UnsafeMutablePointer<S>) {
        evaluate(h, count: count, values: values, slopes: nil)
    }

    /// out_i = σ'(h_i).
    public func slopes<S: EngineScalar>(_ h: UnsafePointer<S>, count: Int, into out: UnsafeMutablePointer<S>) {
        evaluate(h, count: count, values: nil, slopes: out)
    }
}
