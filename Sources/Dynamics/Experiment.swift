import GSL

/// The data one seed draws for a configuration — the feature dictionary, the training set and the
/// held-out evaluation sets (ID and each shift) — and the training of networks on it. `Simulation.run`
/// trains the run's network; a study draws further sets from its own named streams (`sample`) and
/// trains further networks on the same data (`trainNetwork`), so it changes nothing in the run.
public struct Experiment: Sendable {
    public let configuration: RunConfiguration
    public let seed: UInt64
    let data: SyntheticData
    /// The training set (stream "train").
    public let train: Dataset
    let idTest: Dataset
    let ood: [(shift: BackgroundShift, data: Dataset)]

    public init(_ configuration: RunConfiguration, seed: UInt64) throws(GSLError) {
        let dataConfiguration = configuration.data
        var dictionaryStream = RandomGenerator(seed: seed, stream: "dictionary")
        let dictionary = try SyntheticData.makeDictionary(dataConfiguration, generator: &dictionaryStream)
        let data = SyntheticData(
            configuration: dataConfiguration, dictionary: dictionary,
            inFeatureBasis: configuration.effectiveRepresentation == .featureBasis)
        var trainStream = RandomGenerator(seed: seed, stream: "train")
        let train = data.sample(count: dataConfiguration.trainSize, prior: dataConfiguration.prior, generator: &trainStream)
        var testStream = RandomGenerator(seed: seed, stream: "test")
        idTest = data.sample(count: dataConfiguration.testSize, generator: &testStream)
        ood = dataConfiguration.shifts.map { shift in
            var stream = RandomGenerator(seed: seed, stream: "ood:\(shift.name)")
            let set =
                shift.reuseTrainingCore
                ? data.sample(count: train.count, shift: shift, reusing: train, generator: &stream)
                : data.sample(count: dataConfiguration.testSize, shift: shift, generator: &stream)
            return (shift: shift, data: set)
        }
        self.configuration = configuration
        self.seed = seed
        self.data = data
        self.train = train
    }

    /// The standard evaluation sets with their data: the ID test set, then each shift.
    public var evaluationSets: [(set: EvaluationSet, data: Dataset)] {
        [(.id, idTest)] + ood.map { (.shift($0.shift.name), $0.data) }
    }

    /// `count` fresh samples from the named stream of this seed: class-balanced, or with `prior`.
    public func sample(count: Int, prior: ClassPrior = .uniform, stream: String) -> Dataset {
        var generator = RandomGenerator(seed: seed, stream: stream)
        return data.sample(count: count, prior: prior, generator: &generator)
    }

    /// Initialises a network from the `<stream>init` stream and trains it on `train`, probing against
    /// the held-out sets; returns the final network and the probe series. `stream` prefixes every
    /// stream the training draws from ("" for the run's network, "partner:" for a partner model).
    public func trainNetwork(
        _ configuration: RunConfiguration, on train: Dataset, stream: String,
        progress: (Int) -> Void = { _ in }
    ) -> (model: TrainedModel, result: RunResult) {
        var initStream = RandomGenerator(seed: seed, stream: stream + "init")
        var network = TwoLayerNetwork.initialized(
            configuration.model, inputDimension: configuration.data.dimension,
            outputs: configuration.data.outputCount, generator: &initStream)
        var initialOrthogonalNorms: [Double] = []
        if data.inFeatureBasis {
            // W = P M + W⊥ with P = W Mᵀ; train P, and track W⊥ = α·W⊥(0) exactly.
            let parts = decompose(network.weights, on: data.dictionary)
            initialOrthogonalNorms = parts.orthogonalNorms
            network.weights = parts.projections
        }
        let sets = ProbeSets(
            train: train, idTest: idTest, ood: ood, data: data,
            initialOrthogonalNorms: initialOrthogonalNorms)
        func run<Scalar: EngineScalar>(_: Scalar.Type) -> (model: TrainedModel, result: RunResult) {
            var trainer = Trainer<Scalar>(
                configuration: configuration, network: network, data: data, train: train,
                seed: seed, stream: stream)
            let result = trainer.train(sets: sets, progress: progress, representation: configuration.effectiveRepresentation)
            return (TrainedModel(network: TwoLayerNetwork(converting: trainer.network)), result)
        }
        switch configuration.training.precision {
        case .float64: return run(Double.self)
        case .float32: return run(Float.self)
        }
    }
}

/// A network's final outputs (n × K logits, or n × 1 for a binary output) and the class labels, per set:
/// what the final analyses (calibration, the prior study) read. Not part of a run's result.
public typealias SetOutputs = [EvaluationSet: (logits: Matrix, labels: [Int])]

/// A trained network, for the outputs a study needs.
public struct TrainedModel: Sendable {
    let network: TwoLayerNetwork

    /// The network's outputs (logits, or the one output f) and the labels on each set.
    public func outputs(on sets: [(set: EvaluationSet, data: Dataset)]) -> SetOutputs {
        var outputs: SetOutputs = [:]
        for (name, set) in sets { outputs[name] = (network.outputs(set.inputs), set.labels) }
        return outputs
    }
}
