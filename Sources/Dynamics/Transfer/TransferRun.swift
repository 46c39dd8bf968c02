import GSL

/// One seed of a transfer protocol: draws the shared dictionary and every task's training and test
/// sets from named streams ("dictionary", "task:<name>:train", "task:<name>:test"), runs the stages in
/// order — each from a fresh network ("stage:<name>:init") or an earlier stage's, with a new head
/// ("stage:<name>:head") or the inherited one — and measures each stage's final network on its task
/// (`TransferMetric`). A pure function of (configuration, model, seed). A stage whose loss explodes
/// (`Divergence`) ends the protocol there: the run diverged at that step of the protocol, and that
/// stage and the ones after it have no network (their metrics are NaN).
public enum TransferRun {
    /// Every stage's final network, by stage name, the tasks' data, and how the protocol ended.
    struct Outcome {
        var networks: [String: TwoLayerNetwork]
        var data: TransferData
        var sets: [String: (train: Dataset, test: Dataset)]
        var status = RunStatus.completed
    }

    static func train(_ transfer: TransferConfiguration, model: ModelConfiguration, seed: UInt64) throws(GSLError) -> Outcome {
        let data = TransferData(world: transfer.world, dictionary: try transfer.world.dictionary(seed: seed))
        var sets: [String: (train: Dataset, test: Dataset)] = [:]
        for task in transfer.tasks {
            var trainStream = RandomGenerator(seed: seed, stream: "task:\(task.name):train")
            var testStream = RandomGenerator(seed: seed, stream: "task:\(task.name):test")
            sets[task.name] = (
                data.sample(task, count: task.trainSize, planted: true, generator: &trainStream),
                data.sample(task, count: task.testSize, planted: false, generator: &testStream)
            )
        }
        var networks: [String: TwoLayerNetwork] = [:]
        var stepsBefore = 0
        for stage in transfer.stages {
            defer { stepsBefore += stage.steps }
            guard let task = transfer.task(of: stage), let set = sets[task.name] else { continue }
            var network: TwoLayerNetwork
            switch stage.start {
            case .scratch:
                var stream = RandomGenerator(seed: seed, stream: "stage:\(stage.name):init")
                network = TwoLayerNetwork.initialized(model, inputDimension: transfer.world.dimension, outputs: task.classes, generator: &stream)
            case let .stage(source):
                guard let origin = networks[source] else { continue }
                var stream = RandomGenerator(seed: seed, stream: "stage:\(stage.name):head")
                switch stage.head {
                case .new: network = origin.withNewHead(outputs: task.classes, generator: &stream)
                case .zero: network = origin.withZeroHead(outputs: task.classes)
                case .inherited: network = origin
                }
            case let .interpolation(mix):
                guard let from = networks[mix.from], let to = networks[mix.to] else { continue }
                network = from.interpolated(to, alpha: mix.alpha)
            }
            do throws(Divergence.Stop) {
                if let teacher = stage.distillFrom {
                    guard let teacherNetwork = networks[teacher] else { continue }
                    try DistillationTrainer.train(&network, teacher: teacherNetwork, stage: stage, on: set.train, seed: seed)
                } else if let adapter = stage.adapter {
                    var stream = RandomGenerator(seed: seed, stream: "stage:\(stage.name):adapter")
                    var trainer = AdapterTrainer(base: network, adapter: adapter, generator: &stream)
                    network = try trainer.train(stage: stage, on: set.train, seed: seed)
                } else {
                    try StageTrainer.train(&network, stage: stage, on: set.train, seed: seed)
                }
            } catch {
                let status = RunStatus.diverged(step: stepsBefore + error.step, lastFiniteLoss: error.lastFiniteLoss)
                return Outcome(networks: networks, data: data, sets: sets, status: status)
            }
            networks[stage.name] = network
        }
        return Outcome(networks: networks, data: data, sets: sets)
    }

    /// Each stage's metrics, named `<stage>_<metric>`, in the order of `metricNames`.
    public static func run(
        _ transfer: TransferConfiguration, model: ModelConfiguration, seed: UInt64
    ) throws(GSLError) -> [(name: String, value: Double)] {
        measure(transfer, try train(transfer, model: model, seed: seed))
    }

    static func measure(_ transfer: TransferConfiguration, _ outcome: Outcome) -> [(name: String, value: Double)] {
        transfer.stages.flatMap { stage -> [(name: String, value: Double)] in
            guard let task = transfer.task(of: stage), let network = outcome.networks[stage.name], let set = outcome.sets[task.name] else {
                return TransferMetric.quantities(stage, in: transfer).map { (TransferMetric.name(stage: stage.name, quantity: $0), .nan) }
            }
            // Every quantity by its name, then in the one order `TransferMetric.quantities(_:in:)` declares.
            var measured = Dictionary(
                uniqueKeysWithValues: TransferMetric.measure(network, task: task, set: set, data: outcome.data).map {
                    ($0.key.rawValue, $0.value)
                })
            for multiple in transfer.world.asrMultiples {
                measured[TransferMetric.asrQuantity(multiple: multiple)] = TransferMetric.attackSuccessRate(
                    network, task: task, test: set.test, data: outcome.data, multiple: multiple)
            }
            for name in stage.alsoOn {
                guard let test = outcome.sets[name]?.test else { continue }
                let predicted = TransferMetric.predictions(network, test.inputs)
                measured[TransferMetric.accuracyQuantity(on: name)] = TransferMetric.share(test.labels.indices) { predicted[$0] == test.labels[$0] }
            }
            return TransferMetric.quantities(stage, in: transfer).map { (TransferMetric.name(stage: stage.name, quantity: $0), measured[$0] ?? .nan) }
        }
    }

    /// The run's result: every stage's metrics as one probe at the protocol's last step (the sum of
    /// the stages' steps); no per-neuron table. A protocol stopped by an exploding loss diverged at
    /// that step; one whose weights are no longer finite all the same diverged at the last.
    public static func result(_ transfer: TransferConfiguration, model: ModelConfiguration, seed: UInt64) throws(GSLError) -> RunResult {
        result(transfer, try train(transfer, model: model, seed: seed))
    }

    static func result(_ transfer: TransferConfiguration, _ outcome: Outcome) -> RunResult {
        let metrics = measure(transfer, outcome)
        let finite = outcome.networks.values.allSatisfy { network in
            (network.weights.storage + network.hiddenBias + network.outputWeights.storage + network.outputBias).allSatisfy(\.isFinite)
        }
        let last = transfer.stages.reduce(0) { $0 + $1.steps }
        let status = outcome.status.diverged || finite ? outcome.status : .diverged(step: last, lastFiniteLoss: .nan)
        return RunResult(
            metricNames: metrics.map(\.name), steps: [last], values: [metrics.map(\.value)], neurons: NeuronTable(columns: [], rows: []),
            status: status, representation: .ambient)
    }

    /// A stage's final outputs (K logits per sample) and labels on one task's test set.
    public struct StageOutputs: Sendable {
        public var stage: String
        /// The task the set belongs to, and whether it is the stage's own.
        public var task: String
        public var isOwnTask: Bool
        public var logits: Matrix
        public var labels: [Int]
    }

    /// The run's result, and every stage's outputs on its own task's test set and on each further
    /// task's (not for a distillation stage, whose head never trained): what the calibration reads.
    public static func resultWithOutputs(
        _ transfer: TransferConfiguration, model: ModelConfiguration, seed: UInt64
    ) throws(GSLError) -> (result: RunResult, outputs: [StageOutputs]) {
        let outcome = try train(transfer, model: model, seed: seed)
        var outputs: [StageOutputs] = []
        for stage in transfer.stages where stage.distillFrom == nil {
            guard let network = outcome.networks[stage.name] else { continue }
            for task in [stage.task] + stage.alsoOn {
                guard let test = outcome.sets[task]?.test else { continue }
                outputs.append(
                    StageOutputs(
                        stage: stage.name, task: task, isOwnTask: task == stage.task, logits: network.outputs(test.inputs), labels: test.labels))
            }
        }
        return (result(transfer, outcome), outputs)
    }

    /// The metric names a protocol's runs record, in order.
    public static func metricNames(_ transfer: TransferConfiguration) -> [String] {
        transfer.stages.flatMap { stage in TransferMetric.quantities(stage, in: transfer).map { TransferMetric.name(stage: stage.name, quantity: $0) }
        }
    }
}
