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
    public func apply(
        addingBias bias: UnsafePointer<Double>?, to h: UnsafeMutablePointer<Double>,
        rows: Int, width: Int, values: UnsafeMutablePointer<Double>,
        slopes out: UnsafeMutablePointer<Double>? = nil
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
    public func applyWithSlopes(
        _ h: UnsafePointer<Double>, count: Int, values: UnsafeMutablePointer<Double>,
        slopes out: UnsafeMutablePointer<Double>
    ) {
        evaluate(h, count: count, values: values, slopes: out)
    }

    /// values_i = σ(h_i).
    public func apply(_ h: UnsafePointer<Double>, count: Int, values: UnsafeMutablePointer<Double>) {
        evaluate(h, count: count, values: values, slopes: nil)
    }

    /// out_i = σ'(h_i).
    public func slopes(_ h: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
        evaluate(h, count: count, values: nil, slopes: out)
    }

    /// Applies `point` to each h_i, keeping the parts asked for.
    @inline(__always)
    static func map(
        _ h: UnsafePointer<Double>, _ count: Int, _ values: UnsafeMutablePointer<Double>?,
        _ slopes: UnsafeMutablePointer<Double>?, _ point: (Double) -> (value: Double, slope: Double)
    ) {
        switch (values, slopes) {
        case let (values?, slopes?):
            for i in 0..<count { (values[i], slopes[i]) = point(h[i]) }
        case let (values?, nil):
            for i in 0..<count { values[i] = point(h[i]).value }
        case let (nil, slopes?):
            for i in 0..<count { slopes[i] = point(h[i]).slope }
        case (nil, nil):
            break
        }
    }
}
