import Dynamics
import Scenarios
import Studies

extension ReportSpec {
    /// Figures for a scenario without a `report` block: the contamination picture (background projection
    /// over training, or final growth by swept value when there are many configurations; the neuron
    /// heat-map), one figure per calibration quantity across shifts with the reliability diagrams of the
    /// ID set and the first shift, and the prior estimates' balanced accuracy (against the raw model and
    /// the oracle) and L1 error. A transfer protocol: by stage, ASR and the trigger projection (when a task plants the trigger; the co-occurrence gap when at per-class rates), clean accuracy, the core or background projection, and the accuracy on each further task, by stage and against the accuracy on the stage's own task (the ID–OOD frontier).
    static func defaults(for scenario: Scenario) -> ReportSpec {
        var figures: [FigureSpec] = []
        func add(_ kind: any FigureKind, x: String, y: String) { figures.append(FigureSpec(kind: kind, x: x, y: y)) }
        guard let base = scenario.cells.first?.configuration else { return ReportSpec(figures: []) }
        if let transfer = base.transfer {
            let latent = transfer.world.asrMultiples.max().map { [TransferMetric.asrQuantity(multiple: $0)] } ?? []
            // The trigger's picture (ASR, at the largest multiple of τ too, and the co-occurrence gap) first.
            let triggerMetrics: [TransferMetric] = transfer.plantsCooccurrence ? [.cooccurrenceGap] : []
            let metrics: [TransferMetric] =
                transfer.plantsTrigger
                ? triggerMetrics + [.accuracy, .triggerProjection, .backgroundProjection] : [.accuracy, .coreProjection, .backgroundProjection]
            let lead: [String] = transfer.plantsTrigger ? [TransferMetric.attackSuccessRate.rawValue] + latent : []
            let shown = lead + metrics.map(\.rawValue)
            let further = transfer.furtherTasks.map(TransferMetric.accuracyQuantity)
            for quantity in shown + further { add(StagesFigure(), x: StagesFigure.x, y: quantity) }
            for quantity in further { add(FrontierFigure(), x: TransferMetric.accuracy.rawValue, y: quantity) }
            return ReportSpec(figures: figures)
        }
        let columns = scenario.sweep.filter { !$0.isVariants }.map(\.column)
        if scenario.cells.count > 8, let column = columns.first {
            add(PointsFigure(), x: column, y: Metric.backgroundGrowth)
            add(PointsFigure(), x: column, y: Metric.backgroundProjectionSigned)
        } else {
            add(LineFigure(), x: LineFigure.x, y: Metric.backgroundProjection)
            if let shift = base.data.shifts.first { add(LineFigure(), x: LineFigure.x, y: Metric.oodLoss(shift.name)) }
            add(NeuronsFigure(), x: NeuronsFigure.defaultX, y: NeuronsFigure.defaultY)
        }
        if base.data.shifts.count > 1 {
            let calibration = [CalibrationQuantity.ece, .nll, .temperature, .priorDrift].map {
                FinalMetric.calibration($0, set: FigureSpec.templateSet).name
            }
            for template in [Metric.oodAccuracy(FigureSpec.templateSet.name)] + calibration {
                add(PointsFigure(), x: PointsFigure.setAxis, y: template)
            }
        }
        if base.data.shifts.count > 1 || base.priorStudy != nil {
            add(ReliabilityFigure(), x: EvaluationSet.id.name, y: ReliabilityFigure.y)
            if let shift = base.data.shifts.first { add(ReliabilityFigure(), x: shift.name, y: ReliabilityFigure.y) }
        }
        if base.priorStudy != nil {
            add(EstimatorsFigure(), x: EstimatorsFigure.x, y: EstimatorQuantity.balancedAccuracy.rawValue)
            add(EstimatorsFigure(), x: EstimatorsFigure.x, y: EstimatorQuantity.priorL1.rawValue)
        }
        return ReportSpec(figures: figures)
    }
}
