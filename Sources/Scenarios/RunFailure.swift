import GSL

/// Why a planned run has no result: GSL refused it before it trained, or — in results merged with
/// `simulate merge --partial` — it had not finished (never run, pending in a running shard, or
/// failed in its shard), with that reason.
public enum RunFailure: Error, CustomStringConvertible, Sendable, Equatable {
    case gsl(GSLError)
    case missing(reason: String)

    /// GSL's error, or why the run is missing.
    public var reason: String {
        switch self {
        case let .gsl(error): error.description
        case let .missing(reason): reason
        }
    }

    /// "failed: <GSL's error>" or "missing: <reason>": a run's status for people (report, CSV, manifest).
    public var description: String {
        switch self {
        case .gsl: "failed: \(reason)"
        case .missing: "missing: \(reason)"
        }
    }
}
