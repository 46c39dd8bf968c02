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
        var q = Matrix(rows: dimension, columns: dimension)
        var r = Matrix(rows: dimension, columns: count)
        var status: Int32 = Int32(GSL_SUCCESS)
        gaussian.storage.withUnsafeMutableBufferPointer { pg in
            tau.withUnsafeMutableBufferPointer { pt in
                q.storage.withUnsafeMutableBufferPointer { pq in
                    r.storage.withUnsafeMutableBufferPointer { pr in
                        var gView = gsl_matrix_view_array(pg.baseAddress, dimension, count)
                        var tView = gsl_vector_view_array(pt.baseAddress, count)
                        var qView = gsl_matrix_view_array(pq.baseAddress, dimension, dimension)
                        var rView = gsl_matrix_view_array(pr.baseAddress, dimension, count)
                        status = gsl_linalg_QR_decomp(&gView.matrix, &tView.vector)
                        if status == Int32(GSL_SUCCESS) {
                            status = gsl_linalg_QR_unpack(&gView.matrix, &tView.vector, &qView.matrix, &rView.matrix)
                        }
                    }
                }
            }
        }
        try check(status, "QR decomposition for a random orthonormal basis")
        var rows = Matrix(rows: count, columns: dimension)
        for j in 0..<count {
            let sign: Double = r[j, j] < 0 ? -1 : 1
            for i in 0..<dimension { rows[j, i] = sign * q[i, j] }
        }
        return rows
    }
}
