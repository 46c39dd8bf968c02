import GSL

/// The held-out sets and dictionary that probes measure a network against.
struct ProbeSets {
    var train: Dataset
    var idTest: Dataset
    var ood: [(shift: BackgroundShift, data: Dataset)]
    let data: SyntheticData
    /// Per-neuron norms of the initial weights' part orthogonal to the dictionary (feature basis only).
    let initialOrthogonalNorms: [Double]
}

/// Feature projections P = W Mᵀ (m × k) and orthogonal-part norms per neuron.
struct FeatureProjections {
    var projections: Matrix
    var orthogonalNorms: [Double]

    init(network: TwoLayerNetwork, sets: ProbeSets, orthogonalScale: Double) {
        if sets.data.inFeatureBasis {
            projections = network.weights
            orthogonalNorms = sets.initialOrthogonalNorms.map { abs(orthogonalScale) * $0 }
        } else {
            (projections, orthogonalNorms) = decompose(network.weights, on: sets.data.dictionary)
        }
    }
}

/// W = P M + W⊥: the projections P = W Mᵀ of each row of W on the orthonormal dictionary rows M, and
/// the norms of the rows of the remainder W⊥ = W − P M.
func decompose(_ weights: Matrix, on dictionary: Matrix) -> (projections: Matrix, orthogonalNorms: [Double]) {
    var p = Matrix(rows: weights.rows, columns: dictionary.rows)
    BLAS.gemm(.none, .transpose, alpha: 1, weights, dictionary, beta: 0, into: &p)
    var residual = weights
    BLAS.gemm(.none, .none, alpha: -1, p, dictionary, beta: 1, into: &residual)
    return (p, (0..<weights.rows).map { BLAS.norm2(residual.row($0)) })
}

/// Loss and accuracy of a network on a sample set; also fills `workspace` with its pre-activations.
func lossAndAccuracy(_ network: TwoLayerNetwork, on set: Dataset, loss: Loss,
                     workspace: inout ForwardWorkspace) -> (loss: Double, accuracy: Double) {
    network.forward(set.inputs, workspace: &workspace)
    var total = 0.0, correct = 0
    for i in 0..<set.count {
        let f = workspace.outputs[i], y = set.labels[i]
        total += loss.value(f, y)
        if (f > 0 ? 1.0 : -1.0) == y { correct += 1 }
    }
    let n = Double(max(set.count, 1))
    return (total / n, Double(correct) / n)
}

/// Per neuron, the fraction of positive- and negative-class samples on which h_r > 0.
func classActivationRates(preActivations h: Matrix, labels: [Double]) -> (positive: [Double], negative: [Double]) {
    let m = h.columns
    var positive = [Double](repeating: 0, count: m), negative = positive
    var positiveCount = 0, negativeCount = 0
    for i in 0..<h.rows {
        let isPositive = labels[i] > 0
        if isPositive { positiveCount += 1 } else { negativeCount += 1 }
        for r in 0..<m where h[i, r] > 0 {
            if isPositive { positive[r] += 1 } else { negative[r] += 1 }
        }
    }
    let p = Double(max(positiveCount, 1)), q = Double(max(negativeCount, 1))
    return (positive.map { $0 / p }, negative.map { $0 / q })
}

/// One probe: every metric of `Metric.names`, except the growth ratios, which need step 0
/// (filled by the caller), plus the per-neuron table.
func measure(_ network: TwoLayerNetwork, sets: ProbeSets, loss: Loss, orthogonalScale: Double,
             workspace: inout ForwardWorkspace) -> (metrics: [String: Double], neurons: NeuronTable) {
    var metrics: [String: Double] = [:]
    for (shift, data) in sets.ood {
        let (l, a) = lossAndAccuracy(network, on: data, loss: loss, workspace: &workspace)
        metrics[Metric.oodLoss(shift.name)] = l
        metrics[Metric.oodAccuracy(shift.name)] = a
    }
    let id = lossAndAccuracy(network, on: sets.idTest, loss: loss, workspace: &workspace)
    metrics[Metric.idLoss] = id.loss
    metrics[Metric.idAccuracy] = id.accuracy
    // The training set last, so its pre-activations stay in the workspace for the asymmetry probes.
    let train = lossAndAccuracy(network, on: sets.train, loss: loss, workspace: &workspace)
    metrics[Metric.trainLoss] = train.loss
    metrics[Metric.trainAccuracy] = train.accuracy
    let rates = classActivationRates(preActivations: workspace.preActivations, labels: sets.train.labels)

    let features = FeatureProjections(network: network, sets: sets, orthogonalScale: orthogonalScale)
    let kc = sets.data.configuration.coreCount, k = sets.data.configuration.featureCount
    let m = network.width
    var rows: [[Double]] = []
    rows.reserveCapacity(m)
    var sums = (core: 0.0, background: 0.0, signed: 0.0, aligned: 0.0, orthogonal: 0.0)
    var gaps = (sum: 0.0, asymmetric: 0, dead: 0)
    for r in 0..<m {
        var coreSquares = 0.0, coreSum = 0.0, backgroundSquares = 0.0, backgroundSum = 0.0
        for j in 0..<kc {
            let v = features.projections[r, j]
            coreSquares += v * v
            coreSum += v
        }
        for j in kc..<k {
            let v = features.projections[r, j]
            backgroundSquares += v * v
            backgroundSum += v
        }
        let coreMean = kc > 0 ? coreSum / Double(kc) : 0
        let backgroundMean = k > kc ? backgroundSum / Double(k - kc) : 0
        let a = network.outputWeights[r]
        sums.core += coreSquares.squareRoot()
        sums.background += backgroundSquares.squareRoot()
        sums.signed += backgroundMean
        sums.aligned += (a > 0 ? 1 : a < 0 ? -1 : 0) * coreMean
        sums.orthogonal += features.orthogonalNorms[r]
        let gap = abs(rates.positive[r] - rates.negative[r])
        gaps.sum += gap
        if gap >= 0.5 { gaps.asymmetric += 1 }
        if rates.positive[r] == 0 && rates.negative[r] == 0 { gaps.dead += 1 }
        rows.append([a, coreSquares.squareRoot(), backgroundSquares.squareRoot(), coreMean, backgroundMean,
                     features.orthogonalNorms[r], rates.positive[r], rates.negative[r]])
    }
    let width = Double(m)
    metrics[Metric.coreProjection] = sums.core / width
    metrics[Metric.backgroundProjection] = sums.background / width
    metrics[Metric.backgroundProjectionSigned] = sums.signed / width
    metrics[Metric.coreProjectionAligned] = sums.aligned / width
    metrics[Metric.orthogonalNorm] = sums.orthogonal / width
    metrics[Metric.asymmetryMean] = gaps.sum / width
    metrics[Metric.asymmetricFraction] = Double(gaps.asymmetric) / width
    metrics[Metric.deadFraction] = Double(gaps.dead) / width
    return (metrics, NeuronTable(rows: rows))
}
