import Dynamics
import Scenarios

/// One figure of a report, declared in the scenario's `report` block (or chosen by default).
public struct FigureSpec: Sendable, Equatable {
    /// The file name under `figures/` (without `.svg`).
    public var name: String
    package var kind: any FigureKind
    public var title: String
    public var x: String
    public var y: String
    /// Sweep column → value: the configurations drawn (all when empty).
    public var filter: [(column: String, value: String)]
    /// A swept column whose values name the series (kinds that `groupsSeries`); nil: the kind's series.
    public var groupBy: String?
    public var logY: Bool

    package init(
        name: String? = nil, kind: any FigureKind, title: String? = nil, x: String, y: String,
        filter: [(column: String, value: String)] = [], groupBy: String? = nil, logY: Bool = false
    ) {
        self.name = name ?? kind.defaultName(x: x, y: y)
        self.kind = kind
        self.title = title ?? kind.defaultTitle(x: x, y: y)
        self.x = x
        self.y = y
        self.filter = filter
        self.groupBy = groupBy
        self.logY = logY
    }

    /// The `kind` in scenario files.
    public var kindName: String { kind.name }

    /// The series a configuration belongs to: its `group_by` value, or the kind's choice.
    public func seriesLabel(_ cell: SweepCell) -> String {
        if let groupBy { return cell.assignments.first { $0.column == groupBy }?.value ?? "–" }
        return kind.series(of: cell, in: self)
    }

    public static func == (lhs: FigureSpec, rhs: FigureSpec) -> Bool {
        lhs.name == rhs.name && lhs.kind.name == rhs.kind.name && lhs.title == rhs.title && lhs.x == rhs.x && lhs.y == rhs.y
            && lhs.logY == rhs.logY && lhs.groupBy == rhs.groupBy && lhs.filter.map(\.column) == rhs.filter.map(\.column)
            && lhs.filter.map(\.value) == rhs.filter.map(\.value)
    }

    /// Whether a configuration is drawn.
    public func selects(_ cell: SweepCell) -> Bool {
        filter.allSatisfy { condition in cell.assignments.contains { $0.column == condition.column && $0.value == condition.value } }
    }

    /// The metric a `{set}` template names for one evaluation set: `ood_accuracy_{set}` reads
    /// `id_accuracy` (and `ood_loss_{set}` `id_loss`) for the ID set.
    public static func metric(_ template: String, set: String) -> String {
        if set == EvaluationSet.id.name, template.hasPrefix("ood_"), template.hasSuffix("_{set}") {
            return "id_" + template.dropFirst(4).dropLast(6)
        }
        return template.replacingOccurrences(of: "{set}", with: set)
    }

    /// The set that names a template's placeholder: a metric of it is the template, e.g. `ece_{set}`.
    static let templateSet = EvaluationSet.shift("{set}")

    /// A metric or template without its `{set}` part, for file names: `ece_{set}` → `ece`.
    static func quantity(_ y: String) -> String {
        y.replacingOccurrences(of: "_{set}", with: "").replacingOccurrences(of: "{set}", with: "")
    }

    /// A metric or template as words, for titles: `ood_accuracy_{set}` → "ood accuracy".
    static func quantityText(_ y: String) -> String {
        y.replacingOccurrences(of: "_{set}", with: "").replacingOccurrences(of: "_", with: " ")
    }
}
