import CGSL

/// Dense linear algebra through GSL.
public enum Linalg {
    /// `count` orthonormal vectors in R^dimension, as the rows of a `count × dimension` matrix,
    /// drawn from the Haar measure: the Q factor of a QR decomposition of a Gaussian matrix, with
    /// column signs fixed by R's diagonal. Requires 1 ≤ count ≤ dimension.
    public static func randomOrthonormalRows(
        count: Int, dimension: Int, generator: inout RandomGenerator
    ) throws(GSLError) -> Matrix {
        guard count >= 1, count <= dimension else {
            throw GSLError(status: Int32(GSL_EINVAL), operation: "randomOrthonormalRows(count: \(count), dimension: \(dimension))")
        }
        ensureGSLReady()
        // G is dimension × count (column j is a Gaussian vector); G = Q R.
        var gaussian = Matrix(rows: dimension, columns: count)
        for i in 0..<(dimension * count) { gaussian.storage[i] = generator.gaussian() }
        var tau = [Double](repeating: 0, count: count)
        // Q's first `count` columns only (dimension × count, never dimension × dimension): the
        // reflections H_i = I − τ_i v_i v_iᵀ applied to the first columns of the identity, last first,
        // column by column — as gsl_linalg_QR_unpack does for every column (a test checks the bits).
        var q = Matrix(rows: dimension, columns: count)
        for j in 0..<count { q[j, j] = 1 }
        var status: Int32 = Int32(GSL_SUCCESS)
        gaussian.storage.withUnsafeMutableBufferPointer { pg in
            tau.withUnsafeMutableBufferPointer { pt in
                q.storage.withUnsafeMutableBufferPointer { pq in
                    var gView = gsl_matrix_view_array(pg.baseAddress, dimension, count)
                    var tView = gsl_vector_view_array(pt.baseAddress, count)
                    var qView = gsl_matrix_view_array(pq.baseAddress, dimension, count)
                    status = gsl_linalg_QR_decomp(&gView.matrix, &tView.vector)
                    guard status == Int32(GSL_SUCCESS) else { return }
                    for i in (0..<count).reversed() {
                        var h = gsl_matrix_subcolumn(&gView.matrix, i, i, dimension - i)
                        var block = gsl_matrix_submatrix(&qView.matrix, i, i, dimension - i, count - i)
                        status = gsl_linalg_householder_hm(pt[i], &h.vector, &block.matrix)
                        if status != Int32(GSL_SUCCESS) { return }
                    }
                }
            }
        }
        try check(status, "QR decomposition for a random orthonormal basis")
        var rows = Matrix(rows: count, columns: dimension)
        for j in 0..<count {
            // R's diagonal, which QR_decomp leaves on G's.
            let sign: Double = gaussian[j, j] < 0 ? -1 : 1
            for i in 0..<dimension { rows[j, i] = sign * q[i, j] }
        }
        return rows
    }
}

extension Linalg {
    /// The solution x of A x = b for a square A, by LU decomposition with partial pivoting
    /// (`gsl_linalg_LU_decomp`/`_solve`). Throws for a singular A.
    public static func solve(_ a: Matrix, _ b: [Double]) throws(GSLError) -> [Double] {
        let n = a.rows
        guard n == a.columns, b.count == n, n > 0 else {
            throw GSLError(status: Int32(GSL_EBADLEN), operation: "solve: \(a.rows)×\(a.columns) system with \(b.count) right-hand sides")
        }
        ensureGSLReady()
        var lu = a
        var rhs = b
        var x = [Double](repeating: 0, count: n)
        var status: Int32 = Int32(GSL_SUCCESS)
        guard let permutation = gsl_permutation_alloc(n) else {
            throw GSLError(status: Int32(GSL_ENOMEM), operation: "solve: permutation")
        }
        defer { gsl_permutation_free(permutation) }
        lu.storage.withUnsafeMutableBufferPointer { pa in
            rhs.withUnsafeMutableBufferPointer { pb in
                x.withUnsafeMutableBufferPointer { px in
                    var aView = gsl_matrix_view_array(pa.baseAddress, n, n)
                    var bView = gsl_vector_view_array(pb.baseAddress, n)
                    var xView = gsl_vector_view_array(px.baseAddress, n)
                    var sign: Int32 = 0
                    status = gsl_linalg_LU_decomp(&aView.matrix, permutation, &sign)
                    if status == Int32(GSL_SUCCESS) {
                        // A zero pivot means A is singular: refuse instead of returning infinities.
                        for i in 0..<n where gsl_matrix_get(&aView.matrix, i, i) == 0 { status = Int32(GSL_ESING) }
                    }
                    if status == Int32(GSL_SUCCESS) {
                        status = gsl_linalg_LU_solve(&aView.matrix, permutation, &bView.vector, &xView.vector)
                    }
                }
            }
        }
        try check(status, "LU solve of a \(n)×\(n) system")
        return x
    }
}
