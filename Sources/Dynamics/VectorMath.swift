import CVectorMath

/// The vector maths under the transcendental activations (Sources/CVectorMath: glibc libmvec's AVX2
/// exp, expm1, log1p and erf where the CPU has AVX2 and FMA, the C library otherwise).
public enum VectorMath {
    /// The kernel in use, e.g. "glibc 2.36 libmvec AVX2": its last bits are part of every run's numbers
    /// with a transcendental activation, so the run cache keys on it and manifests record it, like the BLAS.
    public static let kernel = String(cString: vm_kernel_name())
}
