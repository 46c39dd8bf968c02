import Foundation
import Testing

/// Regression tests for bad input the fuzzing of scenario files found (issue 14, scope 5): each
/// refusal is a documented exit status with a message that says where and what, bounded in size and
/// time, and nothing is written.
@Suite("bad input", .serialized)
struct BadInputTests {
    let fileManager = FileManager.default

    /// A scratch folder with the bundled scenarios and a user's file.
    func workspace() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try fileManager.copyItem(atPath: "\(CLI.root)/Scenarios", toPath: "\(dir)/Scenarios")
        try "mine".write(toFile: "\(dir)/notes.txt", atomically: true, encoding: .utf8)
        return dir
    }

    func entries(_ dir: String) -> [String] { ((try? fileManager.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    /// `simulate arguments` under an address-space limit of 4 GiB (`ulimit -v`), as on a shared node.
    func limited(_ arguments: [String], in dir: String) throws -> CLI.Output {
        let quoted = ([CLI.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = Process(), err = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 4194304 && exec \(quoted)"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Output(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test(
        "Runs too large for 4 GiB are refused up front (65) with the estimate, the limit and the field — never an abort",
        arguments: [
            ("relu2", "model.width=1000000", "model.width"), ("relu2", "data.train_size=10000000", "data.train_size"),
            ("relu2", "data.test_size=10000000", "data.test_size"),
            ("gla-prior", "prior_estimation.labelled_per_class=[1000000]", "prior_estimation.labelled_per_class"),
        ])
    func tooLarge(_ scenario: String, _ set: String, _ field: String) throws {
        let dir = try workspace()
        let before = entries(dir)
        let run = try limited([scenario, "--seeds", "1", "--quiet", "--set", set], in: dir)
        #expect(run.status == 65, "\(set): \(run.stderr)")
        #expect(run.stderr.contains("\(field): a run would need about") && run.stderr.contains("GiB this process may use"), "\(run.stderr)")
        #expect(entries(dir) == before)
    }

    @Test("d = 100 000 (the maximum) builds its feature basis without a d × d matrix: it runs under 4 GiB")
    func largestDimension() throws {
        let dir = try workspace()
        let run = try limited(
            [
                "relu2", "--seeds", "1", "--quiet", "--out", "out", "--set", "data.dimension=100000", "--set", "training.steps=2",
                "--set", "data.train_size=50", "--set", "data.test_size=50",
            ], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fileManager.fileExists(atPath: "\(dir)/out/summary.csv"))
    }

    @Test("Huge inputs are refused quickly with a bounded message: 10⁶ seeds, 10⁵ keys, a 50 MB line with a syntax error")
    func hugeInputs() throws {
        let dir = try workspace()
        let relu2 = try String(contentsOfFile: "\(dir)/Scenarios/relu2.json", encoding: .utf8)
        let seeds = "[" + (0..<1_000_000).map(String.init).joined(separator: ",") + "]"
        try relu2.replacingOccurrences(of: "{", with: "{\"seeds\": \(seeds), ", options: [], range: relu2.range(of: "{"))
            .replacingOccurrences(of: "\"seeds\": 3,", with: "").write(toFile: "\(dir)/seeds.json", atomically: true, encoding: .utf8)
        let keys = (0..<100_000).map { "\"k\($0)\": 1" }.joined(separator: ", ")
        try "{\"name\": \"k\", \(keys)}".write(toFile: "\(dir)/keys.json", atomically: true, encoding: .utf8)
        try ("{\"name\": \"x\", \"description\": \"" + String(repeating: "a", count: 50_000_000) + "\" \"oops\"}")
            .write(toFile: "\(dir)/long.json", atomically: true, encoding: .utf8)
        // Seconds each may take: about 10× what a debug build takes here (2.4 s, 0.5 s, 1.8 s), well below what
        // the quadratic code took (over 60 s for the seeds, 9 s for the keys) — a guard, not a benchmark.
        for (file, expected, bound) in [
            ("seeds.json", "seeds: a list of 1000000 items; at most 10000", 25.0), ("keys.json", "k0: unknown key", 5.0),
            ("long.json", "long.json:1:5000003", 30.0),
        ] {
            let started = Date()
            let run = try CLI.run(["validate", file], in: dir)
            #expect(run.status == 65 && run.stderr.contains(expected), "\(file): \(run.stderr.prefix(500))")
            #expect(run.stderr.utf8.count < 4_000, "\(file): \(run.stderr.utf8.count) bytes on stderr")
            #expect(Date().timeIntervalSince(started) < bound, "\(file) took \(Date().timeIntervalSince(started)) s")
        }
    }

    @Test("Messages say where and show what: an empty key has a path, a NUL byte is shown as ␀, --seeds -1 is a range error")
    func messages() throws {
        let dir = try workspace()
        try #"{"name": "e", "data": {"": 1}}"#.write(toFile: "\(dir)/empty.json", atomically: true, encoding: .utf8)
        let empty = try CLI.run(["validate", "empty.json"], in: dir)
        #expect(empty.status == 65 && empty.stderr.contains(#"empty.json: data."": unknown key"#), "\(empty.stderr)")
        try "{\"name\": \"e\", \"model\": {\"activation\": \"re\u{0}lu\"}}".write(toFile: "\(dir)/nul.json", atomically: true, encoding: .utf8)
        let nul = try CLI.run(["validate", "nul.json"], in: dir)
        #expect(nul.status == 65 && !nul.stderr.contains("\u{0}") && nul.stderr.contains("␀"), "\(nul.stderr)")
        let seeds = try CLI.run(["relu2", "--seeds", "-1"], in: dir)
        #expect(seeds.status == 64 && seeds.stderr.contains("--seeds must be in 1…10000, got -1"), "\(seeds.stderr)")
    }

    @Test("Escaped surrogate pairs (Python's json.dump) decode to the character; a lone surrogate is an error at its place")
    func surrogates() throws {
        let dir = try workspace()
        try #"{"name": "s", "description": "smile \uD83D\uDE00"}"#.write(toFile: "\(dir)/pair.json", atomically: true, encoding: .utf8)
        let pair = try CLI.run(["validate", "pair.json"], in: dir)
        #expect(pair.status == 0 && pair.stdout.contains("smile 😀"), "\(pair.stdout.prefix(300)) \(pair.stderr)")
        try #"{"name": "s", "description": "\uD83D"}"#.write(toFile: "\(dir)/lone.json", atomically: true, encoding: .utf8)
        let lone = try CLI.run(["validate", "lone.json"], in: dir)
        #expect(lone.status == 65 && lone.stderr.contains("lone.json:1:31: JSON syntax error: lone surrogate \\uD83D"), "\(lone.stderr)")
    }

    @Test("--set on a field the scenario sweeps is an error (64), not silently overridden by the sweep")
    func setOnSweptField() throws {
        let dir = try workspace()
        let run = try CLI.run(["activations", "--set", "model.activation=gelu", "--out", "out"], in: dir)
        #expect(run.status == 64 && run.stderr.contains("--set model.activation: the scenario"), "\(run.stderr)")
        #expect(!fileManager.fileExists(atPath: "\(dir)/out"))
    }

    @Test("A CRLF notebook has its blocks (and --check says it is out of date); a file without blocks is refused")
    func crlfNotebook() throws {
        let dir = try workspace()
        try tinyScenario.write(toFile: "\(dir)/Scenarios/tiny.json", atomically: true, encoding: .utf8)
        let notebook = "# Tiny\n\nText.\n\n```simulate\nsimulate tiny\nshow findings\n```\n\nMore text.\n"
        try notebook.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: "\(dir)/crlf.md", atomically: true, encoding: .utf8)
        let check = try CLI.run(["notebook", "--check", "crlf.md", "--work", "work"], in: dir)
        #expect(check.status == 1 && check.stderr.contains("out of date: crlf.md"), "\(check.stdout) \(check.stderr)")
        #expect(try CLI.run(["notebook", "crlf.md", "--work", "work"], in: dir).status == 0)
        let written = try String(contentsOfFile: "\(dir)/crlf.md", encoding: .utf8)
        #expect(written.contains("<!-- simulate:output") && !written.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "line ends changed")
        #expect(try CLI.run(["notebook", "--check", "crlf.md", "--work", "work"], in: dir).status == 0)
        try "# Just text\r\n".write(toFile: "\(dir)/plain.md", atomically: true, encoding: .utf8)
        let plain = try CLI.run(["notebook", "--check", "plain.md", "--work", "work"], in: dir)
        #expect(plain.status == 65 && plain.stderr.contains("no ```simulate blocks"), "\(plain.stderr)")
    }

    @Test("Broken scenario files through `simulate run`: exit 65 with a located message, nothing written (truncations, wrong types, NUL, bad bytes)")
    func brokenFilesThroughTheCommandLine() throws {
        let dir = try workspace()
        let names = ((try? fileManager.contentsOfDirectory(atPath: "\(dir)/Scenarios")) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var cases = 0
        for (k, name) in names.enumerated() {
            let bytes = Array(try String(contentsOfFile: "\(dir)/Scenarios/\(name)", encoding: .utf8).utf8)
            let broken: [[UInt8]] = [
                Array(bytes.prefix(bytes.count * (k + 1) / (names.count + 2))),  // truncated
                Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"steps\": ", with: "\"steps\": \"many\", \"x\": ").utf8),
                Array(bytes.prefix(40)) + [0x00] + Array(bytes.dropFirst(40)),
                Array(bytes.prefix(30)) + [0xFF, 0xFE] + Array(bytes.dropFirst(30)),
            ]
            for (j, text) in broken.enumerated() {
                let file = "\(dir)/broken.json"
                try Data(text).write(to: URL(fileURLWithPath: file))
                let before = entries(dir)
                let run = try CLI.run(["run", "broken.json", "--quiet", "--out", "out"], in: dir)
                cases += 1
                #expect(run.status == 65 || run.status == 64, "\(name) #\(j): status \(run.status): \(run.stderr)")
                #expect(run.stderr.hasPrefix("error: broken.json"), "\(name) #\(j): \(run.stderr.prefix(300))")
                #expect(entries(dir) == before, "\(name) #\(j) wrote something")
            }
        }
        #expect(cases >= 40)
    }
}
