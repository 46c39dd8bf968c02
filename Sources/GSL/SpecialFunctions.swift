import CGSL

/// Special functions through GSL.
public enum SpecialFunctions {
    /// The error function erf(x) (`gsl_sf_erf`, relative accuracy ~1e-15).
    @inlinable
    public static func erf(_ x: Double) -> Double {
        gsl_sf_erf(x)
    }
}
