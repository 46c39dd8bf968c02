import Foundation
import Testing

/// The results-folder contract (README, "Commands"): one test per way `simulate` used to lose a
/// user's files or use corrupt data.
@Suite("results-folder contract", .serialized)
struct ResultsFolderContractTests {
    let fileManager = FileManager.default

    /// A scratch folder holding `Scenarios/tiny.json` and a user's `notes.txt`.
    func workspace() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try fileManager.createDirectory(atPath: "\(dir)/Scenarios", withIntermediateDirectories: true)
        try tinyScenario.write(toFile: "\(dir)/Scenarios/tiny.json", atomically: true, encoding: .utf8)
        try "mine".write(toFile: "\(dir)/notes.txt", atomically: true, encoding: .utf8)
        return dir
    }

    func tree(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        for path in (try? fileManager.subpathsOfDirectory(atPath: folder)) ?? [] {
            out[path] = fileManager.contents(atPath: "\(folder)/\(path)")
        }
        return out
    }

    func text(_ path: String) -> String { fileManager.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "" }

    @Test(
        "--out that is empty, the working directory, its parent, the scenario's folder or $HOME is refused (64), nothing deleted",
        arguments: ["", ".", "./", "..", "Scenarios", "Scenarios/..", "HOME", "/"])
    func forbiddenDestinations(out: String) throws {
        let dir = try workspace()
        let home = "\(dir)/home"
        try fileManager.createDirectory(atPath: home, withIntermediateDirectories: true)
        try "dotfile".write(toFile: "\(home)/.profile", atomically: true, encoding: .utf8)
        let before = tree(dir)
        let result = try CLI.run(
            ["tiny", "--seeds", "1", "--quiet", "--out", out == "HOME" ? home : out], in: dir,
            environment: ["HOME": home])
        #expect(result.status == 64, "\(out): \(result.stderr)")
        #expect(result.stderr.contains("results folder"), "\(result.stderr)")
        #expect(tree(dir) == before, "\(out) changed the workspace")
        #expect(result.stdout.isEmpty)
    }

    @Test(
        "Scenario names that are not portable file names are refused at validation (65), before anything runs",
        arguments: [".", "..", "a/b", String(repeating: "a", count: 300), "-rf", ".hidden"])
    func scenarioNames(name: String) throws {
        let dir = try workspace()
        let escaped = name.replacingOccurrences(of: "/", with: "\\/")
        try tinyScenario.replacingOccurrences(of: #""name": "tiny""#, with: "\"name\": \"\(escaped)\"")
            .write(toFile: "\(dir)/Scenarios/tiny.json", atomically: true, encoding: .utf8)
        let before = tree(dir)
        for command in [["tiny", "--quiet"], ["validate", "tiny"]] {
            let result = try CLI.run(command, in: dir)
            #expect(result.status == 65, "\(name.prefix(10)): \(result.stderr)")
            #expect(result.stderr.contains("tiny.json: name:"), "\(result.stderr)")
        }
        #expect(tree(dir) == before)
    }

    @Test("`simulate report` keeps files it did not write, also when it re-renders")
    func reportKeepsForeignFiles() throws {
        let dir = try workspace()
        #expect(try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir).status == 0)
        try "my notes".write(toFile: "\(dir)/out/my-notes.txt", atomically: true, encoding: .utf8)
        try "%PDF".write(toFile: "\(dir)/out/figures/fig1.pdf", atomically: true, encoding: .utf8)
        let unchanged = try CLI.run(["report", "out"], in: dir)
        #expect(unchanged.status == 0 && unchanged.stdout.contains("(unchanged)"), "\(unchanged.stderr)")
        #expect(text("\(dir)/out/my-notes.txt") == "my notes" && text("\(dir)/out/figures/fig1.pdf") == "%PDF")
        // A re-render that drops a figure deletes that figure (ours) and nothing else.
        let resolved = "\(dir)/out/scenario.resolved.json"
        let spec = text(resolved)
        let start = try #require(spec.range(of: "\"figures\": [\n"))
        let end = try #require(spec.range(of: "\n      },\n", range: start.upperBound..<spec.endIndex))
        try spec.replacingCharacters(in: start.upperBound..<end.upperBound, with: "").write(toFile: resolved, atomically: true, encoding: .utf8)
        let rerender = try CLI.run(["report", "out"], in: dir)
        #expect(rerender.status == 0 && rerender.stdout.contains("re-rendered"), "\(rerender.stderr)")
        #expect(!fileManager.fileExists(atPath: "\(dir)/out/figures/steps-background_projection.svg"))
        #expect(text("\(dir)/out/my-notes.txt") == "my notes" && text("\(dir)/out/figures/fig1.pdf") == "%PDF")
        #expect(try CLI.run(["report", "--check", "out"], in: dir).status == 0)
        // A file of ours that the user edited is not overwritten: a refusal naming it.
        try "my edits".write(toFile: "\(dir)/out/report.md", atomically: true, encoding: .utf8)
        try spec.write(toFile: resolved, atomically: true, encoding: .utf8)
        let edited = try CLI.run(["report", "out"], in: dir)
        #expect(edited.status == 73 && edited.stderr.contains("out/report.md (changed since simulate wrote it)"), "\(edited.stderr)")
        #expect(text("\(dir)/out/report.md") == "my edits")
    }

    @Test("A folder with a manifest but files simulate did not write is refused (73), the files intact")
    func manifestBearingUserFolder() throws {
        let dir = try workspace()
        try fileManager.createDirectory(atPath: "\(dir)/thesis", withIntermediateDirectories: true)
        try #"{"tool": "simulate"}"#.write(toFile: "\(dir)/thesis/manifest.json", atomically: true, encoding: .utf8)
        try "\\documentclass{article}".write(toFile: "\(dir)/thesis/thesis.tex", atomically: true, encoding: .utf8)
        let before = tree("\(dir)/thesis")
        let refused = try CLI.run(["tiny", "--quiet", "--out", "thesis"], in: dir)
        #expect(refused.status == 73 && refused.stderr.contains("does not list the files simulate wrote"), "\(refused.stderr)")
        #expect(tree("\(dir)/thesis") == before)
        // A real results folder with a user's file added is refused too, naming the file.
        #expect(try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir).status == 0)
        try "draft".write(toFile: "\(dir)/out/thesis.tex", atomically: true, encoding: .utf8)
        let again = try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir)
        #expect(again.status == 73 && again.stderr.contains("out/thesis.tex"), "\(again.stderr)")
        #expect(text("\(dir)/out/thesis.tex") == "draft")
        // Without it, the folder is ours and is replaced.
        try fileManager.removeItem(atPath: "\(dir)/out/thesis.tex")
        #expect(try CLI.run(["tiny", "--quiet", "--out", "out", "--seeds", "1"], in: dir).status == 0)
        #expect(text("\(dir)/out/summary.csv").split(separator: "\n").count == 3)
    }

    @Test("Two writers of one folder: one succeeds, the other exits 75 naming the holder; a dead writer's lock is taken over")
    func oneWriterAtATime() throws {
        let dir = try workspace()
        try tinyScenario.replacingOccurrences(of: #""steps": 200"#, with: #""steps": 8000"#)
            .write(toFile: "\(dir)/Scenarios/slow.json", atomically: true, encoding: .utf8)
        let first = try CLI.start(["slow", "--quiet", "--fresh", "--jobs", "1", "--out", "out"], in: dir)
        let lock = "\(dir)/.out.simulate-lock"
        let deadline = Date().addingTimeInterval(30)
        while !text(lock).contains("pid \(first.processIdentifier) "), Date() < deadline { usleep(10_000) }
        let second = try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 75, "\(second.stderr)")
        #expect(
            second.stderr.contains("another simulate (pid \(first.processIdentifier) on ") && second.stderr.contains(".out.simulate-lock"),
            "\(second.stderr)")
        #expect(text("\(dir)/out/summary.csv").contains(",completed,") && !fileManager.fileExists(atPath: lock))

        try "pid 999999 on \(ProcessInfo.processInfo.hostName) since 2026-01-01T00:00:00Z\n".write(toFile: lock, atomically: true, encoding: .utf8)
        let takeover = try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir)
        #expect(
            takeover.status == 0 && takeover.stderr.contains("took over the lock") && takeover.stderr.contains("pid 999999"),
            "\(takeover.stderr)")
        #expect(!fileManager.fileExists(atPath: lock))
    }

    @Test("kill -9 during the final write, then a re-run: no staging or retired folders are left, the results intact")
    func killedWrites() throws {
        let dir = try workspace()
        // Many probes make the final write long enough to be caught in the act.
        try tinyScenario.replacingOccurrences(of: #""every": 50"#, with: #""every": 1"#)
            .replacingOccurrences(of: #""seeds": 2"#, with: #""seeds": 6"#)
            .write(toFile: "\(dir)/Scenarios/tiny.json", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir).status == 0)
        let good = tree("\(dir)/out")
        func debris() -> [String] {
            ((try? fileManager.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(".out.") }
        }
        var caught = 0
        for _ in 0..<20 where caught < 2 {
            let process = try CLI.start(["tiny", "--quiet", "--out", "out"], in: dir)
            while process.isRunning, !debris().contains(where: { $0.contains(".simulate-staging.") || $0.contains(".simulate-old.") }) {
                usleep(200)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                caught += 1
            }
            process.waitUntilExit()
        }
        #expect(caught > 0, "never caught a final write in progress")
        let rerun = try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(debris().isEmpty, "left: \(debris())")
        #expect(
            tree("\(dir)/out").filter { !$0.key.hasSuffix("manifest.json") && !$0.key.hasSuffix("report.md") }
                == good.filter { !$0.key.hasSuffix("manifest.json") && !$0.key.hasSuffix("report.md") })

        // Leftovers named as simulate names them (from a writer killed at each stage) are cleaned by
        // the next run; a retired folder whose results folder is gone is put back first.
        let pid = "999999@\(ProcessInfo.processInfo.hostName.split(separator: ".").first ?? "")"
        try fileManager.createDirectory(atPath: "\(dir)/.out.simulate-staging.\(pid)/figures", withIntermediateDirectories: true)
        try "half".write(toFile: "\(dir)/.out.simulate-staging.\(pid)/summary.csv", atomically: true, encoding: .utf8)
        let beforeKill = tree("\(dir)/out")
        try fileManager.moveItem(atPath: "\(dir)/out", toPath: "\(dir)/.out.simulate-old.\(pid)")
        try "x".write(toFile: "\(dir)/out.partial", atomically: true, encoding: .utf8)
        let clean = try CLI.run(["clean", "."], in: dir)
        #expect(clean.status == 0 && clean.stderr.contains("restored"), "\(clean.stderr)")
        #expect(debris().isEmpty && fileManager.fileExists(atPath: "\(dir)/out.partial"), "left: \(debris())")
        #expect(tree("\(dir)/out") == beforeKill)
        #expect(try CLI.run(["report", "--check", "out"], in: dir).status == 0)
    }

    @Test("Leftovers of simulate before 0.2 are cleaned too, but a user's file in an old folder is kept")
    func legacyLeftovers() throws {
        let dir = try workspace()
        try fileManager.createDirectory(atPath: "\(dir)/.out.staging-123-456/figures", withIntermediateDirectories: true)
        try "half".write(toFile: "\(dir)/.out.staging-123-456/summary.csv", atomically: true, encoding: .utf8)
        try fileManager.createDirectory(atPath: "\(dir)/.out.old-123-457/figures", withIntermediateDirectories: true)
        try "old".write(toFile: "\(dir)/.out.old-123-457/report.md", atomically: true, encoding: .utf8)
        try "<svg/>".write(toFile: "\(dir)/.out.old-123-457/figures/a.svg", atomically: true, encoding: .utf8)
        try "draft".write(toFile: "\(dir)/.out.old-123-457/thesis.tex", atomically: true, encoding: .utf8)
        try "x".write(toFile: "\(dir)/.out.staging-notes", atomically: true, encoding: .utf8)
        let run = try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir)
        #expect(run.status == 0 && run.stderr.contains("kept \(dir)/.out.old-123-457"), "\(run.stderr)")
        #expect(!fileManager.fileExists(atPath: "\(dir)/.out.staging-123-456"))
        #expect(try fileManager.contentsOfDirectory(atPath: "\(dir)/.out.old-123-457") == ["thesis.tex"])
        #expect(text("\(dir)/.out.staging-notes") == "x", "a name that only looks alike is not ours")
    }

    @Test("A cache entry with one number changed is detected and recomputed: outputs byte-identical to a clean run")
    func corruptCacheEntry() throws {
        let dir = try workspace()
        #expect(try CLI.run(["tiny", "--quiet", "--out", "clean"], in: dir).status == 0)
        let cache = "\(dir)/.simulate-cache"
        let entries = try fileManager.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".json") }.sorted()
        #expect(entries.count == 4 && fileManager.fileExists(atPath: "\(cache)/CACHEDIR.TAG"))
        let entry = "\(cache)/\(entries[0])"
        let original = text(entry)
        let marker = try #require(original.range(of: "\"values\":[["))
        let numberEnd = try #require(original[marker.upperBound...].firstIndex { $0 == "," || $0 == "]" })
        let tampered = original.replacingCharacters(in: marker.upperBound..<numberEnd, with: "0.5")
        #expect(tampered != original)
        try tampered.write(toFile: entry, atomically: true, encoding: .utf8)
        let rerun = try CLI.run(["tiny", "--out", "again"], in: dir)
        #expect(rerun.status == 0)
        #expect(
            rerun.stderr.contains("cache entry \(entry)") && rerun.stderr.contains("is corrupt") && rerun.stderr.contains("reused 3 of 4"),
            "\(rerun.stderr)")
        for file in ["summary.csv", "metrics.csv", "neurons.csv", "aggregate.csv", "reliability.csv"] {
            #expect(fileManager.contents(atPath: "\(dir)/again/\(file)") == fileManager.contents(atPath: "\(dir)/clean/\(file)"), "\(file)")
        }
        // The recomputed run replaced the corrupt entry: a third run reuses all four, without a warning.
        let third = try CLI.run(["tiny", "--out", "third"], in: dir)
        #expect(third.status == 0 && third.stderr.contains("reused 4 of 4") && !third.stderr.contains("corrupt"), "\(third.stderr)")
    }

    @Test(
        "A truncated or garbled CSV: `report` and `report --check` refuse, naming the file and line",
        arguments: [
            ("metrics.csv", "truncated", "ends at line"),
            ("summary.csv", "xyz", "summary.csv: line 1"),
            ("neurons.csv", "abc", "neurons.csv: line 1"),
            ("metrics.csv", "1e999", "metrics.csv: line 3: column value holds '1e999'"),
            ("aggregate.csv", "garbage", "aggregate.csv: line 1"),
            ("summary.csv", "final value", "summary.csv: line 2"),
            ("metrics.csv", "one value", "metrics.csv: changed since simulate wrote it"),
        ])
    func corruptResults(file: String, damage: String, message: String) throws {
        let dir = try workspace()
        #expect(try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir).status == 0)
        let path = "\(dir)/out/\(file)"
        var lines = text(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func replacingLastField(_ line: String, with value: String) -> String {
            String(line[..<(line.lastIndex(of: ",") ?? line.endIndex)]) + "," + value
        }
        switch damage {
        case "truncated": lines = Array(lines.prefix(lines.count / 2)) + [""]  // cut at a row boundary
        case "1e999": lines[2] = replacingLastField(lines[2], with: "1e999")
        case "one value": lines[2] = replacingLastField(lines[2], with: "0.123")
        case "final value": lines[1] = replacingLastField(lines[1], with: "0.5")
        default: lines = [damage, ""]
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let before = tree("\(dir)/out")
        for command in [["report", "--check", "out"], ["report", "out"]] {
            let result = try CLI.run(command, in: dir)
            #expect(result.status == 65, "\(command) \(damage): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(damage): \(result.stderr)")
        }
        #expect(tree("\(dir)/out") == before)
    }

    @Test("scenario.resolved.json may be edited in its report block only: another edit is refused (65), nothing written")
    func resolvedScenarioEdits() throws {
        let dir = try workspace()
        #expect(try CLI.run(["tiny", "--quiet", "--out", "out"], in: dir).status == 0)
        let resolved = "\(dir)/out/scenario.resolved.json"
        try text(resolved).replacingOccurrences(of: "\"steps\": 200", with: "\"steps\": 300").write(
            toFile: resolved, atomically: true, encoding: .utf8)
        let before = tree("\(dir)/out")
        for command in [["report", "--check", "out"], ["report", "out"]] {
            let result = try CLI.run(command, in: dir)
            #expect(result.status == 65 && result.stderr.contains("scenario.resolved.json: no longer describes the runs"), "\(result.stderr)")
        }
        #expect(tree("\(dir)/out") == before)
    }

    @Test("A run cache that cannot be written, or is not simulate's, is a warning on stderr, once; the run still succeeds")
    func unwritableCache() throws {
        let dir = try workspace()
        try "not a folder".write(toFile: "\(dir)/.simulate-cache", atomically: true, encoding: .utf8)
        let blocked = try CLI.run(["tiny", "--out", "out"], in: dir)
        #expect(blocked.status == 0, "\(blocked.stderr)")
        #expect(blocked.stderr.components(separatedBy: "warning: not using").count == 2, "\(blocked.stderr)")
        try fileManager.removeItem(atPath: "\(dir)/.simulate-cache")
        try fileManager.createDirectory(atPath: "\(dir)/.simulate-cache", withIntermediateDirectories: true)
        try "keep".write(toFile: "\(dir)/.simulate-cache/thesis.tex", atomically: true, encoding: .utf8)
        let foreign = try CLI.run(["tiny", "--out", "out"], in: dir)
        #expect(foreign.status == 0 && foreign.stderr.components(separatedBy: "no CACHEDIR.TAG").count == 2, "\(foreign.stderr)")
        #expect(try fileManager.contentsOfDirectory(atPath: "\(dir)/.simulate-cache") == ["thesis.tex"])
    }
}

@Suite("exit codes")
struct ExitCodeDocumentationTests {
    @Test("`simulate --help` and the README list the same exit codes with the same meanings")
    func documented() throws {
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        let helpLines = help.stdout.components(separatedBy: "Exit codes (sysexits):\n").last?.split(separator: "\n") ?? []
        var fromHelp: [String: String] = [:]
        for line in helpLines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let space = trimmed.firstIndex(of: " "), Int(trimmed[..<space]) != nil else { break }
            fromHelp[String(trimmed[..<space])] = trimmed[space...].trimmingCharacters(in: .whitespaces)
        }
        let readme = try String(contentsOfFile: "\(CLI.root)/README.md", encoding: .utf8)
        var fromReadme: [String: String] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count == 2, Int(cells[0]) != nil { fromReadme[cells[0]] = cells[1] }
        }
        #expect(fromHelp.keys.sorted() == ["0", "1", "2", "64", "65", "66", "69", "73", "75"])
        #expect(fromHelp == fromReadme)
    }
}
