/// Inputs a calibration routine cannot use, with what is wrong. Never a crash or a NaN result.
public enum CalibrationError: Error, Equatable, CustomStringConvertible, Sendable {
    case empty
    case tooFewClasses(Int)
    case nonFinite(row: Int)
    case labelOutOfRange(row: Int, label: Int, classes: Int)
    case shapeMismatch(String)
    case missingClass(Int)
    case invalidPrior(String)
    case invalidArgument(String)
    case degenerateFit(String)

    public var description: String {
        switch self {
        case .empty: "no samples"
        case let .tooFewClasses(k): "\(k) class\(k == 1 ? "" : "es"); calibration needs at least 2"
        case let .nonFinite(row): "row \(row) has a NaN or infinite logit"
        case let .labelOutOfRange(row, label, classes): "row \(row) has label \(label), outside 0..<\(classes)"
        case let .shapeMismatch(what): "shape mismatch: \(what)"
        case let .missingClass(k): "class \(k) has no samples; this estimate needs every class present"
        case let .invalidPrior(what): "invalid prior: \(what)"
        case let .invalidArgument(what): what
        case let .degenerateFit(what): "degenerate fit: \(what)"
        }
    }
}
