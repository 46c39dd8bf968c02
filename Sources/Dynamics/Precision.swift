/// The precision a run trains in: the scenario's `training.precision`.
public enum Precision: String, Sendable, Equatable, CaseIterable {
    /// IEEE double precision: the default, and what every committed result uses.
    case float64
    /// IEEE single precision on the training path (see `EngineScalar`).
    case float32

    /// Bytes per element on the training path.
    public var bytes: Double { self == .float64 ? 8 : 4 }
}
