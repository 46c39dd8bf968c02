import Dynamics
import Studies

extension TransferFindings {
    /// Each stage's ECE (15 equal-width bins, top-label) and NLL on its task and on each further task.
    func calibrationTable(_ cell: CellSummary, _ transfer: TransferConfiguration) -> String {
        let tasks: [String?] = [nil] + transfer.furtherTasks
        var out =
            "Calibration of each stage's final outputs (ECE: 15 equal-width bins, top-label; NLL), on its task and on each further task:\n\n"
        out += "| stage | " + tasks.map { task in "ECE \(task ?? "own task") | NLL \(task ?? "own task")" }.joined(separator: " | ") + " |\n"
        out += "|---|" + tasks.map { _ in "---:|---:|" }.joined() + "\n"
        for stage in transfer.stages where stage.distillFrom == nil {
            out +=
                "| `\(stage.name)` | "
                + tasks.map { task in
                    guard task == nil || stage.alsoOn.contains(task ?? "") else { return "– | –" }
                    return TransferCalibration.Quantity.allCases.map {
                        cell.estimate(TransferMetric.name(stage: stage.name, quantity: TransferCalibration.quantity($0, on: task))).text()
                    }.joined(separator: " | ")
                }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
