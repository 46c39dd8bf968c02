/// An upper estimate of the memory one run allocates — its data sets, the network with its
/// gradient and optimiser state, the forward and backward workspaces, the prior study's sets and
/// partner, a transfer protocol's tasks and networks — so that a run that cannot fit is refused
/// before anything is allocated. Each term is named, so the refusal can say which field to shrink.
public struct MemoryEstimate: Sendable {
    /// (what, field path, bytes), largest first.
    public let terms: [(what: String, field: String, bytes: Double)]

    /// Bytes in all, with a fixed allowance for the process itself.
    public var bytes: Double { terms.reduce(Self.baseline) { $0 + $1.bytes } }
    /// What the runtime, GSL and BLAS take whatever the run.
    public static let baseline = 64.0 * 1_048_576

    public init(_ c: RunConfiguration) {
        let word = 8.0
        var terms: [(String, String, Double)] = []
        let m = Double(c.model.width)
        /// The two-layer network on p inputs with K outputs: weights, gradient, ≤ 2 optimiser states.
        func network(inputs p: Double, outputs k: Double) -> Double { 4 * (m * p + m * k + m + k) * word }
        if let transfer = c.transfer {
            let d = Double(transfer.world.dimension), directions = Double(transfer.world.directionCount)
            let samples = transfer.tasks.reduce(0.0) { $0 + Double($1.trainSize + $1.testSize * max($1.views.count, 1) * 2) }
            terms.append(("the tasks' samples", "transfer.tasks[].train_size", samples * (d + directions) * word))
            let heads = Double(transfer.tasks.map(\.classes).max() ?? 2)
            terms.append(("the stages' networks", "model.width", Double(transfer.stages.count + 1) * network(inputs: d, outputs: heads)))
            let largest = Double(transfer.tasks.map { max($0.trainSize, $0.testSize) }.max() ?? 0)
            terms.append(("the forward workspaces", "model.width", 4 * largest * (m + heads) * word))
            terms.append(("the dictionary", "transfer.world.dimension", 2 * directions * d * word))
        } else {
            let data = c.data
            let d = Double(data.dimension), k = Double(data.featureCount), outputs = Double(data.outputCount)
            let p = c.effectiveRepresentation == .featureBasis ? k : d
            let n = Double(data.trainSize), t = Double(data.testSize), sets = Double(1 + data.shifts.count)
            let batch: Double =
                switch c.training.batch {
                case .full: n
                case let .samples(b): Double(b)
                }
            let capacity = max(batch, n, t)
            // A float32 run also holds its training rows rounded (float64 ones draw and probe).
            let rounded = c.training.precision == .float64 ? 0 : c.training.precision.bytes
            terms.append(("the training set", "data.train_size", n * ((p + k + 1) * word + p * rounded)))
            terms.append(("the test sets", "data.test_size", sets * t * (p + k + 1) * word))
            terms.append(("the feature dictionary", "data.dimension", 2 * k * d * word))
            terms.append(("the network and its optimiser state", "model.width", network(inputs: p, outputs: outputs)))
            // The workspaces grow with the width and with the largest set they hold: name the larger.
            let capacityField = capacity == n ? "data.train_size" : capacity == t ? "data.test_size" : "training.batch"
            terms.append(
                (
                    "the forward and backward workspaces", m >= capacity ? "model.width" : capacityField,
                    (4 * (capacity + batch) * (m + outputs) + batch * (p + k)) * word
                ))
            if let study = c.priorStudy {
                let classes = Double(data.classes)
                let labelled = Double(study.labelledPerClass.reduce(0, +)) * classes
                terms.append(("the labelled sets", "prior_estimation.labelled_per_class", labelled * (p + k + outputs) * word))
                terms.append(("the unlabelled sample", "prior_estimation.unlabelled_size", Double(study.unlabelledSize) * (p + k + outputs) * word))
                if let partner = study.partner {
                    terms.append(
                        ("the partner's training set", "prior_estimation.partner.train_size", Double(partner.trainSize) * (p + k + 1) * word))
                    terms.append(("the partner network", "model.width", network(inputs: p, outputs: outputs)))
                }
            }
        }
        self.terms = terms.sorted { $0.2 > $1.2 }.map { (what: $0.0, field: $0.1, bytes: $0.2) }
    }

    /// "3.2 GiB" style.
    public static func text(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) bytes" : "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
