// simulate-bench: the engine's training throughput on relu2-sized workloads, side by side in one run
// with the NumPy (float64) and JAX (jax.jit + lax.fori_loop, float64 and float32) references in
// Benchmarks/reference.py, one thread each, and a check that their final training losses agree with
// simulate's within the seed-to-seed spread (different random streams, same distributions).
// `make bench` runs it pinned to one core and writes BENCHMARKS.md. Not a test: timings vary with load.
import Dynamics
import Foundation
import GSL
import Scenarios

BLASInfo.setThreads(1)

/// The repository this benchmark was built from (its scenarios and reference scripts).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
let arguments = CommandLine.arguments
/// `--python P`: the interpreter with NumPy and JAX (the Makefile's benchmark venv).
let python = arguments.firstIndex(of: "--python").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil } ?? "python3"
/// `--write FILE`: also write the Markdown there.
let output = arguments.firstIndex(of: "--write").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
let agreementSeeds: [UInt64] = [0, 1, 2]
/// `--only PART,...`: run only these parts of the benchmark, to iterate on one (not with `--write`).
let parts = ["references", "large", "activations"]
let only = arguments.firstIndex(of: "--only").map { index in
    arguments.indices.contains(index + 1) ? arguments[index + 1].split(separator: ",").map(String.init) : []
}
if let only, only.isEmpty || !only.allSatisfy(parts.contains) || output != nil {
    let problem = output != nil ? "cannot be combined with --write (BENCHMARKS.md is written whole)" : "allowed: \(parts.joined(separator: ", "))"
    FileHandle.standardError.write("error: --only \(only.joined(separator: ",")): \(problem)\n".data(using: .utf8) ?? Data())
    exit(64)
}
func wanted(_ part: String) -> Bool { only?.contains(part) ?? true }

/// One benchmarked workload: the relu2 scenario with `overrides`, and the same set-up's reference flags.
struct Workload {
    var label: String
    var overrides: [String]
    var reference: [String]
    /// Steps simulate runs for the throughput (its full run, probes included) and the references run.
    var steps: Int
    var referenceSteps: Int
    /// Whether simulate's timed run keeps the scenario's probes (a full run) instead of probing once at the end.
    var fullRun = false
}

let adam = #"training.optimizer={"name": "adam", "lr": 0.001, "weight_decay": 0.001}"#
let workloads = [
    Workload(
        label: "(a) relu2 as bundled, full run with probes", overrides: [], reference: [], steps: 20_000, referenceSteps: 1_000,
        fullRun: true),
    Workload(
        label: "(b) relu2 at width 1024", overrides: ["model.width=1024"], reference: ["--width", "1024"], steps: 3_000,
        referenceSteps: 150),
    Workload(
        label: "(c) mini-batch 32, fresh samples (online SGD)", overrides: ["training.batch=32", "training.samples=fresh"],
        reference: ["--batch", "32", "--fresh"], steps: 20_000, referenceSteps: 5_000),
    Workload(
        label: "(d) R^d, no shortcut: input noise 0.1, Adam", overrides: ["data.noise=0.1", adam],
        reference: ["--noise", "0.1", "--optimizer", "adam"], steps: 2_000, referenceSteps: 500),
    Workload(label: "(e) Adam without noise", overrides: [adam], reference: ["--optimizer", "adam"], steps: 2_000, referenceSteps: 500),
    Workload(
        label: "(f) width = dimension = 1024, batch 256, noise 0.1, Adam",
        overrides: ["model.width=1024", "data.dimension=1024", "training.batch=256", "data.noise=0.1", adam],
        reference: ["--width", "1024", "--dimension", "1024", "--batch", "256", "--noise", "0.1", "--optimizer", "adam"],
        steps: 300, referenceSteps: 60),
]

/// The workload's configuration for `steps` steps, in the engine's `precision`.
func configuration(_ workload: Workload, steps: Int, precision: Precision = .float64) throws -> RunConfiguration {
    let probes = workload.fullRun && workload.steps == steps ? [] : ["probes.every=\(steps)"]
    return try ScenarioLocator.load(
        "\(repository)/Scenarios/relu2.json",
        overrides: workload.overrides + ["training.steps=\(steps)", "training.precision=\(precision.rawValue)"] + probes
    ).base
}

/// Wall seconds of a simulate run, and its final training loss.
func simulate(_ configuration: RunConfiguration, seed: UInt64) throws -> (seconds: Double, trainLoss: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try Simulation.run(configuration, seed: seed)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (seconds, result.final[Metric.trainLoss] ?? .nan)
}

/// One reference run's JSON line, or nil when the interpreter or the package is missing.
func reference(_ flags: [String]) -> [String: Any]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, "\(repository)/Benchmarks/reference.py"] + flags
    var environment = ProcessInfo.processInfo.environment
    for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
func sd(_ values: [Double]) -> Double {
    let m = mean(values)
    return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
}
func fixed(_ value: Double, _ digits: Int = 0) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "n/a" }

let implementations = [
    ("NumPy f64", ["--impl", "numpy"]), ("JAX f64", ["--impl", "jax"]), ("JAX f32", ["--impl", "jax", "--precision", "float32"]),
]
var text = "# Benchmarks\n\nWritten by `make bench` (`simulate-bench`, release build) on \(ISO8601DateFormatter().string(from: Date())).\n\n"
let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
let model =
    cpu.split(separator: "\n").first { $0.hasPrefix("model name") }.map {
        String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
    } ?? "unknown"
let flags =
    cpu.split(separator: "\n").first { $0.hasPrefix("flags") }.map { line in
        ["avx2", "fma", "avx512f"].filter { line.split(separator: " ").contains(Substring($0)) }.joined(separator: ", ")
    } ?? ""
let versions = reference(["--impl", "jax", "--steps", "2"]).map { "JAX \($0["jax"] ?? "?")" } ?? "JAX missing"
let numpyVersion = reference(["--impl", "numpy", "--steps", "2"]).map { "NumPy \($0["numpy"] ?? "?")" } ?? "NumPy missing"
text += "Machine: \(model) (\(flags)); one thread for everyone (`taskset` to one core, OPENBLAS_NUM_THREADS=1, XLA single-threaded). "
text +=
    "simulate: float64 and float32 (`training.precision`), BLAS \(BLASInfo.active) (OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset")), GSL \(gslVersion). "
text += "References: `Benchmarks/reference.py`, \(numpyVersion), \(versions), Python \(reference(["--steps", "2"])?["python"] ?? "?").\n\n"
if wanted("references") {
    text +=
        "Steps per second (simulate: its whole run, probes and set-up included; the references: the timed steps after a warm-up that includes JAX's compilation), and the ratios like with like: simulate in float64 to NumPy and JAX in float64, simulate in float32 to JAX in float32.\n\n"
    text +=
        "| workload | simulate f64 steps/s (wall s) | simulate f32 steps/s (wall s) | "
        + implementations.map { "\($0.0) steps/s" }.joined(separator: " | ") + " | f64 × NumPy f64 | f64 × JAX f64 | f32 × JAX f32 |\n"
    text += "|---|---:|---:|" + implementations.map { _ in "---:|" }.joined() + "---:|---:|---:|\n"
    var agreement =
        "| workload (at the references' step count) | simulate f64 train loss, mean ± sd | simulate f32 | NumPy f64 | JAX f64 | JAX f32 | agree? |\n|---|---:|---:|---:|---:|---:|---|\n"
    /// The process's peak resident memory so far, in MB (Linux reports ru_maxrss in KiB).
    func peakMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
    var peakAfterRelu2 = Double.nan
    for workload in workloads {
        FileHandle.standardError.write("bench: \(workload.label)\n".data(using: .utf8) ?? Data())
        let run = try simulate(try configuration(workload, steps: workload.steps), seed: 0)
        if peakAfterRelu2.isNaN { peakAfterRelu2 = peakMegabytes() }
        let single = try simulate(try configuration(workload, steps: workload.steps, precision: .float32), seed: 0)
        let rate = Double(workload.steps) / run.seconds, singleRate = Double(workload.steps) / single.seconds
        // Each reference runs once per agreement seed: its steps/s is the best of them (the least disturbed),
        // its final training losses are compared with simulate's.
        let references = implementations.map { _, impl in
            agreementSeeds.compactMap { seed in
                reference(impl + workload.reference + ["--steps", String(workload.referenceSteps), "--seed", String(seed)])
            }
        }
        let rates = references.map { runs in runs.compactMap { $0["steps_per_second"] as? Double }.max() ?? .nan }
        let ratios = [rate / rates[0], rate / rates[1], singleRate / rates[2]]
        text +=
            "| \(workload.label) | \(fixed(rate)) (\(fixed(run.seconds, 1))) | \(fixed(singleRate)) (\(fixed(single.seconds, 1))) | "
            + rates.map { fixed($0) }.joined(separator: " | ") + " | " + ratios.map { fixed($0, 2) + "×" }.joined(separator: " | ") + " |\n"
        // Agreement: final training loss after the references' steps, over seeds, each implementation its own
        // streams; simulate's float32 engine draws the same data as its float64 one.
        let short = try configuration(workload, steps: workload.referenceSteps)
        let mine = try agreementSeeds.map { try simulate(short, seed: $0).trainLoss }
        let shortSingle = try configuration(workload, steps: workload.referenceSteps, precision: .float32)
        let mineSingle = try agreementSeeds.map { try simulate(shortSingle, seed: $0).trainLoss }
        var cells = ["\(String(format: "%.4f", mean(mine))) ± \(String(format: "%.4f", sd(mine)))"]
        var agree = true
        for theirs in [mineSingle] + references.map({ runs in runs.compactMap { $0["train_loss"] as? Double } }) {
            guard theirs.count == agreementSeeds.count else {
                cells.append("n/a")
                continue
            }
            // Within the seed spread: the means differ by at most 3 standard errors of the difference (and 1e-3).
            let spread = (sd(mine) * sd(mine) / 3 + sd(theirs) * sd(theirs) / 3).squareRoot()
            agree = agree && abs(mean(mine) - mean(theirs)) <= 3 * spread + 1e-3
            cells.append("\(String(format: "%.4f", mean(theirs))) ± \(String(format: "%.4f", sd(theirs)))")
        }
        agreement += "| \(workload.label) | " + cells.joined(separator: " | ") + " | \(agree ? "yes" : "**no**") |\n"
    }
    text += "\nPeak resident memory of the benchmark process after run (a), the relu2 run with its probes: \(fixed(peakAfterRelu2)) MB.\n"
    text += "\nAgreement of the final training loss over seeds \(agreementSeeds.map(String.init).joined(separator: ", ")) "
    text += "(the implementations draw from their own random streams, so the runs differ but their distributions must not; "
    text += "agree: every mean within 3 standard errors of simulate's, plus 10⁻³):\n\n" + agreement
}

// (f) The large point without a shortcut: width = dimension = 1024, batch 256, input noise, Adam. The
// step's two big GEMMs (forward X Wᵀ and backward δᵀ X, 2·b·m·d flops each) against the single-thread
// GEMM peak (DGEMM for float64, SGEMM for float32) measured here on square 1024 matrices. Steps per
// second from two run lengths' difference, so that set-up (data, initialisation) and the final probes cancel.
func gemmPeakGFLOPS<Scalar: BLASScalar>(_: Scalar.Type, size: Int = 1024, repeats: Int = 3) -> Double {
    var g = RandomGenerator(seed: 1)
    let a = MatrixOf<Scalar>(rows: size, columns: size, elements: (0..<(size * size)).map { _ in Scalar(g.gaussian()) })
    let b = MatrixOf<Scalar>(rows: size, columns: size, elements: (0..<(size * size)).map { _ in Scalar(g.gaussian()) })
    var c = MatrixOf<Scalar>(rows: size, columns: size)
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        BLAS.gemm(.none, .transpose, alpha: 1, a, b, beta: 0, into: &c)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return 2 * pow(Double(size), 3) / best / 1e9
}
if wanted("large") {
    let large = workloads[workloads.count - 1]
    text += "\n\(large.label) (R^d, no shortcut), the step alone:\n\n"
    text +=
        "| precision | steps/s | GFLOP/s of the step's two GEMMs (4·b·m·d flops) | single-thread GEMM peak, 1024² (GFLOP/s) | share of the peak |\n"
    text += "|---|---:|---:|---:|---:|\n"
    let (shortSteps, longSteps) = (20, 120)
    for (precision, peak) in [(Precision.float64, gemmPeakGFLOPS(Double.self)), (.float32, gemmPeakGFLOPS(Float.self))] {
        FileHandle.standardError.write("bench: \(large.label), \(precision.rawValue), steps/s and GFLOP/s\n".data(using: .utf8) ?? Data())
        let shortConfiguration = try configuration(large, steps: shortSteps, precision: precision)
        let shortRun = try simulate(shortConfiguration, seed: 0).seconds
        let longRun = try simulate(try configuration(large, steps: longSteps, precision: precision), seed: 0).seconds
        let stepSeconds = (longRun - shortRun) / Double(longSteps - shortSteps)
        // 4·b·m·d from the configuration the runs used.
        let batch =
            switch shortConfiguration.training.batch {
            case let .samples(count): count
            case .full: shortConfiguration.data.trainSize
            }
        let gemmFlops = 4 * Double(batch) * Double(shortConfiguration.model.width * shortConfiguration.data.dimension)
        let stepGFLOPS = gemmFlops / stepSeconds / 1e9
        let cells = [
            fixed(1 / stepSeconds), fixed(stepGFLOPS, 1), "\(fixed(peak, 1)) (\(precision == .float64 ? "DGEMM" : "SGEMM"))",
            "\(fixed(100 * stepGFLOPS / peak))%",
        ]
        text += "| \(precision.rawValue) | " + cells.joined(separator: " | ") + " |\n"
    }
    text += "\nSteps per second from the difference of a \(shortSteps)- and a \(longSteps)-step run.\n"
}

// Transcendental activations against ReLU on relu2's configuration: the full run, and its first 5 000
// steps, where every sample is still inside the hinge for all four (equal work per step).
if wanted("activations") {
    let activations = ["relu", "gelu", "tanh", "sigmoid"]
    text += "\nTranscendental activations (relu2, seed 0; σ and σ' vectorised with \(VectorMath.kernel)), wall seconds and ratio to ReLU:\n\n"
    text += "| activation | full run, \(workloads[0].steps) steps (s) | × ReLU | first 5000 steps (s) | × ReLU |\n|---|---:|---:|---:|---:|\n"
    var reluSeconds: (full: Double, early: Double) = (.nan, .nan)
    for name in activations {
        FileHandle.standardError.write("bench: activation \(name)\n".data(using: .utf8) ?? Data())
        let chosen = Workload(
            label: name, overrides: ["model.activation=\"\(name)\""], reference: [], steps: workloads[0].steps, referenceSteps: 0,
            fullRun: true)
        let full = try simulate(try configuration(chosen, steps: chosen.steps), seed: 0).seconds
        let early = try simulate(try configuration(chosen, steps: 5_000), seed: 0).seconds
        if name == "relu" { reluSeconds = (full, early) }
        let cells = [fixed(full, 1), fixed(full / reluSeconds.full, 2) + "×", fixed(early, 1), fixed(early / reluSeconds.early, 2) + "×"]
        text += "| \(name) | " + cells.joined(separator: " | ") + " |\n"
    }
    text += """

        The full runs do not do equal work: the backward pass skips the samples past the hinge (margin ≥ 1), and with \
        the frozen ±1/m head a tanh or sigmoid network's output is bounded by 1 (resp. ½), so all its samples stay \
        active for the whole run, while ReLU's and GELU's active sets shrink to about a tenth. The first 5 000 steps \
        compare equal work.

        """
}
print(text, terminator: "")
if let output { try text.write(toFile: output, atomically: true, encoding: .utf8) }
