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
func lossAndAccuracy(
    _ network: TwoLayerNetwork, on set: Dataset, loss: Loss,
    workspace: inout ForwardWorkspace
) -> (loss: Double, accuracy: Double) {
    network.forward(set.inputs, workspace: &workspace)
    return meanLossAndAccuracy(outputs: workspace.outputs, labels: set.labels, loss: loss)
}

/// Per neuron (row) and class (column), the mean of `value(i, r)` over that class's samples i (NaN for a
/// class without samples).
func classMeans(samples n: Int, neurons m: Int, labels: [Int], classes: Int, _ value: (Int, Int) -> Double) -> Matrix {
    var means = Matrix(rows: m, columns: classes)
    var counts = [Int](repeating: 0, count: classes)
    for i in 0..<n {
        let y = labels[i]
        counts[y] += 1
        for r in 0..<m { means[r, y] += value(i, r) }
    }
    for r in 0..<m {
        for c in 0..<classes { means[r, c] = counts[c] > 0 ? means[r, c] / Double(counts[c]) : .nan }
    }
    return means
}

/// Per neuron (row) and class (column), the fraction of that class's samples on which h_r > 0
/// (NaN for a class without samples).
func classActivationRates(preActivations h: Matrix, labels: [Int], classes: Int) -> Matrix {
    classMeans(samples: h.rows, neurons: h.columns, labels: labels, classes: classes) { h[$0, $1] > 0 ? 1 : 0 }
}

/// Per neuron (row) and class (column), the mean slope σ'(h_r) over that class's samples (NaN for a
/// class without samples): the factor by which each class's background terms reach w_r's gradient.
/// For ReLU, σ' = 1[h > 0], so these are the class activation rates.
func classSlopeMeans(preActivations h: Matrix, labels: [Int], classes: Int, activation: Activation) -> Matrix {
    let n = h.rows, m = h.columns
    var slopes = [Double](repeating: 0, count: n * m)
    h.storage.withUnsafeBufferPointer { input in
        slopes.withUnsafeMutableBufferPointer { output in
            guard let source = input.baseAddress, let target = output.baseAddress else { return }
            activation.slopes(source, count: n * m, into: target)
        }
    }
    return classMeans(samples: n, neurons: m, labels: labels, classes: classes) { slopes[$0 * m + $1] }
}

/// A neuron's favourite class (highest activation rate) and its rate there and, averaged over the other
/// classes with samples, elsewhere: for two classes, the gap is |P(h > 0 | +) − P(h > 0 | −)|.
func favouriteClass(rates: Matrix, neuron r: Int) -> (favourite: Int, rate: Double, rest: Double) {
    var favourite = -1
    for c in 0..<rates.columns where !rates[r, c].isNaN {
        if favourite < 0 || rates[r, c] > rates[r, favourite] { favourite = c }
    }
    guard favourite >= 0 else { return (0, .nan, .nan) }
    var rest = 0.0, others = 0
    for c in 0..<rates.columns where c != favourite && !rates[r, c].isNaN {
        rest += rates[r, c]
        others += 1
    }
    return (favourite, rates[r, favourite], others > 0 ? rest / Double(others) : .nan)
}

/// One probe: the losses and accuracies on every set and each neuron-mean `ProbeMetric` (the growth
/// ratios, which need step 0, are filled by the caller), plus the per-neuron table.
func measure(
    _ network: TwoLayerNetwork, sets: ProbeSets, loss: Loss, orthogonalScale: Double,
    workspace: inout ForwardWorkspace
) -> (metrics: [String: Double], neurons: NeuronTable) {
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
    let configuration = sets.data.configuration
    let multiclass = configuration.isMulticlass
    let classes = configuration.classes
    let rates = classActivationRates(preActivations: workspace.preActivations, labels: sets.train.labels, classes: classes)
    let slopeMeans = classSlopeMeans(
        preActivations: workspace.preActivations, labels: sets.train.labels, classes: classes, activation: network.configuration.activation)

    let features = FeatureProjections(network: network, sets: sets, orthogonalScale: orthogonalScale)
    let kc = configuration.coreCount, k = configuration.featureCount
    let block = configuration.coreFeaturesPerClass
    let m = network.width
    var rows: [[Double]] = [], views: [NeuronView] = []
    rows.reserveCapacity(m)
    views.reserveCapacity(m)
    for r in 0..<m {
        let row = features.projections.row(r)
        var coreSquares = 0.0, coreSum = 0.0, backgroundSquares = 0.0, backgroundSum = 0.0
        for j in 0..<kc {
            let v = row[j]
            coreSquares += v * v
            coreSum += v
        }
        for j in kc..<k {
            let v = row[j]
            backgroundSquares += v * v
            backgroundSum += v
        }
        let coreMean = kc > 0 ? coreSum / Double(kc) : 0
        let backgroundMean = k > kc ? backgroundSum / Double(k - kc) : 0
        let preferred = favouriteClass(rates: rates, neuron: r)
        var classNorms: [Double] = []
        let alignment: Double
        if multiclass {
            // Alignment: mean projection on the favourite class's block minus on the other core features.
            var favouriteSum = 0.0
            for c in 0..<classes {
                var squares = 0.0
                for j in (c * block)..<((c + 1) * block) {
                    squares += row[j] * row[j]
                    if c == preferred.favourite { favouriteSum += row[j] }
                }
                classNorms.append(squares.squareRoot())
            }
            let favouriteMean = block > 0 ? favouriteSum / Double(block) : 0
            let restMean = kc > block ? (coreSum - favouriteSum) / Double(kc - block) : 0
            alignment = favouriteMean - restMean
            rows.append([
                Double(preferred.favourite), network.outputWeights[r, preferred.favourite],
                coreSquares.squareRoot(), backgroundSquares.squareRoot(), favouriteMean, backgroundMean,
                features.orthogonalNorms[r], preferred.rate, preferred.rest,
            ])
        } else {
            let a = network.outputWeights[r, 0]
            alignment = (a > 0 ? 1 : a < 0 ? -1 : 0) * coreMean
            rows.append([
                a, coreSquares.squareRoot(), backgroundSquares.squareRoot(), coreMean, backgroundMean,
                features.orthogonalNorms[r], rates[r, 1], rates[r, 0],
            ])
        }
        views.append(
            NeuronView(
                projections: row, coreNorm: coreSquares.squareRoot(), backgroundNorm: backgroundSquares.squareRoot(),
                coreMean: coreMean, backgroundMean: backgroundMean, orthogonalNorm: features.orthogonalNorms[r],
                favourite: preferred.favourite, rate: preferred.rate, rest: preferred.rest,
                slopeGap: { $0.rate - $0.rest }(favouriteClass(rates: slopeMeans, neuron: r)),
                alignment: alignment, classNorms: classNorms))
    }
    for probe in ProbeMetric.all(for: configuration) {
        guard case let .neuronMean(quantity) = probe.value else { continue }
        var sum = 0.0
        for view in views { sum += quantity(view) }
        metrics[probe.name] = sum / Double(m)
    }
    return (metrics, NeuronTable(columns: NeuronTable.columns(multiclass: multiclass), rows: rows))
}
