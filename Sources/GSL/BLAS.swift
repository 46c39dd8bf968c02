import CGSL

/// The BLAS calls the engine needs, on matrices and arrays of a `BLASScalar` (`Double` or `Float`),
/// through GSL's CBLAS interface. The CBLAS that answers is chosen at link time (see `BLASInfo`).
public enum BLAS {
    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable {
        case none, transpose
        @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// C ← α·op(A)·op(B) + β·C, using the rows in use of each matrix.
    @inlinable
    public static func gemm<Scalar>(
        _ transA: Transpose, _ transB: Transpose,
        alpha: Scalar, _ a: MatrixOf<Scalar>, _ b: MatrixOf<Scalar>, beta: Scalar, into c: inout MatrixOf<Scalar>
    ) {
        let m = transA == .none ? a.rows : a.columns
        let k = transA == .none ? a.columns : a.rows
        let n = transB == .none ? b.columns : b.rows
        let kb = transB == .none ? b.rows : b.columns
        precondition(
            k == kb && c.rows == m && c.columns == n,
            "gemm: shapes \(m)×\(k) · \(kb)×\(n) → \(c.rows)×\(c.columns)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            scale(&c.storage, by: beta, count: m * n)
            return
        }
        let (lda, ldb, ldc) = (Int32(max(a.columns, 1)), Int32(max(b.columns, 1)), Int32(max(c.columns, 1)))
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.cblas.gemm(
                        CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                        alpha, pa.baseAddress, lda, pb.baseAddress, ldb, beta, pc.baseAddress, ldc)
                }
            }
        }
    }

    /// y ← α·op(A)·x + β·y.
    @inlinable
    public static func gemv<Scalar>(
        _ trans: Transpose, alpha: Scalar, _ a: MatrixOf<Scalar>, _ x: [Scalar], beta: Scalar, into y: inout [Scalar]
    ) {
        let outCount = trans == .none ? a.rows : a.columns
        let inCount = trans == .none ? a.columns : a.rows
        precondition(x.count >= inCount && y.count >= outCount, "gemv: vector too short")
        if outCount == 0 { return }
        if inCount == 0 {
            scale(&y, by: beta, count: outCount)
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Scalar.cblas.gemv(
                        CblasRowMajor, trans.cblas, Int32(a.rows), Int32(a.columns), alpha,
                        pa.baseAddress, Int32(max(a.columns, 1)), px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// A ← α·x·yᵀ + A (rank-one update).
    @inlinable
    public static func ger<Scalar>(alpha: Scalar, _ x: [Scalar], _ y: [Scalar], into a: inout MatrixOf<Scalar>) {
        precondition(x.count >= a.rows && y.count >= a.columns, "ger: vector too short")
        if a.rows == 0 || a.columns == 0 { return }
        let (rows, columns) = (a.rows, a.columns)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                a.storage.withUnsafeMutableBufferPointer { pa in
                    Scalar.cblas.ger(
                        CblasRowMajor, Int32(rows), Int32(columns), alpha, px.baseAddress, 1, py.baseAddress, 1, pa.baseAddress,
                        Int32(columns))
                }
            }
        }
    }

    /// y ← α·x + y over the first `count` elements.
    @inlinable
    public static func axpy<Scalar: BLASScalar>(_ alpha: Scalar, _ x: [Scalar], _ y: inout [Scalar], count: Int? = nil) {
        let n = count ?? min(x.count, y.count)
        precondition(n <= x.count && n <= y.count, "axpy: vector too short")
        if n == 0 { return }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                Scalar.cblas.axpy(Int32(n), alpha, px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// x ← α·x over the first `count` elements.
    @inlinable
    public static func scale<Scalar: BLASScalar>(_ x: inout [Scalar], by alpha: Scalar, count: Int? = nil) {
        let n = count ?? x.count
        precondition(n <= x.count, "scal: vector too short")
        if n == 0 { return }
        x.withUnsafeMutableBufferPointer { px in
            Scalar.cblas.scal(Int32(n), alpha, px.baseAddress, 1)
        }
    }

    /// xᵀy over the first `count` elements.
    @inlinable
    public static func dot<Scalar: BLASScalar>(_ x: [Scalar], _ y: [Scalar], count: Int? = nil) -> Scalar {
        let n = count ?? min(x.count, y.count)
        precondition(n <= x.count && n <= y.count, "dot: vector too short")
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                Scalar.cblas.dot(Int32(n), px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// ‖x‖₂ over the first `count` elements.
    @inlinable
    public static func norm2<Scalar: BLASScalar>(_ x: [Scalar], count: Int? = nil) -> Scalar {
        let n = count ?? x.count
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { px in Scalar.cblas.nrm2(Int32(n), px.baseAddress, 1) }
    }
}
