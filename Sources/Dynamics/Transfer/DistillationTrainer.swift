import GSL

/// Representation distillation: a student's first layer trained to reproduce a teacher's hidden
/// representation on a task's inputs, L = 1/(2n) Σᵢ ‖P(σ(W xᵢ + b) − σ(W_T xᵢ + b_T))‖², P the identity
/// or a fixed k × m linear map, with gradient ∂L/∂W = Dᵀ X and ∂L/∂b = Σᵢ Dᵢ,
/// D = ((H − H_T) PᵀP) ⊙ σ'(Z) / n. The head does not take part (a later stage probes the student's features).
enum DistillationTrainer {
    /// The loss on `inputs` (through `projection`, k × m, when given), and with `gradient` its gradient
    /// (weights m × d, bias m).
    static func loss(
        student: TwoLayerNetwork, teacher: TwoLayerNetwork, inputs: Matrix, projection: Matrix? = nil,
        gradient: inout (weights: Matrix, bias: [Double])?
    ) -> Double {
        let n = inputs.rows, m = student.width
        let activation = student.configuration.activation
        var z = Matrix(rows: n, columns: m), target = Matrix(rows: n, columns: m)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, student.weights, beta: 0, into: &z)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, teacher.weights, beta: 0, into: &target)
        var difference = Matrix(rows: n, columns: m), slopes = Matrix(rows: n, columns: m)
        for i in 0..<n {
            for r in 0..<m {
                let (h, slope) = activation(z[i, r] + student.hiddenBias[r])
                difference[i, r] = h - activation(target[i, r] + teacher.hiddenBias[r]).value
                slopes[i, r] = slope
            }
        }
        // The residual the loss squares, and its pull back onto the hidden units: E = (H − H_T) and E
        // itself, or E Pᵀ and E PᵀP.
        var residual = difference, back = difference
        if let projection {
            residual = Matrix(rows: n, columns: projection.rows)
            BLAS.gemm(.none, .transpose, alpha: 1, difference, projection, beta: 0, into: &residual)
            BLAS.gemm(.none, .none, alpha: 1, residual, projection, beta: 0, into: &back)
        }
        let total = residual.storage.reduce(0) { $0 + $1 * $1 }
        var delta = Matrix(rows: n, columns: m)
        for i in 0..<(n * m) { delta.storage[i] = back.storage[i] * slopes.storage[i] / Double(n) }
        if gradient != nil {
            var weights = Matrix(rows: m, columns: inputs.columns)
            BLAS.gemm(.transpose, .none, alpha: 1, delta, inputs, beta: 0, into: &weights)
            var bias = [Double](repeating: 0, count: m)
            for i in 0..<n { for r in 0..<m { bias[r] += delta[i, r] } }
            gradient = (weights, bias)
        }
        return total / (2 * Double(n))
    }

    /// The stage's fixed linear map of the hidden layer (`distill_projection` k): k × m entries N(0, 1/k)
    /// from the stream "stage:<name>:projection", or nil (the hidden layer itself).
    static func projection(_ stage: TransferStage, width: Int, seed: UInt64) -> Matrix? {
        guard let k = stage.distillProjection else { return nil }
        var stream = RandomGenerator(seed: seed, stream: "stage:\(stage.name):projection")
        var map = Matrix(rows: k, columns: width)
        for i in 0..<(k * width) { map.storage[i] = stream.gaussian(standardDeviation: 1 / Double(k).squareRoot()) }
        return map
    }

    /// Trains the student's first layer (weights and, when on, hidden biases) through the stage;
    /// throws where its loss exploded (`Divergence.Watch`).
    static func train(
        _ student: inout TwoLayerNetwork, teacher: TwoLayerNetwork, stage: TransferStage, on train: Dataset, seed: UInt64
    ) throws(Divergence.Stop) {
        let map = projection(stage, width: student.width, seed: seed)
        let n = train.count, m = student.width, d = student.weights.columns
        let batchSize = stage.batchSize(of: n)
        let optimizer = stage.optimizer
        var weightState = OptimizerState(count: m * d, optimizer: optimizer), biasState = OptimizerState(count: m, optimizer: optimizer)
        var batches = EpochBatches(count: n, stream: RandomGenerator(seed: seed, stream: "stage:\(stage.name):batches"))
        var inputs = Matrix(rows: batchSize, columns: d), labels = [Int](repeating: 0, count: batchSize)
        var watch = Divergence.Watch()
        for step in 0..<stage.steps {
            batches.next(batchSize, of: train, inputs: &inputs, labels: &labels)
            var gradient: (weights: Matrix, bias: [Double])? = (Matrix(rows: 0, columns: 0), [])
            let value = loss(student: student, teacher: teacher, inputs: inputs, projection: map, gradient: &gradient)
            guard watch.accepts(value) else { throw Divergence.Stop(step: step, lastFiniteLoss: watch.lastFiniteLoss) }
            guard var (weights, bias) = gradient else { continue }
            let rate = stage.schedule.rate(step: step, steps: stage.steps, base: optimizer.learningRate)
            optimizer.step(&student.weights.storage, gradient: &weights.storage, state: &weightState, count: m * d, rate: rate)
            if student.configuration.hiddenBias {
                optimizer.step(&student.hiddenBias, gradient: &bias, state: &biasState, count: m, rate: rate)
            }
        }
    }
}
