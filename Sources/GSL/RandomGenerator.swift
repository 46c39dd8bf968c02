import CGSL

/// A GSL Mersenne Twister (mt19937) with value semantics: copying a generator forks it, so the copy
/// continues with the same stream independently. Each run owns its generators; never share one
/// between threads (it is deliberately not `Sendable`).
public struct RandomGenerator {
    private final class Storage {
        let pointer: UnsafeMutablePointer<gsl_rng>
        init(pointer: UnsafeMutablePointer<gsl_rng>) { self.pointer = pointer }
        deinit { gsl_rng_free(pointer) }
    }

    private var storage: Storage

    /// The seed actually used by GSL (mt19937 reads the low 32 bits of the seed).
    public let seed: UInt64

    /// A generator seeded with `seed`. Only the low 32 bits reach mt19937; use
    /// `RandomGenerator(seed:stream:)` to derive independent streams from one run seed.
    public init(seed: UInt64) {
        ensureGSLReady()
        // gsl_rng_alloc only fails when out of memory, which Swift treats as fatal anyway.
        guard let pointer = gsl_rng_alloc(cgsl_rng_type_mt19937()) else {
            fatalError("gsl_rng_alloc: out of memory")
        }
        let effective = seed & 0xFFFF_FFFF
        gsl_rng_set(pointer, UInt(effective))
        self.storage = Storage(pointer: pointer)
        self.seed = effective
    }

    /// The named, independent stream of a run seed (e.g. "data", "init", "batches").
    public init(seed: UInt64, stream: String) {
        self.init(seed: SeedMixer.streamSeed(seed, stream: stream))
    }

    private mutating func pointer() -> UnsafeMutablePointer<gsl_rng> {
        if !isKnownUniquelyReferenced(&storage) {
            guard let clone = gsl_rng_clone(storage.pointer) else { fatalError("gsl_rng_clone: out of memory") }
            storage = Storage(pointer: clone)
        }
        return storage.pointer
    }

    /// The next raw 32-bit output of mt19937.
    public mutating func next() -> UInt {
        gsl_rng_get(pointer())
    }

    /// Uniform on [low, high).
    public mutating func uniform(_ low: Double = 0, _ high: Double = 1) -> Double {
        low + (high - low) * gsl_rng_uniform(pointer())
    }

    /// Gaussian with the given mean and standard deviation (GSL's Box–Muller polar method).
    public mutating func gaussian(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        mean + gsl_ran_gaussian(pointer(), standardDeviation)
    }

    /// ±1 with equal probability.
    public mutating func rademacher() -> Double {
        gsl_rng_uniform_int(pointer(), 2) == 0 ? -1 : 1
    }

    /// 1 with probability `p`, otherwise 0.
    public mutating func bernoulli(_ p: Double) -> Double {
        Double(gsl_ran_bernoulli(pointer(), p))
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates through `gsl_ran_shuffle`).
    public mutating func permutation(_ count: Int) -> [Int] {
        var values = Array(0..<count)
        shuffle(&values)
        return values
    }

    /// Shuffles `values` in place, uniformly.
    public mutating func shuffle(_ values: inout [Int]) {
        let generator = pointer()
        let count = values.count
        values.withUnsafeMutableBytes { bytes in
            gsl_ran_shuffle(generator, bytes.baseAddress, count, MemoryLayout<Int>.stride)
        }
    }

    /// Fills `into` with a point drawn uniformly on the unit sphere S^(n-1), n = `into.count`.
    public mutating func unitSphere(into buffer: UnsafeMutableBufferPointer<Double>) {
        let generator = pointer()
        if buffer.count == 1 {
            buffer[0] = rademacher()
            return
        }
        gsl_ran_dir_nd(generator, buffer.count, buffer.baseAddress)
    }
}
