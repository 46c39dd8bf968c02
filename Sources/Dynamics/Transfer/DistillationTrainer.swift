import GSL

/// Representation distillation: a student's first layer trained to reproduce a teacher's hidden
/// representation on a task's inputs, L = 1/(2n) Σᵢ ‖σ(W xᵢ + b) − σ(W_T xᵢ + b_T)‖², with gradient
/// ∂L/∂W = Dᵀ X and ∂L/∂b = Σᵢ Dᵢ, D = (H − H_T) ⊙ σ'(Z) / n. The head does not take part (a later
/// stage probes the student's features).
enum DistillationTrainer {
    /// The loss on `inputs`, and with `gradient` its gradient (weights m × d, bias m).
    static func loss(
        student: TwoLayerNetwork, teacher: TwoLayerNetwork, inputs: Matrix, gradient: inout (weights: Matrix, bias: [Double])?
    ) -> Double {
        let n = inputs.rows, m = student.width
        let activation = student.configuration.activation
        var z = Matrix(rows: n, columns: m), target = Matrix(rows: n, columns: m)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, student.weights, beta: 0, into: &z)
        BLAS.gemm(.none, .transpose, alpha: 1, inputs, teacher.weights, beta: 0, into: &target)
        var total = 0.0
        var delta = Matrix(rows: n, columns: m)
        for i in 0..<n {
            for r in 0..<m {
                let (h, slope) = activation(z[i, r] + student.hiddenBias[r])
                let difference = h - activation(target[i, r] + teacher.hiddenBias[r]).value
                total += difference * difference
                delta[i, r] = difference * slope / Double(n)
            }
        }
        if gradient != nil {
            var weights = Matrix(rows: m, columns: inputs.columns)
            BLAS.gemm(.transpose, .none, alpha: 1, delta, inputs, beta: 0, into: &weights)
            var bias = [Double](repeating: 0, count: m)
            for i in 0..<n { for r in 0..<m { bias[r] += delta[i, r] } }
            gradient = (weights, bias)
        }
        return total / (2 * Double(n))
    }

    /// Trains the student's first layer (weights and, when on, hidden biases) through the stage.
    static func train(_ student: inout TwoLayerNetwork, teacher: TwoLayerNetwork, stage: TransferStage, on train: Dataset, seed: UInt64) {
        let n = train.count, m = student.width, d = student.weights.columns
        let batchSize = stage.batchSize(of: n)
        let optimizer = stage.optimizer
        var weightState = OptimizerState(count: m * d, optimizer: optimizer), biasState = OptimizerState(count: m, optimizer: optimizer)
        var batches = EpochBatches(count: n, stream: RandomGenerator(seed: seed, stream: "stage:\(stage.name):batches"))
        var inputs = Matrix(rows: batchSize, columns: d), labels = [Int](repeating: 0, count: batchSize)
        for step in 0..<stage.steps {
            batches.next(batchSize, of: train, inputs: &inputs, labels: &labels)
            var gradient: (weights: Matrix, bias: [Double])? = (Matrix(rows: 0, columns: 0), [])
            _ = loss(student: student, teacher: teacher, inputs: inputs, gradient: &gradient)
            guard var (weights, bias) = gradient else { continue }
            let rate = stage.schedule.rate(step: step, steps: stage.steps, base: optimizer.learningRate)
            optimizer.step(&student.weights.storage, gradient: &weights.storage, state: &weightState, count: m * d, rate: rate)
            if student.configuration.hiddenBias {
                optimizer.step(&student.hiddenBias, gradient: &bias, state: &biasState, count: m, rate: rate)
            }
        }
    }
}
