import CGSL

/// The BLAS calls the engine needs, on `Matrix` and `[Double]`, through GSL's CBLAS interface.
/// The CBLAS that answers is chosen at link time (see `BLASInfo`).
public enum BLAS {
    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable {
        case none, transpose
        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// C ← α·op(A)·op(B) + β·C, using the rows in use of each matrix.
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose,
        alpha: Double, _ a: Matrix, _ b: Matrix, beta: Double, into c: inout Matrix
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
                    cblas_dgemm(
                        CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                        alpha, pa.baseAddress, lda, pb.baseAddress, ldb, beta, pc.baseAddress, ldc)
                }
            }
        }
    }

    /// y ← α·op(A)·x + β·y.
    public static func gemv(
        _ trans: Transpose, alpha: Double, _ a: Matrix, _ x: [Double], beta: Double, into y: inout [Double]
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
                    cblas_dgemv(
                        CblasRowMajor, trans.cblas, Int32(a.rows), Int32(a.columns), alpha,
                        pa.baseAddress, Int32(max(a.columns, 1)), px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// A ← α·x·yᵀ + A (rank-one update).
    public static func ger(alpha: Double, _ x: [Double], _ y: [Double], into a: inout Matrix) {
        precondition(x.count >= a.rows && y.count >= a.columns, "ger: vector too short")
        if a.rows == 0 || a.columns == 0 { return }
        let (rows, columns) = (a.rows, a.columns)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                a.storage.withUnsafeMutableBufferPointer { pa in
                    cblas_dger(
                        CblasRowMajor, Int32(rows), Int32(columns), alpha, px.baseAddress, 1,
                        py.baseAddress, 1, pa.baseAddress, Int32(columns))
                }
            }
        }
    }

    /// y ← α·x + y over the first `count` elements.
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double], count: Int? = nil) {
        let n = count ?? min(x.count, y.count)
        precondition(n <= x.count && n <= y.count, "axpy: vector too short")
        if n == 0 { return }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_daxpy(Int32(n), alpha, px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// x ← α·x over the first `count` elements.
    public static func scale(_ x: inout [Double], by alpha: Double, count: Int? = nil) {
        let n = count ?? x.count
        precondition(n <= x.count, "scal: vector too short")
        if n == 0 { return }
        x.withUnsafeMutableBufferPointer { px in
            cblas_dscal(Int32(n), alpha, px.baseAddress, 1)
        }
    }

    /// xᵀy over the first `count` elements.
    public static func dot(_ x: [Double], _ y: [Double], count: Int? = nil) -> Double {
        let n = count ?? min(x.count, y.count)
        precondition(n <= x.count && n <= y.count, "dot: vector too short")
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                cblas_ddot(Int32(n), px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// ‖x‖₂ over the first `count` elements.
    public static func norm2(_ x: [Double], count: Int? = nil) -> Double {
        let n = count ?? x.count
        if n == 0 { return 0 }
        return x.withUnsafeBufferPointer { px in cblas_dnrm2(Int32(n), px.baseAddress, 1) }
    }
}
