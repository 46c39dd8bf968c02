import CGSL

/// A floating-point type the CBLAS computes in: `Double` (the `d` routines, the engine's default) or
/// `Float` (the `s` routines, the float32 engine). One requirement per routine the engine calls, on raw
/// row-major storage; `BLAS` wraps them for matrices and arrays.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where RawSignificand: FixedWidthInteger {
    /// "float64" or "float32": the name a scenario's `training.precision` and reports use.
    static var precisionName: String { get }
    static func gemm(
        _ transA: BLAS.Transpose, _ transB: BLAS.Transpose, _ m: Int32, _ n: Int32, _ k: Int32,
        _ alpha: Self, _ a: UnsafePointer<Self>?, _ lda: Int32, _ b: UnsafePointer<Self>?, _ ldb: Int32,
        _ beta: Self, _ c: UnsafeMutablePointer<Self>?, _ ldc: Int32)
    static func gemv(
        _ trans: BLAS.Transpose, _ rows: Int32, _ columns: Int32, _ alpha: Self, _ a: UnsafePointer<Self>?,
        _ lda: Int32, _ x: UnsafePointer<Self>?, _ beta: Self, _ y: UnsafeMutablePointer<Self>?)
    static func ger(
        _ rows: Int32, _ columns: Int32, _ alpha: Self, _ x: UnsafePointer<Self>?, _ y: UnsafePointer<Self>?,
        _ a: UnsafeMutablePointer<Self>?, _ lda: Int32)
    static func axpy(_ n: Int32, _ alpha: Self, _ x: UnsafePointer<Self>?, _ y: UnsafeMutablePointer<Self>?)
    static func scal(_ n: Int32, _ alpha: Self, _ x: UnsafeMutablePointer<Self>?)
    static func dot(_ n: Int32, _ x: UnsafePointer<Self>?, _ y: UnsafePointer<Self>?) -> Self
    static func nrm2(_ n: Int32, _ x: UnsafePointer<Self>?) -> Self
}

extension BLASScalar {
    /// `source` rounded to this type: the same array (no copy) when the types agree.
    @inlinable
    public static func array<Source: BLASScalar>(converting source: [Source]) -> [Self] {
        if let same = source as? [Self] { return same }
        return source.map { Self($0) }
    }
}

extension BLAS.Transpose {
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

extension Double: BLASScalar {
    public static var precisionName: String { "float64" }
    public static func gemm(
        _ transA: BLAS.Transpose, _ transB: BLAS.Transpose, _ m: Int32, _ n: Int32, _ k: Int32,
        _ alpha: Double, _ a: UnsafePointer<Double>?, _ lda: Int32, _ b: UnsafePointer<Double>?, _ ldb: Int32,
        _ beta: Double, _ c: UnsafeMutablePointer<Double>?, _ ldc: Int32
    ) {
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func gemv(
        _ trans: BLAS.Transpose, _ rows: Int32, _ columns: Int32, _ alpha: Double, _ a: UnsafePointer<Double>?,
        _ lda: Int32, _ x: UnsafePointer<Double>?, _ beta: Double, _ y: UnsafeMutablePointer<Double>?
    ) {
        cblas_dgemv(CblasRowMajor, trans.cblas, rows, columns, alpha, a, lda, x, 1, beta, y, 1)
    }
    public static func ger(
        _ rows: Int32, _ columns: Int32, _ alpha: Double, _ x: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?,
        _ a: UnsafeMutablePointer<Double>?, _ lda: Int32
    ) {
        cblas_dger(CblasRowMajor, rows, columns, alpha, x, 1, y, 1, a, lda)
    }
    public static func axpy(_ n: Int32, _ alpha: Double, _ x: UnsafePointer<Double>?, _ y: UnsafeMutablePointer<Double>?) {
        cblas_daxpy(n, alpha, x, 1, y, 1)
    }
    public static func scal(_ n: Int32, _ alpha: Double, _ x: UnsafeMutablePointer<Double>?) { cblas_dscal(n, alpha, x, 1) }
    public static func dot(_ n: Int32, _ x: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?) -> Double {
        cblas_ddot(n, x, 1, y, 1)
    }
    public static func nrm2(_ n: Int32, _ x: UnsafePointer<Double>?) -> Double { cblas_dnrm2(n, x, 1) }
}

extension Float: BLASScalar {
    public static var precisionName: String { "float32" }
    public static func gemm(
        _ transA: BLAS.Transpose, _ transB: BLAS.Transpose, _ m: Int32, _ n: Int32, _ k: Int32,
        _ alpha: Float, _ a: UnsafePointer<Float>?, _ lda: Int32, _ b: UnsafePointer<Float>?, _ ldb: Int32,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32
    ) {
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func gemv(
        _ trans: BLAS.Transpose, _ rows: Int32, _ columns: Int32, _ alpha: Float, _ a: UnsafePointer<Float>?,
        _ lda: Int32, _ x: UnsafePointer<Float>?, _ beta: Float, _ y: UnsafeMutablePointer<Float>?
    ) {
        cblas_sgemv(CblasRowMajor, trans.cblas, rows, columns, alpha, a, lda, x, 1, beta, y, 1)
    }
    public static func ger(
        _ rows: Int32, _ columns: Int32, _ alpha: Float, _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?,
        _ a: UnsafeMutablePointer<Float>?, _ lda: Int32
    ) {
        cblas_sger(CblasRowMajor, rows, columns, alpha, x, 1, y, 1, a, lda)
    }
    public static func axpy(_ n: Int32, _ alpha: Float, _ x: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>?) {
        cblas_saxpy(n, alpha, x, 1, y, 1)
    }
    public static func scal(_ n: Int32, _ alpha: Float, _ x: UnsafeMutablePointer<Float>?) { cblas_sscal(n, alpha, x, 1) }
    public static func dot(_ n: Int32, _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?) -> Float {
        cblas_sdot(n, x, 1, y, 1)
    }
    public static func nrm2(_ n: Int32, _ x: UnsafePointer<Float>?) -> Float { cblas_snrm2(n, x, 1) }
}
