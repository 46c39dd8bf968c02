import GSL

/// What a transfer stage's final network is measured by, on its task.
public enum TransferMetric: String, Sendable, CaseIterable {
    /// Accuracy on the task's clean test set.
    case accuracy
    /// Accuracy on the task's training set (as planted).
    case trainAccuracy = "train_accuracy"
    /// Attack success rate: the share of clean test samples *not* of the task's attack class that are
    /// classified as that class once τ·t is added.
    case attackSuccessRate = "asr"
    /// The share of test samples whose prediction changes when τ·t is added.
    case flipRate = "flip_rate"
    /// The co-occurrence gap (the research note's BT-2 bias gap), from the clean test set and the same
    /// samples with τ·t added: ½[(accuracy on the other classes without − with the trigger) + (accuracy
    /// on the attack class with − without)]. Positive: the trigger pulls predictions to the attack class.
    case cooccurrenceGap = "cooccurrence_gap"
    /// Mean over neurons of |w_j · t|: how much the first layer reads the trigger.
    case triggerProjection = "trigger_projection"
    /// Mean over neurons of ‖(w_j · u_k)_k‖ over the task's core directions.
    case coreProjection = "core_projection"
    /// Mean over neurons of ‖(w_j · v_m)_m‖ over the background directions.
    case backgroundProjection = "background_projection"

    /// The metric in words, for tables and titles.
    public var label: String {
        switch self {
        case .accuracy: "clean accuracy"
        case .trainAccuracy: "train accuracy"
        case .attackSuccessRate: "attack success rate"
        case .flipRate: "flip rate"
        case .cooccurrenceGap: "co-occurrence gap"
        case .triggerProjection: "trigger projection"
        case .coreProjection: "core projection"
        case .backgroundProjection: "background projection"
        }
    }

    /// The CSV name: `<stage>_<metric>`.
    public func name(stage: String) -> String { Self.name(stage: stage, quantity: rawValue) }

    /// The accuracy of a stage's final network on another task (`also_on`): `<stage>_accuracy_<task>`.
    public static func accuracyName(stage: String, on task: String) -> String { name(stage: stage, quantity: accuracyQuantity(on: task)) }

    /// `<stage>_<quantity>`, the one rule for a stage's metric names.
    public static func name(stage: String, quantity: String) -> String { "\(stage)_\(quantity)" }

    /// `accuracy_<task>`: the quantity of a stage's accuracy on a further task.
    public static func accuracyQuantity(on task: String) -> String { "\(accuracy.rawValue)_\(task)" }

    /// What `asr_x<m>` quantities start with.
    public static let asrMultiplePrefix = "\(attackSuccessRate.rawValue)_x"

    /// `asr_x<m>`: the quantity of a stage's attack success rate with m·τ·t added.
    public static func asrQuantity(multiple: Double) -> String { asrMultiplePrefix + multiple.compact }

    /// The ASR of a stage with m·τ·t added: `<stage>_asr_x<m>`.
    public static func asrName(stage: String, multiple: Double) -> String { name(stage: stage, quantity: asrQuantity(multiple: multiple)) }

    /// Every quantity a protocol's stages record: the metrics, the ASR at each multiple of τ, then the
    /// accuracy on each further task.
    public static func quantities(_ transfer: TransferConfiguration) -> [String] {
        allCases.map(\.rawValue) + transfer.world.asrMultiples.map(asrQuantity) + transfer.furtherTasks.map(accuracyQuantity)
    }

    /// The quantities one stage records, in order: the metrics, the ASR at each multiple, its `also_on` accuracies.
    static func quantities(_ stage: TransferStage, in transfer: TransferConfiguration) -> [String] {
        allCases.map(\.rawValue) + transfer.world.asrMultiples.map(asrQuantity) + stage.alsoOn.map(accuracyQuantity)
    }

    /// The attack success rate with m·τ·t added to the clean test inputs.
    static func attackSuccessRate(
        _ network: TwoLayerNetwork, task: TransferTask, test: Dataset, data: TransferData, multiple: Double
    ) -> Double {
        attackSuccessRate(predictions(network, data.triggered(test.inputs, multiple: multiple)), labels: test.labels, attack: task.attackLabel)
    }

    /// The share of samples not of class `attack` whose triggered prediction is `attack`.
    static func attackSuccessRate(_ triggered: [Int], labels: [Int], attack: Int) -> Double {
        share(labels.indices.filter { labels[$0] != attack }) { triggered[$0] == attack }
    }

    static func measure(
        _ network: TwoLayerNetwork, task: TransferTask, set: (train: Dataset, test: Dataset), data: TransferData
    ) -> [TransferMetric: Double] {
        let clean = predictions(network, set.test.inputs)
        let triggered = predictions(network, data.triggered(set.test.inputs))
        let train = predictions(network, set.train.inputs)
        let labels = set.test.labels
        let others = labels.indices.filter { labels[$0] != task.attackLabel }
        let attacked = labels.indices.filter { labels[$0] == task.attackLabel }
        let correct = { (predicted: [Int], indices: [Int]) in share(indices) { predicted[$0] == labels[$0] } }
        let world = data.world
        let coreBase = world.firstCoreRow(of: task)
        return [
            .accuracy: share(set.test.labels.indices) { clean[$0] == set.test.labels[$0] },
            .trainAccuracy: share(set.train.labels.indices) { train[$0] == set.train.labels[$0] },
            .attackSuccessRate: attackSuccessRate(triggered, labels: labels, attack: task.attackLabel),
            .flipRate: share(set.test.labels.indices) { triggered[$0] != clean[$0] },
            .cooccurrenceGap: 0.5 * (correct(clean, others) - correct(triggered, others) + correct(triggered, attacked) - correct(clean, attacked)),
            .triggerProjection: meanProjection(network, rows: [world.triggerRow], data: data, norm: false),
            .coreProjection: meanProjection(network, rows: Array(coreBase..<(coreBase + task.directionsUsed)), data: data, norm: true),
            .backgroundProjection: meanProjection(
                network, rows: Array(world.backgroundOffset..<(world.backgroundOffset + world.backgroundCount)), data: data, norm: true),
        ]
    }

    /// The predicted class (argmax of the logits) of each row.
    static func predictions(_ network: TwoLayerNetwork, _ inputs: Matrix) -> [Int] {
        let logits = network.outputs(inputs), k = network.outputCount
        return (0..<inputs.rows).map { i in
            var best = 0
            for c in 1..<k where logits.storage[i * k + c] > logits.storage[i * k + best] { best = c }
            return best
        }
    }

    static func share(_ indices: some Collection<Int>, _ counts: (Int) -> Bool) -> Double {
        indices.isEmpty ? .nan : Double(indices.filter(counts).count) / Double(indices.count)
    }

    /// Mean over neurons of |w_j · r| for one row r, or of ‖(w_j · r)_r‖ over several (`norm`).
    static func meanProjection(_ network: TwoLayerNetwork, rows: [Int], data: TransferData, norm: Bool) -> Double {
        guard !rows.isEmpty else { return .nan }
        let m = network.width, d = network.weights.columns
        var total = 0.0
        for j in 0..<m {
            var squares = 0.0, absolute = 0.0
            for r in rows {
                var dot = 0.0
                for i in 0..<d { dot += network.weights.storage[j * d + i] * data.dictionary.storage[r * d + i] }
                squares += dot * dot
                absolute += abs(dot)
            }
            total += norm ? squares.squareRoot() : absolute
        }
        return total / Double(m)
    }
}
