import CGSL

/// Unconstrained minimisation of a smooth function with GSL's BFGS (`gsl_multimin_fdfminimizer_vector_bfgs2`).
public enum Minimizer {
    /// The result of a minimisation.
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        public var iterations: Int
        /// Whether the gradient norm fell below the tolerance.
        public var converged: Bool
    }

    /// The objective's value and gradient at a point.
    public typealias Objective = ([Double]) -> (value: Double, gradient: [Double])

    private final class Context {
        let objective: Objective
        init(_ objective: @escaping Objective) { self.objective = objective }

        func evaluate(_ x: UnsafePointer<gsl_vector>?) -> (Double, [Double]) {
            guard let x else { return (.nan, []) }
            let n = x.pointee.size
            let point = (0..<n).map { gsl_vector_get(x, $0) }
            return objective(point)
        }
    }

    /// Minimises `objective` from `start` until ‖∇‖ < `gradientTolerance` or `maxIterations`.
    public static func minimize(
        start: [Double], gradientTolerance: Double = 1e-10, maxIterations: Int = 1000,
        _ objective: @escaping Objective
    ) throws(GSLError) -> Result {
        ensureGSLReady()
        let n = start.count
        guard n > 0, let minimizer = gsl_multimin_fdfminimizer_alloc(cgsl_multimin_bfgs2(), n),
            let x = gsl_vector_alloc(n)
        else {
            throw GSLError(status: Int32(GSL_EINVAL), operation: "BFGS minimiser for \(n) parameters")
        }
        defer {
            gsl_multimin_fdfminimizer_free(minimizer)
            gsl_vector_free(x)
        }
        for i in 0..<n { gsl_vector_set(x, i, start[i]) }
        let context = Context(objective)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var function = gsl_multimin_function_fdf(
            f: { x, params in
                guard let params else { return .nan }
                return Unmanaged<Context>.fromOpaque(params).takeUnretainedValue().evaluate(x).0
            },
            df: { x, params, gradient in
                guard let params, let gradient else { return }
                let (_, g) = Unmanaged<Context>.fromOpaque(params).takeUnretainedValue().evaluate(x)
                for (i, v) in g.enumerated() { gsl_vector_set(gradient, i, v) }
            },
            fdf: { x, params, value, gradient in
                guard let params, let gradient else { return }
                let (f, g) = Unmanaged<Context>.fromOpaque(params).takeUnretainedValue().evaluate(x)
                value?.pointee = f
                for (i, v) in g.enumerated() { gsl_vector_set(gradient, i, v) }
            },
            n: n, params: unmanaged.toOpaque())
        try check(gsl_multimin_fdfminimizer_set(minimizer, &function, x, 0.01, 0.1), "BFGS initialisation")
        var iterations = 0, converged = false
        while iterations < maxIterations {
            iterations += 1
            let status = gsl_multimin_fdfminimizer_iterate(minimizer)
            if gsl_multimin_test_gradient(minimizer.pointee.gradient, gradientTolerance) == Int32(GSL_SUCCESS) {
                converged = true
                break
            }
            // GSL_ENOPROG: no further progress possible (at a minimum to machine precision).
            if status != Int32(GSL_SUCCESS) { break }
        }
        let point = (0..<n).map { gsl_vector_get(minimizer.pointee.x, $0) }
        if !converged, let g = minimizer.pointee.gradient {
            converged = gsl_blas_dnrm2(g) < max(gradientTolerance, 1e-7)
        }
        return Result(point: point, value: minimizer.pointee.f, iterations: iterations, converged: converged)
    }
}
