import Schema
import Dynamics
import Studies

/// One figure of a report, declared in the scenario's `report` block (or chosen by default).
public struct FigureSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Mean and 95% band of a probe over training steps, one series per configuration.
        case line
        /// Final values with 95% error bars at categorical x: a swept field's values, or the evaluation
        /// sets (`"x": "set"`, with `{set}` in `y`); one series per remaining configuration.
        case points
        /// 2-D histogram of per-neuron values (core vs background projection), one panel per configuration.
        case neurons
        /// A prior-estimation quantity against labelled samples per class, one series per estimator.
        case estimators
        /// The reliability diagram (accuracy against confidence, 15 equal-width top-label bins) on one
        /// evaluation set (`x`: "id" or a shift's name), one series per configuration.
        case reliability
    }

    /// The file name under `figures/` (without `.svg`).
    public var name: String
    public var kind: Kind
    public var title: String
    public var x: String
    public var y: String
    /// Sweep column → value: the configurations drawn (all when empty).
    public var filter: [(column: String, value: String)]
    /// A swept column whose values name the series (`line` and `points`); nil: one series per
    /// configuration (`line`) or per combination of the columns other than x (`points`).
    public var groupBy: String?
    public var logY: Bool

    public init(
        name: String, kind: Kind, title: String, x: String, y: String,
        filter: [(column: String, value: String)] = [], groupBy: String? = nil, logY: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.title = title
        self.x = x
        self.y = y
        self.filter = filter
        self.groupBy = groupBy
        self.logY = logY
    }

    /// The series a configuration belongs to.
    public func seriesLabel(_ cell: SweepCell) -> String {
        if let groupBy { return cell.assignments.first { $0.column == groupBy }?.value ?? "–" }
        let rest = cell.assignments.filter { kind != .points || $0.column != x }
        return rest.isEmpty ? (kind == .points ? y : cell.configuration.model.activation.label) : rest.map(\.value).joined(separator: ", ")
    }

    public static func == (lhs: FigureSpec, rhs: FigureSpec) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.title == rhs.title && lhs.x == rhs.x && lhs.y == rhs.y
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
        if set == EvaluationSet.id, template.hasPrefix("ood_"), template.hasSuffix("_{set}") {
            return "id_" + template.dropFirst(4).dropLast(6)
        }
        return template.replacingOccurrences(of: "{set}", with: set)
    }
}

/// What a report draws.
public struct ReportSpec: Sendable, Equatable {
    public var figures: [FigureSpec]

    public init(figures: [FigureSpec]) {
        self.figures = figures
    }
}

extension ScenarioDecoder {
    static let figureKeys = FigureSpec.fields.map(\.shape.key)

    /// The `report` block, validated against the scenario's metrics, sweep columns and configurations;
    /// without one, the defaults for the scenario's kind.
    static func decodeReport(_ value: JSONValue?, cells: [SweepCell], sweep: [SweepAxis]) throws(ScenarioError) -> ReportSpec {
        guard let value else { return defaultReport(cells: cells, sweep: sweep) }
        let reader = try ObjectReader(value, path: "report", allowed: ["figures"])
        guard case let .array(items)? = reader.value("figures") else {
            throw reader.invalid("figures", "expected a list of figures, e.g. [{\"kind\": \"line\", \"y\": \"background_projection\"}]")
        }
        var figures: [FigureSpec] = []
        for (i, item) in items.enumerated() {
            let figure = try ObjectReader(item, path: "report.figures[\(i)]", allowed: figureKeys)
            let spec = try decodeFigure(figure, cells: cells, sweep: sweep)
            guard !figures.contains(where: { $0.name == spec.name }) else {
                throw figure.invalid("name", "'\(spec.name)' names another figure too; names must be unique (they name the files)")
            }
            figures.append(spec)
        }
        return ReportSpec(figures: figures)
    }

    static func decodeFigure(_ reader: ObjectReader, cells: [SweepCell], sweep: [SweepAxis]) throws(ScenarioError) -> FigureSpec {
        let read = FieldReader(reader)
        let kind = try read(FigureSpec.kindField)
        let columns = sweep.map(\.column)
        let configurations = cells.map(\.configuration)
        let series = Set(configurations.flatMap { c in Metric.names(for: c.data) })
        let finals = series.union(configurations.flatMap { RunStudy.finalMetrics($0).map(\.name) })
        let sets = (configurations.first.map { EvaluationSet.names(for: $0.data) } ?? [EvaluationSet.id])
        let x: String, y: String
        switch kind {
        case .line:
            x = try reader.choice("x", default: "step", from: ["step"])
            y = try reader.string("y")
            guard series.contains(y) else {
                throw reader.invalid("y", "'\(y)' is not a probe recorded over training; " + suggestion(for: y, in: series.sorted()))
            }
        case .points:
            x = try reader.choice("x", default: columns.first ?? "set", from: columns + ["set"])
            y = try reader.string("y")
            if x == "set" {
                guard y.contains("{set}") else {
                    throw reader.invalid("y", "with \"x\": \"set\", y is a template such as \"ece_{set}\" (one metric per evaluation set)")
                }
                guard sets.contains(where: { finals.contains(FigureSpec.metric(y, set: $0)) }) else {
                    throw reader.invalid(
                        "y", "'\(y)' names no metric for the sets \(sets.joined(separator: ", ")); e.g. \"ece_{set}\", \"ood_accuracy_{set}\"")
                }
            } else if !finals.contains(y) {
                throw reader.invalid("y", "'\(y)' is not a metric of this scenario; " + suggestion(for: y, in: finals.sorted()))
            }
        case .neurons:
            let neuronColumns = Array(Set(configurations.flatMap { NeuronTable.columns(multiclass: $0.data.isMulticlass) })).sorted()
            x = try reader.string("x", default: "core_projection")
            y = try reader.string("y", default: "background_projection")
            for (key, column) in [("x", x), ("y", y)] where !neuronColumns.contains(column) {
                throw reader.invalid(key, "'\(column)' is not a column of neurons.csv; " + suggestion(for: column, in: neuronColumns))
            }
        case .reliability:
            x = try reader.choice("x", default: EvaluationSet.id, from: sets)
            y = try reader.choice("y", default: "accuracy", from: ["accuracy"])
        case .estimators:
            guard configurations.contains(where: { $0.priorStudy != nil }) else {
                throw reader.invalid("kind", "\"estimators\" needs a scenario with a \"prior_estimation\" section")
            }
            x = try reader.choice("x", default: "labelled_per_class", from: ["labelled_per_class"])
            y = try reader.choice("y", default: EstimatorQuantity.gainRecovery.rawValue, from: EstimatorQuantity.allCases.map(\.rawValue))
        }
        var filter: [(column: String, value: String)] = []
        if let value = reader.value("filter") {
            guard case let .object(members) = value else { throw reader.invalid("filter", "expected an object {sweep column: value}") }
            for member in members {
                guard columns.contains(member.key) else {
                    throw ScenarioError(
                        .invalid, path: reader.fieldPath("filter") + ".\(member.key)",
                        "not a swept column; " + (columns.isEmpty ? "this scenario sweeps nothing" : suggestion(for: member.key, in: columns)))
                }
                let text: String
                if case let .string(string) = member.value { text = string } else { text = member.value.compactText }
                filter.append((member.key, text))
            }
        }
        var groupBy: String?
        if reader.value("group_by") != nil {
            guard kind == .line || kind == .points else {
                throw reader.invalid(
                    "group_by",
                    "only for \"line\" and \"points\" figures (a \"\(kind.rawValue)\" figure has one series per estimator or configuration, or one panel per configuration)"
                )
            }
            let column = try reader.choice("group_by", default: nil, from: columns.filter { $0 != x })
            groupBy = column
        }
        let spec = FigureSpec(
            name: try read.optional(FigureSpec.nameField) ?? defaultName(kind: kind, x: x, y: y), kind: kind,
            title: try read.optional(FigureSpec.titleField) ?? defaultTitle(kind: kind, x: x, y: y),
            x: x, y: y, filter: filter, groupBy: groupBy, logY: try read(FigureSpec.logYField))
        guard cells.contains(where: spec.selects) else {
            let values = columns.map { column in
                "\(column): " + Array(Set(cells.compactMap { $0.assignments.first { $0.column == column }?.value })).sorted().joined(separator: ", ")
            }
            throw reader.invalid("filter", "selects no configuration (an empty figure); values are " + values.joined(separator: "; "))
        }
        // Each drawn point must be one configuration: with group_by, the other swept columns must be fixed.
        if let groupBy = spec.groupBy {
            let selected = cells.filter(spec.selects)
            var seen = Set<String>()
            for cell in selected {
                let category = spec.kind == .points && spec.x != "set" ? (cell.assignments.first { $0.column == spec.x }?.value ?? "") : ""
                let key = spec.seriesLabel(cell) + "|" + category
                guard seen.insert(key).inserted else {
                    let free = columns.filter { column in column != groupBy && column != spec.x && !spec.filter.contains { $0.column == column } }
                    throw reader.invalid(
                        "group_by",
                        "'\(groupBy)' leaves several configurations per point (they differ in \(free.joined(separator: ", "))); fix those columns with \"filter\""
                    )
                }
            }
        }
        return spec
    }

    static func defaultName(kind: FigureSpec.Kind, x: String, y: String) -> String {
        let base = y.replacingOccurrences(of: "_{set}", with: "").replacingOccurrences(of: "{set}", with: "")
        switch kind {
        case .line: return "steps-\(base)"
        case .points: return "\(x)-\(base)"
        case .neurons: return "neurons"
        case .estimators: return "estimators-\(base)"
        case .reliability: return "reliability-\(x)"
        }
    }

    static func defaultTitle(kind: FigureSpec.Kind, x: String, y: String) -> String {
        let quantity = y.replacingOccurrences(of: "_{set}", with: "").replacingOccurrences(of: "_", with: " ")
        switch kind {
        case .line: return "\(quantity) over training"
        case .points: return x == "set" ? "\(quantity) by evaluation set" : "\(quantity) by \(x)"
        case .neurons: return "Neurons: \(x.replacingOccurrences(of: "_", with: " ")) vs \(y.replacingOccurrences(of: "_", with: " "))"
        case .estimators: return "\(quantity) by labelled samples per class"
        case .reliability: return "Reliability diagram, \(x == EvaluationSet.id ? "ID test set" : "shift \(x)")"
        }
    }

    /// Figures for a scenario without a `report` block: the contamination picture (background projection
    /// over training, or final growth by swept value when there are many configurations; the neuron
    /// heat-map), one figure per calibration quantity across shifts with the reliability diagrams of the
    /// ID set and the first shift, and the prior estimates' balanced accuracy (against the raw model and
    /// the oracle) and L1 error.
    static func defaultReport(cells: [SweepCell], sweep: [SweepAxis]) -> ReportSpec {
        var figures: [FigureSpec] = []
        func add(_ kind: FigureSpec.Kind, x: String, y: String) {
            figures.append(
                FigureSpec(
                    name: defaultName(kind: kind, x: x, y: y), kind: kind,
                    title: defaultTitle(kind: kind, x: x, y: y), x: x, y: y))
        }
        guard let base = cells.first?.configuration else { return ReportSpec(figures: []) }
        let columns = sweep.filter { !$0.isVariants }.map(\.column)
        if cells.count > 8, let column = columns.first {
            add(.points, x: column, y: Metric.backgroundGrowth)
            add(.points, x: column, y: Metric.backgroundProjectionSigned)
        } else {
            add(.line, x: "step", y: Metric.backgroundProjection)
            if let shift = base.data.shifts.first { add(.line, x: "step", y: Metric.oodLoss(shift.name)) }
            add(.neurons, x: "core_projection", y: "background_projection")
        }
        if base.data.shifts.count > 1 {
            let calibration = [CalibrationQuantity.ece, .nll, .temperature, .priorDrift].map { FinalMetric.calibration($0, set: "{set}").name }
            for template in [Metric.oodAccuracy("{set}")] + calibration {
                add(.points, x: "set", y: template)
            }
        }
        if base.data.shifts.count > 1 || base.priorStudy != nil {
            add(.reliability, x: EvaluationSet.id, y: "accuracy")
            if let shift = base.data.shifts.first { add(.reliability, x: shift.name, y: "accuracy") }
        }
        if base.priorStudy != nil {
            add(.estimators, x: "labelled_per_class", y: EstimatorQuantity.balancedAccuracy.rawValue)
            add(.estimators, x: "labelled_per_class", y: EstimatorQuantity.priorL1.rawValue)
        }
        return ReportSpec(figures: figures)
    }
}

extension ScenarioEncoder {
    static func report(_ spec: ReportSpec) -> JSONValue {
        .object([
            (
                "figures",
                .array(
                    spec.figures.map { figure in
                        var members: [(key: String, value: JSONValue)] = [
                            ("name", .string(figure.name)), ("kind", .string(figure.kind.rawValue)), ("title", .string(figure.title)),
                            ("x", .string(figure.x)), ("y", .string(figure.y)),
                        ]
                        if !figure.filter.isEmpty { members.append(("filter", .object(figure.filter.map { ($0.column, .string($0.value)) }))) }
                        if let groupBy = figure.groupBy { members.append(("group_by", .string(groupBy))) }
                        members.append(("log_y", .bool(figure.logY)))
                        return .object(members)
                    })
            )
        ])
    }
}
