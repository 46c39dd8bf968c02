import Foundation
import Testing

/// End-to-end tests: the built `simulate` executable, run as a user would run it.
struct CLI {
    static let root = #filePath.components(separatedBy: "/Tests/").first ?? "."
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("simulate").path

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: String = root, environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `simulate` without waiting (output discarded).
    static func start(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "simulate-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A scenario small enough to run in a second or two in a debug build.
let tinyScenario = """
    {
      "name": "tiny",
      "seeds": 2,
      "data": {"dimension": 24, "core": {"count": 4}, "background": {"count": 4}, "train_size": 60, "test_size": 60,
               "shifts": [{"name": "flip", "kind": "flip"}, {"name": "zero", "kind": "zero", "reuse_train_core": true}]},
      "model": {"width": 16},
      "training": {"steps": 200, "batch": 20, "optimizer": {"name": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 0.001}},
      "probes": {"every": 50},
      "sweep": {"model.activation": ["relu", "linear"]}
    }
    """

@Suite("simulate command line", .serialized)
struct CommandLineTests {
    @Test("A run writes every output file, with the documented columns")
    func runWritesEverything() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        let result = try CLI.run(["tiny.json", "--out", "out", "--quiet"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        for file in ["report.md", "summary.csv", "metrics.csv", "neurons.csv", "scenario.resolved.json", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/out/\(file)"), "\(file)")
        }
        let summary = try String(contentsOfFile: "\(dir)/out/summary.csv", encoding: .utf8)
        let header = summary.split(separator: "\n").first.map(String.init) ?? ""
        for column in [
            "run_id", "seed", "activation", "optimizer", "train_loss", "train_accuracy", "id_loss", "id_accuracy",
            "ood_loss_flip", "ood_accuracy_flip", "ood_loss_zero", "core_projection", "background_projection",
            "background_projection_signed", "orthogonal_norm", "background_growth", "core_growth",
            "asymmetry_mean", "asymmetric_fraction", "dead_fraction",
            "ece_id", "nll_id", "brier_id", "temperature_id", "absorbed_prior_id", "ece_flip", "prior_drift_flip",
        ] {
            #expect(header.split(separator: ",").contains(Substring(column)), "missing column \(column)")
        }
        #expect(summary.split(separator: "\n").count == 5)
        let metrics = try String(contentsOfFile: "\(dir)/out/metrics.csv", encoding: .utf8)
        #expect(metrics.hasPrefix("run_id,seed,activation,optimizer,step,metric,value\n"))
        let report = try String(contentsOfFile: "\(dir)/out/report.md", encoding: .utf8)
        #expect(report.contains("## Headline findings") && report.contains("Against the linear control"))
        #expect(report.contains("## Calibration under background shift") && report.contains("### Expected calibration error"))
    }

    @Test("Same scenario and seeds give byte-identical CSVs, whatever --jobs, and from the run cache")
    func determinism() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        var messages: [String] = []
        for (out, flags) in [("a", ["--jobs", "1", "--fresh"]), ("b", ["--jobs", "2", "--fresh"]), ("c", ["--jobs", "2"])] {
            let result = try CLI.run(["run", "tiny.json", "--out", out] + flags, in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            messages.append(result.stderr)
        }
        #expect(!messages[1].contains("reused") && messages[2].contains("reused 4 of 4 runs"))
        for file in ["summary.csv", "metrics.csv", "neurons.csv", "aggregate.csv"] {
            let a = FileManager.default.contents(atPath: "\(dir)/a/\(file)")
            #expect(a != nil && a == FileManager.default.contents(atPath: "\(dir)/b/\(file)"), "\(file) differs (jobs)")
            #expect(a == FileManager.default.contents(atPath: "\(dir)/c/\(file)"), "\(file) differs (cache)")
        }
    }

    @Test("A sweep's report compares each activation with its linear control and names which contaminate")
    func sweepReport() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.replacingOccurrences(of: #"["relu", "linear"]"#, with: #"["relu", "tanh", "linear"]"#)
            .replacingOccurrences(of: #""steps": 200"#, with: #""steps": 600"#)
            .write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        let result = try CLI.run(["tiny.json", "--out", "out", "--quiet", "--seeds", "3"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try String(contentsOfFile: "\(dir)/out/report.md", encoding: .utf8)
        #expect(report.contains("| activation | background growth | × control |"))
        #expect(report.contains("| relu | ") && report.contains("| tanh | "))
        #expect(report.contains("**Contaminate**: relu"), "\(report)")
    }

    @Test("aggregate.csv has one row per sweep cell with mean, sd and 95% interval")
    func aggregate() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["tiny.json", "--out", "out", "--quiet"], in: dir).status == 0)
        let lines = try String(contentsOfFile: "\(dir)/out/aggregate.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("activation,optimizer,runs,completed,train_loss_mean,train_loss_sd,train_loss_ci95_low"))
        #expect(
            lines[1].hasPrefix("relu,\"sgd(lr=0.05,momentum=0.9,weight_decay=0.001)\",2,2,")
                && lines[2].hasPrefix("linear,\"sgd(lr=0.05,momentum=0.9,weight_decay=0.001)\",2,2,"))
    }

    @Test(
        "Bad scenario data exits 65 with the field path and writes nothing",
        arguments: [
            (#""width": 16"#, #""widht": 16"#, "model.widht", "did you mean 'width'?"),
            (#""width": 16"#, #""width": "16""#, "model.width", "expected an integer"),
            (#""lr": 0.05"#, #""lr": -1"#, "training.optimizer.lr", "allowed: > 0"),
            (#""dimension": 24"#, #""dimension": 6"#, "data.dimension", "too small"),
            (#""model.activation""#, #""model.activaton""#, "sweep.model.activaton", "did you mean 'model.activation'?"),
            (#""seeds": 2,"#, #""seeds": 2,,"#, "tiny.json:3:14", "JSON syntax error"),
            (#"{"name": "flip", "kind": "flip"}"#, #"{"name": "id", "kind": "flip"}"#, "data.shifts[0].name", "names the ID test set"),
        ])
    func badData(original: String, replacement: String, location: String, hint: String) throws {
        try Self.expectRefused(tinyScenario.replacingOccurrences(of: original, with: replacement), location: location, hint: hint)
    }

    /// `run` and `validate` refuse the scenario text with exit 65, naming `location` with `hint`, and write nothing.
    static func expectRefused(_ text: String, location: String, hint: String) throws {
        let dir = try CLI.temporaryDirectory()
        try text.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        for command in [["run", "tiny.json", "--out", "out"], ["validate", "tiny.json"]] {
            let result = try CLI.run(command, in: dir)
            #expect(result.status == 65)
            #expect(result.stderr.contains(location), "\(result.stderr)")
            #expect(result.stderr.contains(hint), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["tiny.json"])
    }

    /// A small bias-transfer protocol for the CLI's validation: a source with a trigger, a target, LP and FT.
    static let tinyTransfer = #"""
        {"name": "tiny-transfer", "seeds": 2,
         "model": {"width": 8, "output": {"trained": true}},
         "transfer": {"world": {"dimension": 24, "core": 4, "background": 4},
           "tasks": [{"name": "source", "classes": 4, "train_size": 200, "trigger": {"kind": "class_conditional", "class": 0, "fraction": 1}},
                     {"name": "target", "classes": 2, "core_per_class": 2, "train_size": 100}],
           "stages": [{"name": "pretrain", "task": "source", "steps": 50, "batch": 20},
                      {"name": "probe", "task": "target", "from": "pretrain", "trains": "head", "steps": 50, "batch": 20, "optimizer": {"lr": 0.1}}]}}
        """#

    @Test(
        "Bad transfer specs exit 65 naming the field and write nothing",
        arguments: [
            (#""from": "pretrain""#, #""from": "nothing""#, "transfer.stages[1].from", "'nothing' is not a stage"),
            (#""from": "pretrain""#, #""from": "probe""#, "transfer.stages[1].from", "'probe' is this stage"),
            (#""task": "source", "steps""#, #""task": "source", "from": "probe", "steps""#, "transfer.stages[0].from", "runs later"),
            (#""trains": "head""#, #""head": "inherited""#, "transfer.stages[1].head", "same classes"),
            (#""dimension": 24"#, #""dimension": 8"#, "transfer.world.dimension", "cannot hold 9"),
            (#""fraction": 1"#, #""fraction": 1.5"#, "transfer.tasks[0].trigger.fraction", "allowed: in [0, 1]"),
            (#""lr": 0.1"#, #""lr": 0"#, "transfer.stages[1].optimizer.lr", "allowed: > 0"),
            (#""seeds": 2,"#, #""seeds": 2, "training": {"steps": 10},"#, "training", "describes its data in transfer.tasks"),
        ])
    func badTransfer(original: String, replacement: String, location: String, hint: String) throws {
        #expect(Self.tinyTransfer.contains(original))
        try Self.expectRefused(Self.tinyTransfer.replacingOccurrences(of: original, with: replacement), location: location, hint: hint)
    }

    @Test("A transfer protocol runs from the command line: a report with its stages, the same numbers on any thread count")
    func transferRuns() throws {
        let dir = try CLI.temporaryDirectory()
        try Self.tinyTransfer.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        let one = try CLI.run(["run", "tiny.json", "--out", "one", "--jobs", "1", "--quiet", "--fresh"], in: dir)
        let two = try CLI.run(["run", "tiny.json", "--out", "two", "--jobs", "2", "--quiet", "--fresh"], in: dir)
        #expect(one.status == 0 && two.status == 0, "\(one.stderr)\(two.stderr)")
        let summary = try String(contentsOfFile: "\(dir)/one/summary.csv", encoding: .utf8)
        #expect(summary == (try String(contentsOfFile: "\(dir)/two/summary.csv", encoding: .utf8)))
        #expect(summary.contains("probe_asr") && summary.contains("pretrain_trigger_projection"))
        #expect(summary.contains("probe_ece") && summary.contains("probe_nll"), "every stage is calibrated")
        let report = try String(contentsOfFile: "\(dir)/one/report.md", encoding: .utf8)
        #expect(report.contains("| `probe` | target | pretrain (new head) | head |") && report.contains("figures/stages-asr.svg"))
        let check = try CLI.run(["report", "--check", "one"], in: dir)
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("Usage errors exit 64: missing scenario, bad flags")
    func usage() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/Scenarios", withDestinationPath: "\(CLI.root)/Scenarios")
        let missing = try CLI.run(["relu3", "--out", "out"], in: dir)
        #expect(missing.status == 64 && missing.stderr.contains("did you mean 'relu2'?"))
        #expect(try CLI.run(["relu2", "--seeds", "0", "--out", "out"], in: dir).status == 64)
        #expect(try CLI.run(["relu2", "--frobnicate", "--out", "out"], in: dir).status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["Scenarios"], "a usage error must write nothing")
    }

    @Test("--out never replaces a folder that is not a previous results folder")
    func outputFolderSafety() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(dir)/mine", withIntermediateDirectories: true)
        try "precious".write(toFile: "\(dir)/mine/notes.txt", atomically: true, encoding: .utf8)
        let refused = try CLI.run(["tiny.json", "--out", "mine", "--quiet"], in: dir)
        #expect(refused.status == 73 && refused.stderr.contains("not a simulate results folder"))
        #expect(try String(contentsOfFile: "\(dir)/mine/notes.txt", encoding: .utf8) == "precious")
        // A previous results folder is replaced as a whole.
        #expect(try CLI.run(["tiny.json", "--out", "results", "--quiet"], in: dir).status == 0)
        #expect(try CLI.run(["tiny.json", "--out", "results", "--quiet", "--seeds", "1"], in: dir).status == 0)
        let summary = try String(contentsOfFile: "\(dir)/results/summary.csv", encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".simulate-cache", "mine", "results", "tiny.json"])
    }

    @Test("--set overrides any field, validated like the file: bad paths are usage errors, bad values data errors")
    func overrides() throws {
        let ok = try CLI.run([
            "validate", "relu2", "--set", "training.steps=123", "--set", "model.activation=gelu",
            "--set", #"training.optimizer={"name": "adam"}"#,
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\"steps\": 123") && ok.stdout.contains("\"activation\": \"gelu\"") && ok.stdout.contains("\"name\": \"adam\""))
        let typo = try CLI.run(["validate", "relu2", "--set", "training.stpes=5"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'training.steps'?"))
        let value = try CLI.run(["validate", "relu2", "--set", "training.steps=-5"])
        #expect(value.status == 65 && value.stderr.contains("training.steps"))
        #expect(try CLI.run(["validate", "relu2", "--set", "nonsense"]).status == 64)
    }

    @Test("list, validate and --help")
    func commands() throws {
        let list = try CLI.run(["list"])
        #expect(list.status == 0 && list.stdout.contains("relu2") && list.stdout.contains("contamination"))
        let validate = try CLI.run(["validate", "scenarios/relu2.json"])
        #expect(validate.status == 0 && validate.stdout.contains("\"weight_decay\": 0.001"))
        let dry = try CLI.run(["contamination", "--dry-run", "--out", NSTemporaryDirectory() + "dry-\(UUID().uuidString)"])
        #expect(dry.status == 0 && dry.stdout.split(separator: "\n").count == 7 && dry.stdout.contains("activation=linear/seed=2"))
        let help = try CLI.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("simulate Scenarios/relu2.json"))
    }
}
