/// A set a run's final outputs are computed on, with the one rendering of its name — used in metric
/// names (`ece_id`, `ood_loss_flip`, `ensemble_gla_partner…`), in the run's sample streams and in the
/// CSVs — and of its label in tables and figures. A shift may therefore not be called `id`.
public enum EvaluationSet: Hashable, Sendable {
    /// The held-out ID test set: `id`.
    case id
    /// A background shift's test set, by the shift's name.
    case shift(String)
    /// A prior study's class-balanced labelled set of n samples per class: `labelled5`.
    case labelled(perClass: Int)
    /// A prior study's unlabelled sample, drawn with the training prior: `unlabelled`.
    case unlabelled
    /// A partner model's outputs on one of the run's sets: `partner:id`.
    indirect case partner(of: EvaluationSet)

    /// The name in metrics, streams and CSVs.
    public var name: String {
        switch self {
        case .id: "id"
        case let .shift(name): name
        case let .labelled(count): "labelled\(count)"
        case .unlabelled: "unlabelled"
        case let .partner(set): "partner:\(set.name)"
        }
    }

    /// How tables and figures show the set: "ID", or the name.
    public var label: String { self == .id ? "ID" : name }

    /// The sets every run is evaluated on: the ID test set, then each shift in the scenario's order.
    public static func standard(for data: DataConfiguration) -> [EvaluationSet] { [.id] + data.shifts.map { .shift($0.name) } }

    /// The names of `standard(for:)`.
    public static func names(for data: DataConfiguration) -> [String] { standard(for: data).map(\.name) }

    /// The standard set called `name` (the ID set or a shift).
    public init(standardName name: String) { self = name == EvaluationSet.id.name ? .id : .shift(name) }
}
