import CGSL

/// A floating-point type the CBLAS computes in: `Double` (the `d` routines, the engine's default) or
/// `Float` (the `s` routines, the float32 engine). Each names its routines once, in a `CBLASRoutines`
/// table; `BLAS` wraps them for matrices and arrays.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where RawSignificand: FixedWidthInteger {
    static var cblas: CBLASRoutines<Self> { get }
}

/// The CBLAS routines the engine calls, for one precision (row-major, unit strides).
public struct CBLASRoutines<Scalar>: Sendable {
    @usableFromInline let gemm:
        @Sendable (
            CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Scalar, UnsafePointer<Scalar>?, Int32,
            UnsafePointer<Scalar>?, Int32, Scalar, UnsafeMutablePointer<Scalar>?, Int32
        ) -> Void
    @usableFromInline let gemv:
        @Sendable (
            CBLAS_ORDER, CBLAS_TRANSPOSE, Int32, Int32, Scalar, UnsafePointer<Scalar>?, Int32, UnsafePointer<Scalar>?, Int32, Scalar,
            UnsafeMutablePointer<Scalar>?, Int32
        ) -> Void
    @usableFromInline let ger:
        @Sendable (
            CBLAS_ORDER, Int32, Int32, Scalar, UnsafePointer<Scalar>?, Int32, UnsafePointer<Scalar>?, Int32, UnsafeMutablePointer<Scalar>?,
            Int32
        ) -> Void
    @usableFromInline let axpy: @Sendable (Int32, Scalar, UnsafePointer<Scalar>?, Int32, UnsafeMutablePointer<Scalar>?, Int32) -> Void
    @usableFromInline let scal: @Sendable (Int32, Scalar, UnsafeMutablePointer<Scalar>?, Int32) -> Void
    @usableFromInline let dot: @Sendable (Int32, UnsafePointer<Scalar>?, Int32, UnsafePointer<Scalar>?, Int32) -> Scalar
    @usableFromInline let nrm2: @Sendable (Int32, UnsafePointer<Scalar>?, Int32) -> Scalar
}

extension BLASScalar {
    /// `source` rounded to this type: the same array (no copy) when the types agree.
    @inlinable
    public static func array<Source: BLASScalar>(converting source: [Source]) -> [Self] {
        if let same = source as? [Self] { return same }
        return source.map { Self($0) }
    }
}

extension Double: BLASScalar {
    public static let cblas = CBLASRoutines<Double>(
        gemm: cblas_dgemm, gemv: cblas_dgemv, ger: cblas_dger, axpy: cblas_daxpy, scal: cblas_dscal, dot: cblas_ddot, nrm2: cblas_dnrm2)
}

extension Float: BLASScalar {
    public static let cblas = CBLASRoutines<Float>(
        gemm: cblas_sgemm, gemv: cblas_sgemv, ger: cblas_sger, axpy: cblas_saxpy, scal: cblas_sscal, dot: cblas_sdot, nrm2: cblas_snrm2)
}
