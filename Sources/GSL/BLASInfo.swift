import CGSL

#if OpenBLAS && GSLCBLAS
    #error("Choose one CBLAS trait: OpenBLAS or GSLCBLAS (with both, the first on the link line would silently win).")
#endif

/// Which CBLAS answers GSL's calls in this process, and its thread count. Reports record both,
/// because switching BLAS changes results in the last bits.
public enum BLASInfo {
    /// The CBLAS library that answers GSL's calls, detected at run time: "OpenBLAS", "BLIS",
    /// "GSL CBLAS", or "unknown".
    public static var library: String { String(cString: cgsl_active_cblas()) }

    /// The kernel family OpenBLAS chose for this CPU ("Haswell", "SkylakeX", "Prescott" when it does not
    /// recognise the CPU; `OPENBLAS_CORETYPE` overrides it), or "" for another BLAS — also when OpenBLAS
    /// is loaded but another library answers (BLIS through `LD_PRELOAD` said "BLIS (Haswell)").
    public static var kernel: String { library == "OpenBLAS" ? String(cString: cgsl_blas_kernel()) : "" }

    /// The library with its kernel, e.g. "OpenBLAS (Haswell)": kernels differ in the last bits, so the
    /// run cache keys on this and reports record it.
    public static var active: String { kernel.isEmpty ? library : "\(library) (\(kernel))" }

    /// The CBLAS chosen at build time (package trait).
    public static var linked: String {
        #if OpenBLAS
            return "OpenBLAS"
        #else
            return "GSL CBLAS"
        #endif
    }

    /// Threads the BLAS uses (1 for a single-threaded BLAS).
    public static var threads: Int { Int(cgsl_blas_threads()) }

    /// Asks a threaded BLAS to use `count` threads; returns the count in force. Runs execute in
    /// parallel one per core, so the engine pins BLAS to one thread per run.
    @discardableResult
    public static func setThreads(_ count: Int) -> Int {
        Int(cgsl_blas_set_threads(Int32(count)))
    }
}
