import GSL

/// A labelled sample set: the feature coefficients z, the network's inputs, and the labels.
public struct Dataset: Sendable {
    /// n × k feature coefficients (core first, then background).
    public var coefficients: Matrix
    /// n × p inputs in the run's representation (p = k in the feature basis, d in the ambient space).
    public var inputs: Matrix
    /// Class indices: 0..<K, or for binary data 1 for y = +1 and 0 for y = −1.
    public var labels: [Int]

    public var count: Int { labels.count }
}

/// Draws samples of the data model of a `DataConfiguration` in a given representation.
public struct SyntheticData: Sendable {
    public let configuration: DataConfiguration
    /// k × d matrix whose rows are the orthonormal features m_1..m_k (core first).
    public let dictionary: Matrix
    /// Whether inputs are feature coefficients (exact shortcut) or vectors in R^d.
    public let inFeatureBasis: Bool

    public init(configuration: DataConfiguration, dictionary: Matrix, inFeatureBasis: Bool) {
        self.configuration = configuration
        self.dictionary = dictionary
        self.inFeatureBasis = inFeatureBasis
    }

    /// The dictionary for a configuration: Haar-random orthonormal rows, or the standard basis.
    public static func makeDictionary(
        _ configuration: DataConfiguration,
        generator: inout RandomGenerator
    ) throws(GSLError) -> Matrix {
        let k = configuration.featureCount, d = configuration.dimension
        switch configuration.basis {
        case .random:
            return try Linalg.randomOrthonormalRows(count: k, dimension: d, generator: &generator)
        case .standard:
            var rows = Matrix(rows: k, columns: d)
            for j in 0..<k { rows[j, j] = 1 }
            return rows
        }
    }

    /// Width of an input row.
    public var inputDimension: Int { inFeatureBasis ? configuration.featureCount : configuration.dimension }

    /// Labels of a set of `count` samples with the given prior, grouped by class. Binary data keeps the
    /// authors' order: the first ⌈n/2⌉ are +1 (class 1), the rest −1.
    public func labels(count: Int, prior: ClassPrior = .uniform) -> [Int] {
        guard configuration.isMulticlass else { return (0..<count).map { $0 < (count + 1) / 2 ? 1 : 0 } }
        let counts = prior.counts(total: count, classes: configuration.classes)
        return counts.enumerated().flatMap { Array(repeating: $0.offset, count: $0.element) }
    }

    /// The ±1 label of a binary class index.
    @inlinable
    public static func sign(_ label: Int) -> Double { label == 1 ? 1 : -1 }

    /// Fills the rows in use of `coefficients` for `labels`: core from the label relation (or copied
    /// from `reusedCore`), background from the training distribution, shifted by `shift` if given.
    public func fillCoefficients(
        _ coefficients: inout Matrix, labels: [Int], shift: BackgroundShift? = nil,
        reusedCore: Matrix? = nil, generator: inout RandomGenerator
    ) {
        let kc = configuration.coreCount, kb = configuration.backgroundCount, k = kc + kb
        let background = configuration.background
        let core = configuration.core
        coefficients.storage.withUnsafeMutableBufferPointer { z in
            for i in 0..<coefficients.rows {
                let row = z.baseAddress! + i * k
                let label = labels[i]
                if let reusedCore {
                    for j in 0..<kc { row[j] = reusedCore[i, j] }
                } else {
                    switch core {
                    case let .sign(distribution):
                        let y = Self.sign(label)
                        for j in 0..<kc { row[j] = y * abs(distribution.draw(&generator)) }
                    case let .radius(positive, negative):
                        generator.unitSphere(into: UnsafeMutableBufferPointer(start: row, count: kc))
                        let radius = label == 1 ? positive : negative
                        for j in 0..<kc { row[j] *= radius }
                    case let .classBlocks(signal, noise):
                        for j in 0..<kc { row[j] = noise > 0 ? generator.gaussian(standardDeviation: noise) : 0 }
                        let block = configuration.coreFeaturesPerClass
                        for j in (label * block)..<((label + 1) * block) { row[j] += signal.draw(&generator) }
                    }
                }
                for j in kc..<k {
                    let value = background.draw(&generator)
                    row[j] = shift.map { $0.apply(value, &generator) } ?? value
                }
            }
        }
    }

    /// Maps coefficients to inputs: x = Σ_j z_j m_j + ξ (a GEMM), or z itself in the feature basis.
    /// `inputs` must have the coefficients' row count and `inputDimension` columns.
    public func fillInputs(_ inputs: inout Matrix, from coefficients: Matrix, generator: inout RandomGenerator) {
        if inFeatureBasis {
            inputs.storage.withUnsafeMutableBufferPointer { x in
                coefficients.storage.withUnsafeBufferPointer { z in
                    x.baseAddress!.update(from: z.baseAddress!, count: coefficients.rows * coefficients.columns)
                }
            }
            return
        }
        BLAS.gemm(.none, .none, alpha: 1, coefficients, dictionary, beta: 0, into: &inputs)
        let sigma = configuration.noise
        if sigma > 0 {
            for i in 0..<(inputs.rows * inputs.columns) {
                inputs.storage[i] += generator.gaussian(standardDeviation: sigma)
            }
        }
    }

    /// A new sample set of `count` samples with the given class prior (balanced by default).
    public func sample(
        count: Int, prior: ClassPrior = .uniform, shift: BackgroundShift? = nil,
        reusing training: Dataset? = nil, generator: inout RandomGenerator
    ) -> Dataset {
        let labels = training?.labels ?? self.labels(count: count, prior: prior)
        var coefficients = Matrix(rows: labels.count, columns: configuration.featureCount)
        fillCoefficients(
            &coefficients, labels: labels, shift: shift, reusedCore: training?.coefficients,
            generator: &generator)
        var inputs = Matrix(rows: labels.count, columns: inputDimension)
        fillInputs(&inputs, from: coefficients, generator: &generator)
        return Dataset(coefficients: coefficients, inputs: inputs, labels: labels)
    }
}
