// simulate-bench: training throughput of the engine on the relu2 configuration, against the NumPy
// reference step in Benchmarks/reference_numpy.py (same data sizes, float64, one BLAS thread).
// Run with `make bench` (release build). Not a test: timings vary with the machine's load.
import Dynamics
import Foundation
import GSL

BLASInfo.setThreads(1)
let arguments = CommandLine.arguments
let full = arguments.contains("--full")

func relu2(width: Int, steps: Int, representation: Representation) -> RunConfiguration {
    RunConfiguration(
        data: DataConfiguration(
            dimension: 256, coreCount: 32, core: .sign(.uniform(low: 0, high: 1)),
            backgroundCount: 32, background: .uniform(low: 0, high: 1), trainSize: 1000,
            testSize: 1000, shifts: [BackgroundShift(name: "flip", kind: .flip(factor: 1))]),
        model: ModelConfiguration(width: width, activation: .relu),
        training: TrainingConfiguration(
            loss: .hinge, steps: steps,
            optimizer: .sgd(SGDConfiguration(learningRate: 1e-3, momentum: 0.9, weightDecay: 1e-3)),
            representation: representation),
        probeEvery: full ? 500 : steps)
}

func stepsPerSecond(_ configuration: RunConfiguration) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try Simulation.run(configuration, seed: 0)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(configuration.training.steps) / seconds
}

func numpyStepsPerSecond(width: Int) -> Double? {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Benchmarks/reference_numpy.py").path
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
        let rate = try stepsPerSecond(relu2(width: width, steps: steps, representation: representation))
        let reference = numpy.map { String(format: "%.0f", $0) } ?? "n/a"
        let ratio = numpy.map { String(format: "%.1f×", rate / $0) } ?? "n/a"
        print("| \(label) | \(width) | \(steps) | \(String(format: "%.0f", rate)) | \(reference) | \(ratio) |")
    }
}
print("\nNumPy: Benchmarks/reference_numpy.py (the same full-batch hinge/SGD step in R^d, OPENBLAS_NUM_THREADS=1).")
