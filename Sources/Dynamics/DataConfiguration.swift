import GSL

/// How the core coefficients depend on the label.
public enum CoreRelation: Sendable, Equatable {
    /// z_j = y·|u_j| with u_j drawn from the distribution: every core coordinate carries the label's
    /// sign (the paper's linear, theory-matching set-up with U[0, 1]).
    case sign(Distribution)
    /// z uniform on the sphere of radius `positive` for y = +1 and `negative` for y = −1
    /// (the authors' non-linear variant: no linear classifier separates the classes).
    case radius(positive: Double, negative: Double)
    /// K classes, each owning a block of coreCount/K core features: a sample of class y draws its
    /// block's coefficients from `signal`, and every core coefficient adds N(0, noise²), so classes
    /// overlap when the noise is large against the signal. The network then has K outputs trained
    /// with softmax cross-entropy.
    case classBlocks(signal: Distribution, noise: Double)
}

/// Which orthonormal dictionary the features use.
public enum FeatureBasis: String, Sendable, Equatable, CaseIterable {
    /// Haar-random orthonormal vectors (the paper's code: an SVD/QR of a Gaussian matrix).
    case random
    /// The first coordinate vectors e_1, e_2, ...
    case standard
}

/// A named change of the background distribution used for an out-of-distribution test set.
public struct BackgroundShift: Sendable, Equatable {
    /// What happens to the background coefficients.
    public enum Kind: Sendable, Equatable {
        /// −factor·z with z from the training background (the paper's shift is factor 1: −U[0, 1]).
        case flip(factor: Double)
        /// factor·z.
        case scale(factor: Double)
        /// z + delta.
        case meanShift(delta: Double)
        /// 0: the background is removed.
        case zero
        /// A fresh draw from another distribution.
        case redraw(Distribution)
    }

    /// Used in metric names (`ood_loss_<name>`); lower-case letters, digits and underscores.
    public var name: String
    public var kind: Kind
    /// Re-use the training set's core coefficients and labels (the authors' toy.py OOD set) instead of
    /// drawing a fresh core; the set then has the training set's size.
    public var reuseTrainingCore: Bool

    public init(name: String, kind: Kind, reuseTrainingCore: Bool) {
        self.name = name
        self.kind = kind
        self.reuseTrainingCore = reuseTrainingCore
    }

    /// The shifted value of a background coefficient `z` drawn from the training distribution.
    @inlinable
    public func apply(_ z: Double, _ generator: inout RandomGenerator) -> Double {
        switch kind {
        case let .flip(factor): -factor * z
        case let .scale(factor): factor * z
        case let .meanShift(delta): z + delta
        case .zero: 0
        case let .redraw(distribution): distribution.draw(&generator)
        }
    }
}

/// The synthetic data: an orthonormal dictionary of core and background directions in R^d,
/// x = Σ_core z_j m_j + Σ_background z_j m_j + ξ, with binary labels y ∈ {−1, +1} (class 1 is +1),
/// or K classes with per-class core blocks.
public struct DataConfiguration: Sendable, Equatable {
    /// Ambient input dimension d.
    public var dimension: Int
    public var basis: FeatureBasis
    /// Number of core features (label-dependent).
    public var coreCount: Int
    public var core: CoreRelation
    /// Number of classes K (2 for the binary relations; any K ≥ 2 with class blocks).
    public var classes: Int
    /// The training set's label prior (test sets are class-balanced).
    public var prior: ClassPrior
    /// Number of background features (independent of the label).
    public var backgroundCount: Int
    public var background: Distribution
    /// Standard deviation of isotropic Gaussian noise ξ in R^d (0: none, as in the paper).
    public var noise: Double
    /// Training-set size (in fresh-sample training, the size of the set used for train metrics).
    public var trainSize: Int
    /// Size of the ID test set and of each OOD set that draws a fresh core.
    public var testSize: Int
    public var shifts: [BackgroundShift]

    public init(
        dimension: Int, basis: FeatureBasis, coreCount: Int, core: CoreRelation,
        classes: Int, prior: ClassPrior, backgroundCount: Int, background: Distribution, noise: Double,
        trainSize: Int, testSize: Int, shifts: [BackgroundShift]
    ) {
        self.dimension = dimension
        self.basis = basis
        self.coreCount = coreCount
        self.core = core
        self.classes = classes
        self.prior = prior
        self.backgroundCount = backgroundCount
        self.background = background
        self.noise = noise
        self.trainSize = trainSize
        self.testSize = testSize
        self.shifts = shifts
    }

    /// Number of dictionary features (core + background).
    public var featureCount: Int { coreCount + backgroundCount }

    /// Whether labels are K class indices with K network outputs (class blocks), rather than ±1 with one.
    public var isMulticlass: Bool {
        if case .classBlocks = core { true } else { false }
    }

    /// Network outputs: K logits for multi-class data, one output f for binary data.
    public var outputCount: Int { isMulticlass ? classes : 1 }

    /// Core features per class block (multi-class data).
    public var coreFeaturesPerClass: Int { classes > 0 ? coreCount / classes : 0 }
}
