import CGSL

/// A failure reported by GSL, turned into a Swift error instead of GSL's default `abort()`.
public struct GSLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// GSL's status code (`GSL_EDOM`, `GSL_EINVAL`, ...).
    public let status: Int32
    /// What the wrapper was doing when GSL failed.
    public let operation: String

    public init(status: Int32, operation: String) {
        self.status = status
        self.operation = operation
    }

    /// GSL's text for a status code.
    public static func reason(_ status: Int32) -> String {
        gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
    }

    public var description: String {
        "GSL error in \(operation): \(Self.reason(status)) (status \(status))"
    }
}

/// Switches GSL's abort-on-error handler off, once per process, before any GSL call.
/// A lazily initialised global is initialised exactly once, thread-safely.
private let errorHandlerOff: Void = {
    _ = gsl_set_error_handler_off()
}()

@inline(__always)
func ensureGSLReady() {
    _ = errorHandlerOff
}

/// Throws a `GSLError` for a non-success status.
@inline(__always)
func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(GSLError) {
    if status != Int32(GSL_SUCCESS) {
        throw GSLError(status: status, operation: operation())
    }
}

/// The version of the GSL library linked at run time.
public var gslVersion: String {
    cgsl_version().map { String(cString: $0) } ?? "unknown"
}
