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

/// The training loop and its preallocated buffers, in the run's precision (`Scalar`: `Double`, or
/// `Float` for `training.precision` float32). Data are drawn and probes measured in float64.
struct Trainer<Scalar: EngineScalar> {
    let configuration: RunConfiguration
    var network: TwoLayerNetworkOf<Scalar>
    let data: SyntheticData
    let train: Dataset
    let batchSize: Int

    var forward: ForwardWorkspaceOf<Scalar>
    var backward: BackwardWorkspaceOf<Scalar>
    /// The probes' float64 forward pass, over up to the largest evaluation set.
    var probeWorkspace: ForwardWorkspace
    var states:
        (
            weights: OptimizerStateOf<Scalar>, hiddenBias: OptimizerStateOf<Scalar>, outputWeights: OptimizerStateOf<Scalar>,
            outputBias: OptimizerStateOf<Scalar>
        )
    /// W⊥ = orthogonalScale · W⊥(0) in the feature basis; `orthogonalBuffer` is its momentum multiple.
    var orthogonalScale = 1.0
    var orthogonalBuffer = 0.0

    /// The training set as the rows a step computes on, in the training precision: its inputs, or its
    /// coefficients when the gradient is computed in the features' span.
    let trainRows: MatrixOf<Scalar>
    /// A mini-batch or fresh batch of such rows, and its labels.
    var batchRows: MatrixOf<Scalar>
    var batchLabels: [Int]
    /// Fresh samples are drawn in float64 (the same draws in either precision), then rounded.
    var freshCoefficients: Matrix
    var freshInputs: Matrix
    var batches: EpochBatches
    var freshStream: RandomGenerator
    /// The gradient computed in the features' span, when that saves work (`FeatureSpanGradient`).
    var span: FeatureSpanGradient<Scalar>?

    /// `stream` prefixes the names of the trainer's random streams (a partner model uses its own);
    /// `spanAllowed` false keeps the gradient in R^d even where the span would pay (tests compare the two).
    init(
        configuration: RunConfiguration, network: TwoLayerNetwork, data: SyntheticData, train: Dataset, seed: UInt64,
        stream: String = "", spanAllowed: Bool = true
    ) {
        self.configuration = configuration
        self.network = TwoLayerNetworkOf(converting: network)
        self.data = data
        self.train = train
        let training = configuration.training
        switch (training.batch, training.sampling) {
        case (.full, _): batchSize = train.count
        case let (.samples(b), .fresh): batchSize = b
        case let (.samples(b), .fixed): batchSize = min(b, train.count)
        }
        let m = network.width, p = network.weights.columns
        let k = network.outputCount
        forward = ForwardWorkspaceOf(capacity: batchSize, width: m, outputs: k, activation: configuration.model.activation)
        backward = BackwardWorkspaceOf(capacity: batchSize, width: m, inputDimension: p, outputs: k)
        probeWorkspace = ForwardWorkspace(
            capacity: max(train.count, data.configuration.testSize), width: m, outputs: k, activation: configuration.model.activation)
        let optimizer = training.optimizer
        states = (
            OptimizerStateOf(count: m * p, optimizer: optimizer), OptimizerStateOf(count: m, optimizer: optimizer),
            OptimizerStateOf(count: m * k, optimizer: optimizer), OptimizerStateOf(count: k, optimizer: optimizer)
        )
        let inSpan =
            spanAllowed && FeatureSpanGradient<Scalar>.pays(configuration, inFeatureBasis: data.inFeatureBasis, batchSize: batchSize)
        span =
            inSpan
            ? FeatureSpanGradient(network: self.network, dictionary: MatrixOf(converting: data.dictionary), capacity: batchSize) : nil
        trainRows = MatrixOf(converting: inSpan ? train.coefficients : train.inputs)
        batchRows = MatrixOf(rows: batchSize, columns: trainRows.columns)
        batchLabels = data.labels(count: batchSize, prior: configuration.data.prior)
        let fresh = training.sampling == .fresh
        freshCoefficients = Matrix(rows: fresh ? batchSize : 0, columns: data.configuration.featureCount)
        freshInputs = Matrix(rows: fresh && !inSpan ? batchSize : 0, columns: p)
        batches = EpochBatches(count: train.count, stream: RandomGenerator(seed: seed, stream: stream + "batches"))
        freshStream = RandomGenerator(seed: seed, stream: stream + "fresh")
    }

    /// Trains for the configured steps, probing at 0, every `probeEvery` steps and at the end.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
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
                TwoLayerNetwork(converting: trainer.network), sets: sets, loss: trainer.configuration.training.loss,
                orthogonalScale: trainer.orthogonalScale, workspace: &trainer.probeWorkspace)
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
        let full: Bool
        switch (training.batch, training.sampling) {
        case (.full, .fixed):
            full = true
        case (.full, .fresh), (.samples, .fresh):
            // In the span there is no noise: filling inputs would draw nothing, so coefficients suffice.
            data.fillCoefficients(&freshCoefficients, labels: batchLabels, generator: &freshStream)
            if span == nil {
                data.fillInputs(&freshInputs, from: freshCoefficients, generator: &freshStream)
                batchRows.copyRows(of: freshInputs)
            } else {
                batchRows.copyRows(of: freshCoefficients)
            }
            full = false
        case (.samples, .fixed):
            batches.next(batchSize, rows: trainRows, labels: train.labels, into: &batchRows, labels: &batchLabels)
            full = false
        }
        let rows = full ? trainRows : batchRows, labels = full ? train.labels : batchLabels
        let batchLoss: Double
        if var span {
            self.span = nil  // uniquely referenced while it works
            batchLoss = span.computeGradient(
                of: network, coefficients: rows, labels: labels, loss: training.loss, forward: &forward, into: &backward.gradient)
            applyGradient()
            span.refresh(from: network)
            self.span = span
        } else {
            batchLoss = network.computeGradient(
                inputs: rows, labels: labels, loss: training.loss, forward: &forward, backward: &backward)
            applyGradient()
        }
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
