import Foundation
import GSL

/// The scalar a run trains in (`training.precision`): `Double`, the default, or `Float`, which halves
/// the GEMMs' cost and memory traffic and compares like with like with the float32 scripts researchers
/// run. Everything on the training path — the network, its gradient, the optimiser state, the batch — is
/// generic over it; data generation, probes and the final analyses stay in `Double` (a float32 network
/// is measured exactly, as the float64 function its rounded weights define).
public protocol EngineScalar: BLASScalar {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    /// σ and/or σ' of a transcendental activation (GELU, tanh, …) over `count` elements.
    static func evaluateTranscendental(
        _ activation: Activation, _ h: UnsafePointer<Self>, count: Int, values: UnsafeMutablePointer<Self>?,
        slopes: UnsafeMutablePointer<Self>?)
}

extension Double: EngineScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }

    /// The 4-lane libmvec kernels of Sources/CVectorMath.
    public static func evaluateTranscendental(
        _ activation: Activation, _ h: UnsafePointer<Double>, count: Int, values: UnsafeMutablePointer<Double>?,
        slopes: UnsafeMutablePointer<Double>?
    ) {
        activation.evaluateVectorKernel(h, count: count, values: values, slopes: slopes)
    }
}

extension Float: EngineScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }

    /// Elements to widen at a time: three buffers of 40 doubles (960 bytes) stay within the size that
    /// `withUnsafeTemporaryAllocation` always places on the stack, so a training step allocates nothing.
    static let transcendentalChunk = 40

    /// The float64 kernels on the widened inputs, rounded back: each result is the float64 kernel's
    /// (within its tested few float64 ulp) rounded to nearest, so within about ½ float32 ulp of the exact
    /// function — tighter than a float32 kernel would be, and like them independent of the element's
    /// position. The widening costs little beside the float64 transcendental itself.
    public static func evaluateTranscendental(
        _ activation: Activation, _ h: UnsafePointer<Float>, count: Int, values: UnsafeMutablePointer<Float>?,
        slopes: UnsafeMutablePointer<Float>?
    ) {
        let chunk = transcendentalChunk
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * chunk) { buffer in
            guard let wide = buffer.baseAddress else { return }
            let wideValues = wide + chunk, wideSlopes = wide + 2 * chunk
            var start = 0
            while start < count {
                let length = min(chunk, count - start)
                for i in 0..<length { wide[i] = Double(h[start + i]) }
                activation.evaluateVectorKernel(
                    wide, count: length, values: values == nil ? nil : wideValues, slopes: slopes == nil ? nil : wideSlopes)
                if let values {
                    for i in 0..<length { values[start + i] = Float(wideValues[i]) }
                }
                if let slopes {
                    for i in 0..<length { slopes[start + i] = Float(wideSlopes[i]) }
                }
                start += length
            }
        }
    }
}
