import GSL

/// Runs one configuration with one seed: (configuration, seed) → metric series. A pure function:
/// the same inputs give bit-identical results on any thread. Randomness comes from named streams of
/// the seed ("dictionary", "train", "test", "ood:<name>", "init", "batches", "fresh"), so adding a
/// shift or changing the batch order leaves the data and the initialisation unchanged.
public enum Simulation {
    /// The run's probe series. Final analyses, which need the network's outputs, start from `train`.
    /// - Parameter progress: called after each probe with the step reached (for progress displays).
    public static func run(
        _ configuration: RunConfiguration, seed: UInt64,
        progress: (Int) -> Void = { _ in }
    ) throws(GSLError) -> RunResult {
        try train(configuration, seed: seed, progress: progress).result
    }

    /// The seed's data, and the run's network trained on it with its probe series; the network is nil
    /// when training did not complete (it diverged), so nothing is evaluated on it.
    public static func train(
        _ configuration: RunConfiguration, seed: UInt64,
        progress: (Int) -> Void = { _ in }
    ) throws(GSLError) -> (experiment: Experiment, model: TrainedModel?, result: RunResult) {
        let experiment = try Experiment(configuration, seed: seed)
        let (model, result) = experiment.trainNetwork(configuration, on: experiment.train, stream: "", progress: progress)
        return (experiment, result.status == .completed ? model : nil, result)
    }
}

/// The training loop and its preallocated buffers.
struct Trainer {
    let configuration: RunConfiguration
    var network: TwoLayerNetwork
    let data: SyntheticData
    let train: Dataset
    let batchSize: Int

    var forward: ForwardWorkspace
    var backward: BackwardWorkspace
    var states: (weights: OptimizerState, hiddenBias: OptimizerState, outputWeights: OptimizerState, outputBias: OptimizerState)
    /// W⊥ = orthogonalScale · W⊥(0) in the feature basis; `orthogonalBuffer` is its momentum multiple.
    var orthogonalScale = 1.0
    var orthogonalBuffer = 0.0

    // Mini-batch and fresh-sample buffers.
    var batchInputs: Matrix
    var batchCoefficients: Matrix
    var batchLabels: [Int]
    var batches: EpochBatches
    var freshStream: RandomGenerator
    /// The gradient computed in the features' span, when that saves work (`FeatureSpanGradient`), with
    /// the training set's coefficients as the rows mini-batches gather.
    var span: FeatureSpanGradient?
    let trainCoefficients: Dataset

    /// `stream` prefixes the names of the trainer's random streams (a partner model uses its own).
    init(
        configuration: RunConfiguration, network: TwoLayerNetwork, data: SyntheticData, train: Dataset, seed: UInt64,
        stream: String = ""
    ) {
        self.configuration = configuration
        self.network = network
        self.data = data
        self.train = train
        let training = configuration.training
        switch (training.batch, training.sampling) {
        case (.full, _): batchSize = train.count
        case let (.samples(b), .fresh): batchSize = b
        case let (.samples(b), .fixed): batchSize = min(b, train.count)
        }
        let m = network.width, p = network.weights.columns
        let capacity = max(batchSize, train.count, data.configuration.testSize)
        let k = network.outputCount
        forward = ForwardWorkspace(capacity: capacity, width: m, outputs: k, activation: configuration.model.activation)
        backward = BackwardWorkspace(capacity: batchSize, width: m, inputDimension: p, outputs: k)
        let optimizer = training.optimizer
        states = (
            OptimizerState(count: m * p, optimizer: optimizer), OptimizerState(count: m, optimizer: optimizer),
            OptimizerState(count: m * k, optimizer: optimizer), OptimizerState(count: k, optimizer: optimizer)
        )
        batchInputs = Matrix(rows: batchSize, columns: p)
        batchCoefficients = Matrix(rows: batchSize, columns: data.configuration.featureCount)
        batchLabels = data.labels(count: batchSize, prior: configuration.data.prior)
        batches = EpochBatches(count: train.count, stream: RandomGenerator(seed: seed, stream: stream + "batches"))
        freshStream = RandomGenerator(seed: seed, stream: stream + "fresh")
        span =
            FeatureSpanGradient.pays(configuration, inFeatureBasis: data.inFeatureBasis, batchSize: batchSize)
            ? FeatureSpanGradient(network: network, dictionary: data.dictionary, capacity: batchSize) : nil
        trainCoefficients = Dataset(coefficients: train.coefficients, inputs: train.coefficients, labels: train.labels)
    }

    /// Trains for the configured steps, probing at 0, every `probeEvery` steps and at the end.
    mutating func train(sets: ProbeSets, progress: (Int) -> Void, representation: Representation) -> RunResult {
        let names = Metric.names(for: configuration.data)
        let steps = configuration.training.steps
        let every = configuration.probeInterval
        var probedSteps: [Int] = [], values: [[Double]] = []
        var initial: [String: Double] = [:]
        let growths = ProbeMetric.all(for: configuration.data).compactMap { probe -> (name: String, base: String)? in
            if case let .growth(base) = probe.value { (probe.name, base) } else { nil }
        }
        var neurons = NeuronTable(columns: [], rows: [])
        var status = RunStatus.completed

        func probe(_ step: Int, _ trainer: inout Trainer) -> Bool {
            var (metrics, table) = measure(
                trainer.network, sets: sets, loss: trainer.configuration.training.loss,
                orthogonalScale: trainer.orthogonalScale, workspace: &trainer.forward)
            if step == 0 { initial = metrics }
            for growth in growths {
                metrics[growth.name] = (metrics[growth.base] ?? .nan) / (initial[growth.base] ?? .nan)
            }
            probedSteps.append(step)
            values.append(names.map { metrics[$0] ?? .nan })
            neurons = table
            progress(step)
            // Divergence shows in the losses (growth ratios are NaN, not divergent, without background features).
            let finite = (metrics[Metric.trainLoss] ?? .nan).isFinite && (metrics[Metric.idLoss] ?? .nan).isFinite
            if !finite { status = .diverged(step: step, lastFiniteLoss: .nan) }
            return finite
        }

        if probe(0, &self) {
            var watch = Divergence.Watch()
            for step in 1...max(steps, 1) where steps > 0 {
                // The batch loss of the parameters after step − 1 updates.
                guard watch.accepts(self.step()) else {
                    status = .diverged(step: step - 1, lastFiniteLoss: watch.lastFiniteLoss)
                    break
                }
                if step % every == 0 || step == steps {
                    if !probe(step, &self) { break }
                }
            }
        }
        return RunResult(
            metricNames: names, steps: probedSteps, values: values, neurons: neurons,
            status: status, representation: representation)
    }

    /// One optimisation step; returns the batch loss before it.
    @discardableResult
    mutating func step() -> Double {
        let training = configuration.training
        let lossFunction = training.loss
        let batchLoss: Double
        if var span {
            // The same batches from the same streams, as coefficients (no noise: filling inputs would draw nothing).
            self.span = nil  // uniquely referenced while it works
            let full: Bool
            switch (training.batch, training.sampling) {
            case (.full, .fixed): full = true
            case (.full, .fresh), (.samples, .fresh):
                data.fillCoefficients(&batchCoefficients, labels: batchLabels, generator: &freshStream)
                full = false
            case (.samples, .fixed):
                batches.next(batchSize, of: trainCoefficients, inputs: &batchCoefficients, labels: &batchLabels)
                full = false
            }
            batchLoss = span.computeGradient(
                of: network, coefficients: full ? train.coefficients : batchCoefficients, labels: full ? train.labels : batchLabels,
                loss: lossFunction, forward: &forward, into: &backward.gradient)
            applyGradient()
            span.refresh(from: network)
            self.span = span
            return batchLoss
        }
        switch (training.batch, training.sampling) {
        case (.full, .fixed):
            batchLoss = network.computeGradient(
                inputs: train.inputs, labels: train.labels, loss: lossFunction,
                forward: &forward, backward: &backward)
        case (.full, .fresh), (.samples, .fresh):
            data.fillCoefficients(&batchCoefficients, labels: batchLabels, generator: &freshStream)
            data.fillInputs(&batchInputs, from: batchCoefficients, generator: &freshStream)
            batchLoss = network.computeGradient(
                inputs: batchInputs, labels: batchLabels, loss: lossFunction,
                forward: &forward, backward: &backward)
        case (.samples, .fixed):
            batches.next(batchSize, of: train, inputs: &batchInputs, labels: &batchLabels)
            batchLoss = network.computeGradient(
                inputs: batchInputs, labels: batchLabels, loss: lossFunction,
                forward: &forward, backward: &backward)
        }
        applyGradient()
        return batchLoss
    }

    mutating func applyGradient() {
        let training = configuration.training
        let optimizer = training.optimizer, model = configuration.model
        let rate = training.schedule.rate(step: states.weights.steps, steps: training.steps, base: optimizer.learningRate)
        let m = network.width, p = network.weights.columns
        if data.inFeatureBasis, let sgd = optimizer.rule as? SGDConfiguration {
            sgd.stepOrthogonalScale(
                coefficient: &orthogonalScale, buffer: &orthogonalBuffer,
                started: states.weights.started, rate: rate)
        }
        optimizer.step(
            &network.weights.storage, gradient: &backward.gradient.weights.storage, state: &states.weights,
            count: m * p, rate: rate)
        if model.hiddenBias {
            optimizer.step(
                &network.hiddenBias, gradient: &backward.gradient.hiddenBias, state: &states.hiddenBias,
                count: m, rate: rate)
        }
        if model.trainOutput {
            let k = network.outputCount
            optimizer.step(
                &network.outputWeights.storage, gradient: &backward.gradient.outputWeights.storage,
                state: &states.outputWeights, count: m * k, rate: rate)
            if model.outputBias {
                optimizer.step(
                    &network.outputBias, gradient: &backward.gradient.outputBias, state: &states.outputBias,
                    count: k, rate: rate)
            }
        }
    }
}
