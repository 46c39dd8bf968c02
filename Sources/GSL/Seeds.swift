/// SplitMix64: a fixed, platform-independent mixing function for deriving seeds.
/// (Swift's `Hasher` is randomly seeded per process, so it must never be used for seeds.)
public enum SeedMixer {
    /// One SplitMix64 output for the state `x`.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a of a string's UTF-8 bytes: a stable name → number map for stream labels.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The seed of the named stream of a run with seed `seed`. Streams with different names are
    /// statistically independent; GSL's mt19937 only reads the low 32 bits, so they are well mixed.
    public static func streamSeed(_ seed: UInt64, stream: String) -> UInt64 {
        mix(mix(seed) ^ fnv1a(stream))
    }
}
