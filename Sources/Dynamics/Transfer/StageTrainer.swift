import GSL

/// Trains a network through one transfer stage: softmax cross-entropy on the task's training set,
/// mini-batches from the stage's own stream, the stage's optimiser and schedule. With `trains` =
/// head, only the head is stepped, so the first layer leaves the stage bit-identical. Each step's
/// batch loss is watched (`Divergence.Watch`): training stops where it explodes.
enum StageTrainer {
    /// Throws where the stage's loss exploded.
    static func train(_ network: inout TwoLayerNetwork, stage: TransferStage, on train: Dataset, seed: UInt64) throws(Divergence.Stop) {
        let n = train.count, m = network.width, d = network.weights.columns, k = network.outputCount
        let batchSize = stage.batchSize(of: n)
        var forward = ForwardWorkspace(capacity: batchSize, width: m, outputs: k, activation: network.configuration.activation)
        var backward = BackwardWorkspace(capacity: batchSize, width: m, inputDimension: d, outputs: k)
        let optimizer = stage.optimizer
        var states = (
            weights: OptimizerState(count: m * d, optimizer: optimizer), hiddenBias: OptimizerState(count: m, optimizer: optimizer),
            outputWeights: OptimizerState(count: m * k, optimizer: optimizer), outputBias: OptimizerState(count: k, optimizer: optimizer)
        )
        var batches = EpochBatches(count: n, stream: RandomGenerator(seed: seed, stream: "stage:\(stage.name):batches"))
        var inputs = Matrix(rows: batchSize, columns: d)
        var labels = [Int](repeating: 0, count: batchSize)
        let model = network.configuration
        var watch = Divergence.Watch()
        for step in 0..<stage.steps {
            let loss: Double
            if case .full = stage.batch {
                loss = network.computeGradient(
                    inputs: train.inputs, labels: train.labels, loss: .crossEntropy, forward: &forward, backward: &backward)
            } else {
                batches.next(batchSize, of: train, inputs: &inputs, labels: &labels)
                loss = network.computeGradient(inputs: inputs, labels: labels, loss: .crossEntropy, forward: &forward, backward: &backward)
            }
            guard watch.accepts(loss) else { throw Divergence.Stop(step: step, lastFiniteLoss: watch.lastFiniteLoss) }
            let rate = stage.schedule.rate(step: step, steps: stage.steps, base: optimizer.learningRate)
            if stage.trains == .all {
                optimizer.step(
                    &network.weights.storage, gradient: &backward.gradient.weights.storage, state: &states.weights, count: m * d, rate: rate)
                if model.hiddenBias {
                    optimizer.step(&network.hiddenBias, gradient: &backward.gradient.hiddenBias, state: &states.hiddenBias, count: m, rate: rate)
                }
            }
            optimizer.step(
                &network.outputWeights.storage, gradient: &backward.gradient.outputWeights.storage, state: &states.outputWeights,
                count: m * k, rate: rate)
            if model.outputBias {
                optimizer.step(&network.outputBias, gradient: &backward.gradient.outputBias, state: &states.outputBias, count: k, rate: rate)
            }
        }
    }
}
