import GSL
import Numerics
import Testing

@Suite("RandomGenerator")
struct RandomGeneratorTests {
    @Test("mt19937 with seed 5489 matches the reference first output (C++ std::mt19937)")
    func referenceOutput() {
        var generator = RandomGenerator(seed: 5489)
        #expect(generator.next() == 3_499_211_612)
    }

    @Test("Same seed and stream give the same draws; other streams differ")
    func reproducibleStreams() {
        var a = RandomGenerator(seed: 7, stream: "data"), b = RandomGenerator(seed: 7, stream: "data")
        var c = RandomGenerator(seed: 7, stream: "init")
        let drawsA = (0..<100).map { _ in a.gaussian() }, drawsB = (0..<100).map { _ in b.gaussian() }
        let drawsC = (0..<100).map { _ in c.gaussian() }
        #expect(drawsA == drawsB)
        #expect(drawsA != drawsC)
    }

    @Test("Copying a generator forks it: both continue with the same stream, independently")
    func valueSemantics() {
        var original = RandomGenerator(seed: 3)
        _ = original.uniform()
        var copy = original
        let fromCopy = (0..<10).map { _ in copy.uniform() }
        let fromOriginal = (0..<10).map { _ in original.uniform() }
        #expect(fromCopy == fromOriginal)
    }

    @Test("Draws have the right support and moments")
    func distributions() {
        var g = RandomGenerator(seed: 11)
        let n = 20_000
        let uniforms = (0..<n).map { _ in g.uniform(-1, 3) }
        #expect(uniforms.allSatisfy { $0 >= -1 && $0 < 3 })
        // Mean of U[-1, 3] is 1, sd 4/√12 ≈ 1.155; 5 standard errors ≈ 0.041.
        #expect((uniforms.reduce(0, +) / Double(n)).isApproximatelyEqual(to: 1, absoluteTolerance: 0.041))
        let signs = (0..<n).map { _ in g.rademacher() }
        #expect(Set(signs) == [-1, 1])
        let bernoulli = (0..<n).map { _ in g.bernoulli(0.2) }
        #expect((bernoulli.reduce(0, +) / Double(n)).isApproximatelyEqual(to: 0.2, absoluteTolerance: 5 * (0.2 * 0.8 / Double(n)).squareRoot()))
        let permutation = g.permutation(50)
        #expect(permutation.sorted() == Array(0..<50) && permutation != Array(0..<50))
        var point = [Double](repeating: 0, count: 7)
        point.withUnsafeMutableBufferPointer { g.unitSphere(into: $0) }
        #expect((point.reduce(0) { $0 + $1 * $1 }).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-12))
    }

    @Test("Only the low 32 bits of a seed reach mt19937, and derived stream seeds differ")
    func seedWidth() {
        var a = RandomGenerator(seed: 1), b = RandomGenerator(seed: 1 + (1 << 32))
        #expect(a.next() == b.next())
        let derived = Set((0..<1000).map { SeedMixer.streamSeed(UInt64($0), stream: "data") & 0xFFFF_FFFF })
        #expect(derived.count == 1000)
    }
}
