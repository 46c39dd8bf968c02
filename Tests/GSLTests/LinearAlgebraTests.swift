import GSL
import Numerics
import Testing

func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout RandomGenerator) -> Matrix {
    Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in g.gaussian() })
}

func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows {
        for j in 0..<b.columns {
            var sum = 0.0
            for k in 0..<a.columns { sum += a[i, k] * b[k, j] }
            c[i, j] = sum
        }
    }
    return c
}

func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite("BLAS and linear algebra")
struct LinearAlgebraTests {
    @Test("gemm agrees with a naive triple loop for every transpose combination")
    func gemm() {
        var g = RandomGenerator(seed: 1)
        let a = randomMatrix(7, 5, &g), b = randomMatrix(5, 6, &g)
        let expected = naiveProduct(a, b)
        for (ta, tb) in [(BLAS.Transpose.none, BLAS.Transpose.none), (.transpose, .none), (.none, .transpose), (.transpose, .transpose)] {
            let left = ta == .none ? a : a.transposed, right = tb == .none ? b : b.transposed
            var c = Matrix(rows: 7, columns: 6, repeating: 1)
            BLAS.gemm(ta, tb, alpha: 2, left, right, beta: 0.5, into: &c)
            let reference = expected.storage.map { 2 * $0 + 0.5 }
            #expect(maxDifference(c.storage, reference) < 1e-12)
        }
    }

    @Test("gemm uses only the rows in use of a reused buffer")
    func gemmOnRowSubset() {
        var g = RandomGenerator(seed: 2)
        var a = randomMatrix(6, 4, &g)
        let b = randomMatrix(4, 3, &g)
        a.useRows(2)
        var c = Matrix(rows: 2, columns: 3)
        BLAS.gemm(.none, .none, alpha: 1, a, b, beta: 0, into: &c)
        let full = Matrix(rows: 2, columns: 4, elements: Array(a.storage[0..<8]))
        #expect(maxDifference(c.storage, naiveProduct(full, b).storage) < 1e-12)
    }

    @Test("gemv, ger, axpy, scal, dot and nrm2 agree with loops")
    func levelOneAndTwo() {
        var g = RandomGenerator(seed: 3)
        let a = randomMatrix(4, 3, &g)
        let x = (0..<3).map { _ in g.gaussian() }, z = (0..<4).map { _ in g.gaussian() }
        var y = [Double](repeating: 1, count: 4)
        BLAS.gemv(.none, alpha: 1.5, a, x, beta: -1, into: &y)
        let expectedY = (0..<4).map { i in 1.5 * (0..<3).reduce(0) { $0 + a[i, $1] * x[$1] } - 1 }
        #expect(maxDifference(y, expectedY) < 1e-12)
        var t = [Double](repeating: 0, count: 3)
        BLAS.gemv(.transpose, alpha: 1, a, z, beta: 0, into: &t)
        #expect(maxDifference(t, (0..<3).map { j in (0..<4).reduce(0) { $0 + a[$1, j] * z[$1] } }) < 1e-12)
        var outer = a
        BLAS.ger(alpha: 2, z, x, into: &outer)
        let expectedOuter: [Double] = (0..<12).map { (i: Int) -> Double in
            let product: Double = z[i / 3] * x[i % 3]
            return a.storage[i] + 2 * product
        }
        #expect(maxDifference(outer.storage, expectedOuter) < 1e-12)
        var w = z
        BLAS.axpy(-3, z, &w)
        #expect(maxDifference(w, z.map { -2 * $0 }) < 1e-12)
        BLAS.scale(&w, by: 0.5)
        #expect(maxDifference(w, z.map { -$0 }) < 1e-12)
        #expect(BLAS.dot(z, z).isApproximatelyEqual(to: (z.reduce(0) { $0 + $1 * $1 }), absoluteTolerance: 1e-12))
        #expect(BLAS.norm2(z).isApproximatelyEqual(to: (z.reduce(0) { $0 + $1 * $1 }.squareRoot()), absoluteTolerance: 1e-12))
    }

    @Test("Random orthonormal rows are orthonormal and differ between seeds")
    func orthonormalBasis() throws {
        var g = RandomGenerator(seed: 4)
        let m = try Linalg.randomOrthonormalRows(count: 16, dimension: 40, generator: &g)
        var gram = Matrix(rows: 16, columns: 16)
        BLAS.gemm(.none, .transpose, alpha: 1, m, m, beta: 0, into: &gram)
        for i in 0..<16 {
            for j in 0..<16 { #expect(gram[i, j].isApproximatelyEqual(to: (i == j ? 1 : 0), absoluteTolerance: 1e-12)) }
        }
        var h = RandomGenerator(seed: 5)
        let other = try Linalg.randomOrthonormalRows(count: 16, dimension: 40, generator: &h)
        #expect(other != m)
    }

    @Test("GSL errors become Swift errors instead of aborting")
    func errorsAreThrown() {
        var g = RandomGenerator(seed: 6)
        #expect(throws: GSLError.self) { try Linalg.randomOrthonormalRows(count: 5, dimension: 3, generator: &g) }
    }

    @Test("Student t quantiles and summaries")
    func statistics() {
        #expect(Statistics.studentTQuantile(0.975, degreesOfFreedom: 2).isApproximatelyEqual(to: 4.302652729911275, absoluteTolerance: 1e-9))
        let s = Statistics.summarize([1, 2, 3, 4])
        #expect(s.mean == 2.5)
        #expect(s.standardDeviation.isApproximatelyEqual(to: 1.2909944487358056, absoluteTolerance: 1e-12))
        #expect((s.halfWidth95 ?? 0).isApproximatelyEqual(to: 3.182446305284263 * 1.2909944487358056 / 2, absoluteTolerance: 1e-9))
        #expect(Statistics.summarize([5]).halfWidth95 == nil)
        // Pearson's r: Σdx·dy / √(Σdx²·Σdy²) = 3.5 / √(5 · 4.75) by hand; ±1 on a line; undefined when a side is constant.
        let r = Statistics.correlation([1, 2, 3, 4], [2, 4, 5, 4])
        #expect(r?.isApproximatelyEqual(to: 3.5 / (5 * 4.75).squareRoot(), relativeTolerance: 1e-12) == true)
        #expect(Statistics.correlation([1, 2, 3], [-1, -3, -5])?.isApproximatelyEqual(to: -1, absoluteTolerance: 1e-12) == true)
        #expect(Statistics.correlation([1, 2, 3], [7, 7, 7]) == nil && Statistics.correlation([1, 2], [3, 4]) == nil)
    }

    @Test("The BLAS in use is detected at run time and matches the build's choice; OpenBLAS names its kernel")
    func blasDetection() {
        #expect(BLASInfo.library == BLASInfo.linked)
        #expect(BLASInfo.linked != "OpenBLAS" || (!BLASInfo.kernel.isEmpty && BLASInfo.active == "OpenBLAS (\(BLASInfo.kernel))"))
        #expect(BLASInfo.setThreads(1) == 1)
    }
}

@Suite("Solvers")
struct SolverTests {
    @Test("LU solve agrees with the known solution and refuses a singular system")
    func solve() throws {
        let a = Matrix([[4, 1, 0], [1, 3, 1], [0, 1, 2]])
        let x = try Linalg.solve(a, [1, 2, 3])
        var back = [Double](repeating: 0, count: 3)
        BLAS.gemv(.none, alpha: 1, a, x, beta: 0, into: &back)
        #expect(maxDifference(back, [1, 2, 3]) < 1e-14)
        #expect(throws: GSLError.self) { try Linalg.solve(Matrix([[1, 2], [2, 4]]), [1, 1]) }
    }

    @Test("BFGS minimises a convex quadratic to its known minimum")
    func minimize() throws {
        // f(x, y) = (x − 1)² + 10(y + 2)², minimum 0 at (1, −2).
        let result = try Minimizer.minimize(start: [0, 0]) { p in
            ((p[0] - 1) * (p[0] - 1) + 10 * (p[1] + 2) * (p[1] + 2), [2 * (p[0] - 1), 20 * (p[1] + 2)])
        }
        #expect(
            result.converged && result.point[0].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-8)
                && result.point[1].isApproximatelyEqual(to: -2, absoluteTolerance: 1e-8))
    }
}

@Suite("BLAS in float32")
struct SinglePrecisionBLASTests {
    /// The `s` routines on the same operands rounded to float32 agree with the float64 results within
    /// float32 rounding: k products of unit-size Gaussians accumulate an error of about √k·2⁻²⁴ each;
    /// 1e-5 on k = 5 leaves a margin of ~20×. Exact zero where float64 is too would not show a
    /// float64 routine answering by mistake; this does (it would agree to 1e-15).
    @Test("sgemm, sgemv, saxpy, sdot and snrm2 match the float64 routines within float32 rounding, and are not float64")
    func singlePrecision() {
        var g = RandomGenerator(seed: 2)
        let a = randomMatrix(7, 5, &g), b = randomMatrix(5, 6, &g)
        let a32 = MatrixOf<Float>(converting: a), b32 = MatrixOf<Float>(converting: b)
        for (ta, tb) in [(BLAS.Transpose.none, BLAS.Transpose.none), (.transpose, .none), (.none, .transpose)] {
            let left = ta == .none ? a : a.transposed, right = tb == .none ? b : b.transposed
            let left32 = ta == .none ? a32 : a32.transposed, right32 = tb == .none ? b32 : b32.transposed
            var c = Matrix(rows: 7, columns: 6, repeating: 1), c32 = MatrixOf<Float>(rows: 7, columns: 6, repeating: 1)
            BLAS.gemm(ta, tb, alpha: 2, left, right, beta: 0.5, into: &c)
            BLAS.gemm(ta, tb, alpha: 2, left32, right32, beta: 0.5, into: &c32)
            let difference = maxDifference(c.storage, c32.storage.map(Double.init))
            #expect(difference < 1e-5 && difference > 0, "\(ta), \(tb): \(difference)")
        }
        let x = (0..<5).map { _ in g.gaussian() }, x32 = x.map(Float.init)
        var y = [Double](repeating: 0, count: 7), y32 = [Float](repeating: 0, count: 7)
        BLAS.gemv(.none, alpha: 1, a, x, beta: 0, into: &y)
        BLAS.gemv(.none, alpha: 1, a32, x32, beta: 0, into: &y32)
        #expect(maxDifference(y, y32.map(Double.init)) < 1e-5)
        var z = x, z32 = x32
        BLAS.axpy(0.5, x, &z)
        BLAS.axpy(0.5, x32, &z32)
        #expect(maxDifference(z, z32.map(Double.init)) < 1e-5)
        #expect(abs(BLAS.dot(x, y, count: 5) - Double(BLAS.dot(x32, y32, count: 5))) < 1e-4)
        #expect(abs(BLAS.norm2(x) - Double(BLAS.norm2(x32))) < 1e-5)
    }

    @Test("Rounding a matrix to float32 and back changes it by at most half a float32 ulp; to float64, it is the same storage")
    func conversion() {
        var g = RandomGenerator(seed: 3)
        let a = randomMatrix(4, 3, &g)
        let round = Matrix(converting: MatrixOf<Float>(converting: a))
        for (x, y) in zip(a.storage, round.storage) { #expect(abs(x - y) <= Double(Float(x).ulp) / 2) }
        #expect(Matrix(converting: a) == a)
        var target = MatrixOf<Float>(rows: 6, columns: 3)
        target.copyRows(of: a)
        #expect(target.rows == 4 && target.storage[0..<12].map(Double.init) == round.storage)
    }
}
