// swift-tools-version: 6.1
// `simulate`: a theory simulator for feature-learning dynamics, on GSL.
import PackageDescription

let package = Package(
    name: "simulate",
    products: [
        .executable(name: "simulate", targets: ["simulate"]),
        .executable(name: "simulate-bench", targets: ["simulate-bench"]),
    ],
    // The CBLAS behind GSL is chosen at link time (see README, "BLAS"). Exactly one of these traits.
    traits: [
        .trait(name: "OpenBLAS", description: "Link OpenBLAS as the CBLAS (Debian: libopenblas-dev). Fast; the default."),
        .trait(name: "GSLCBLAS", description: "Link GSL's reference CBLAS (slow, no extra package)."),
        .default(enabledTraits: ["OpenBLAS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Tests only: isApproximatelyEqual for tolerance checks.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // MARK: - Implementation details
        // No `pkgConfig: "gsl"`: Debian's gsl.pc puts -lgslcblas first on the link line and would
        // shadow OpenBLAS (research/swift-gsl-engineering.md §1.1).
        .systemLibrary(name: "CGSL", providers: [.apt(["libgsl-dev"])]),
        // σ and σ' of the transcendental activations over arrays, on glibc's vectorised exp, expm1, log1p
        // and erf (libmvec, part of libc6-dev).
        .target(name: "CVectorMath", linkerSettings: [.linkedLibrary("mvec"), .linkedLibrary("m")]),

        // MARK: - Libraries
        .target(
            name: "GSL",
            dependencies: ["CGSL"],
            linkerSettings: [
                .linkedLibrary("openblas", .when(traits: ["OpenBLAS"])),
                .linkedLibrary("gslcblas", .when(traits: ["GSLCBLAS"])),
                .linkedLibrary("dl"),
            ]
        ),
        // The scenario schema's building blocks: JSON, codecs that decode, encode and describe a field.
        .target(name: "Schema"),
        // Optimised in debug builds too: the training path is generic over its precision (`EngineScalar`),
        // and unspecialised generic arithmetic at -Onone made the test suite 2–3× slower.
        .target(
            name: "Dynamics", dependencies: ["GSL", "Schema", "CVectorMath"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Pure functions over logits and labels, shared by the dynamics reports and the GLA estimator.
        .target(name: "Calibration", dependencies: ["GSL"]),
        // What a run is analysed for: calibration on every set, the prior study (typed science, no files).
        .target(name: "Studies", dependencies: ["Dynamics", "Calibration", "GSL"]),
        .target(name: "Scenarios", dependencies: ["Studies", "Dynamics", "Schema", "GSL"]),
        .target(name: "Reports", dependencies: ["Scenarios", "Studies", "Dynamics", "Schema", "GSL"]),

        // MARK: - Command-line tool
        .executableTarget(
            name: "simulate",
            dependencies: [
                "Scenarios", "Reports", "Dynamics", "Schema", "GSL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Benchmark (make bench)
        .executableTarget(name: "simulate-bench", dependencies: ["Dynamics", "GSL", "Scenarios"]),

        // MARK: - Tests
        .testTarget(name: "GSLTests", dependencies: ["GSL", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(
            name: "DynamicsTests", dependencies: ["Dynamics", "GSL", "Schema", "TestSupport", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "GSL", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(
            name: "StudiesTests", dependencies: ["Studies", "Dynamics", "Calibration", "GSL", .product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "TestSupport", dependencies: ["Schema"], path: "Tests/TestSupport"),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "Dynamics", "Schema", "TestSupport"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Scenarios", "Schema", "Studies", "TestSupport", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(name: "SimulateTests", dependencies: ["simulate", "Schema"]),
    ],
    swiftLanguageModes: [.v6]
)
