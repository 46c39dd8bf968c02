import Schema
import Studies

/// A prior-estimation quantity against labelled samples per class, one series per estimator; accuracies
/// get the raw model and the true-prior oracle as reference lines.
struct EstimatorsFigure: FigureKind {
    /// The only x: the labelled set's size per class.
    static let x = "labelled_per_class"
    let name = "estimators"
    let summary = "prior estimation against labelled samples"
    let xAxis = Self.x
    let yAxis = "an estimator quantity (default: gain_recovery)"

    func axes(_ figure: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> (x: String, y: String) {
        guard scenario.configurations.contains(where: { $0.priorStudy != nil }) else {
            throw figure.invalid("kind", "\"estimators\" needs a scenario with a \"prior_estimation\" section")
        }
        let x = try figure.choice("x", default: Self.x, from: [Self.x])
        let y = try figure.choice("y", default: EstimatorQuantity.gainRecovery.rawValue, from: EstimatorQuantity.allCases.map(\.rawValue))
        return (x, y)
    }

    func defaultName(x: String, y: String) -> String { "estimators-\(FigureSpec.quantity(y))" }

    func defaultTitle(x: String, y: String) -> String { "\(FigureSpec.quantityText(y)) by labelled samples per class" }

    /// The first drawn configuration's estimates (the title names it when several are selected).
    func draw(_ spec: FigureSpec, from data: FigureData) -> String {
        let sizes = data.scenario.base.priorStudy?.labelledPerClass ?? []
        let selected = data.summaries
        let cell = selected.first
        let quantity = EstimatorQuantity(rawValue: spec.y)
        let series = PriorEstimator.allCases.map { estimator in
            (
                label: estimator.shortName,
                points: sizes.map { n in
                    cell.flatMap { cell in quantity.flatMap { FigureData.interval(cell.estimate(.estimator($0, estimator, labelledPerClass: n))) } }
                }
            )
        }
        let title = spec.title + (selected.count > 1 ? " (\(cell?.label ?? ""))" : "")
        let accuracy = AccuracyKind(rawValue: spec.y)
        let references: [(label: String, value: Double)] =
            accuracy.map { kind in
                [("raw logits", ReferenceModel.plain), ("true prior", .oracle)].map { label, model in
                    (label, cell?.estimate(.reference(kind, model)).mean ?? .nan)
                }
            } ?? []
        return PointPlot(
            title: title, xLabel: "labelled samples per class", yLabel: spec.y, logY: spec.logY,
            categories: sizes.map(String.init), series: series, references: references
        ).svg
    }
}
