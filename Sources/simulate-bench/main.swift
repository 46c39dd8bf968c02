// simulate-bench: training throughput of the engine on the relu2 configuration, against the NumPy
// reference step in Benchmarks/reference_numpy.py (same data sizes, float64, one BLAS thread).
// Run with `make bench` (release build). Not a test: timings vary with the machine's load.
import Dynamics
import Foundation
import GSL
import Scenarios

BLASInfo.setThreads(1)
let arguments = CommandLine.arguments
let full = arguments.contains("--full")

/// The bundled relu2 scenario (Scenarios/relu2.json), at another width, length and representation.
func relu2(width: Int, steps: Int, representation: Representation) throws -> RunConfiguration {
    let overrides = [
        "model.width=\(width)", "training.steps=\(steps)", "training.representation=\(representation.rawValue)",
        "probes.every=\(full ? 500 : steps)",
    ]
    return try ScenarioLocator.load("\(repository)/Scenarios/relu2.json", overrides: overrides).base
}

func stepsPerSecond(_ configuration: RunConfiguration) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try Simulation.run(configuration, seed: 0)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(configuration.training.steps) / seconds
}

/// The repository this benchmark was built from (its scenarios and reference scripts).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

func numpyStepsPerSecond(width: Int) -> Double? {
    let script = "\(repository)/Benchmarks/reference_numpy.py"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, "--width", String(width), "--steps", width > 512 ? "100" : "400"]
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return nil }
    return object["steps_per_second"] as? Double
}

print("BLAS: \(BLASInfo.active), \(BLASInfo.threads) thread; GSL \(gslVersion)\n")
print("| configuration | width | steps | simulate steps/s | NumPy steps/s | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for width in [256, 1024] {
    let numpy = numpyStepsPerSecond(width: width)
    let early = width > 512 ? 300 : 1000
    var rows: [(String, Int, Representation)] = [
        ("relu2, early phase (every sample active), feature basis", early, .featureBasis),
        ("relu2, early phase, ambient R^d (as toy.py)", early / 2, .ambient),
    ]
    if full && width == 256 { rows.append(("relu2, full 20000-step run with probes, feature basis", 20_000, .featureBasis)) }
    for (label, steps, representation) in rows {
        let rate = try stepsPerSecond(try relu2(width: width, steps: steps, representation: representation))
        let reference = numpy.map { String(format: "%.0f", $0) } ?? "n/a"
        let ratio = numpy.map { String(format: "%.1f×", rate / $0) } ?? "n/a"
        print("| \(label) | \(width) | \(steps) | \(String(format: "%.0f", rate)) | \(reference) | \(ratio) |")
    }
}
print("\nNumPy: Benchmarks/reference_numpy.py (the same full-batch hinge/SGD step in R^d, OPENBLAS_NUM_THREADS=1).")
