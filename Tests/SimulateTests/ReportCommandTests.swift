import Foundation
import Testing

@Suite("simulate report and figures", .serialized)
struct ReportCommandTests {
    func runTiny() throws -> String {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        let result = try CLI.run(["tiny.json", "--out", "out", "--quiet"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        return dir
    }

    func files(_ folder: String) -> [String: Data] {
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        var out: [String: Data] = [:]
        for path in paths { out[path] = FileManager.default.contents(atPath: "\(folder)/\(path)") }
        return out
    }

    @Test("The report embeds figures and tables, and `simulate report` re-renders them byte for byte")
    func reRenderIsIdentical() throws {
        let dir = try runTiny()
        let before = files("\(dir)/out")
        let report = String(decoding: before["report.md"] ?? Data(), as: UTF8.self)
        let figures = before.keys.filter { $0.hasPrefix("figures/") && $0.hasSuffix(".svg") }.sorted()
        #expect(figures.contains("figures/steps-background_projection.svg") && figures.contains("figures/neurons.svg"))
        #expect(figures.contains("figures/reliability-id.svg") && figures.contains("figures/reliability-flip.svg"))
        let reliability = String(decoding: before["reliability.csv"] ?? Data(), as: UTF8.self)
        #expect(reliability.hasPrefix("run_id,seed,activation,optimizer,set,bin,count,mean_confidence,accuracy\n"))
        #expect(reliability.contains(",id,") && reliability.contains(",flip,"))
        for figure in figures { #expect(report.contains("](\(figure))"), "report.md does not embed \(figure)") }
        #expect(before["tables/final.tex"] != nil && before["tables/calibration.tex"] != nil)
        #expect(String(decoding: before["tables/final.tex"] ?? Data(), as: UTF8.self).contains("\\toprule"))
        #expect(report.contains("*Provenance:*") && report.contains("GSL"))

        try FileManager.default.removeItem(atPath: "\(dir)/out/report.md")
        try FileManager.default.removeItem(atPath: "\(dir)/out/figures")
        let rerender = try CLI.run(["report", "out"], in: dir)
        #expect(rerender.status == 0, "\(rerender.stderr)")
        #expect(files("\(dir)/out") == before)
        #expect(try CLI.run(["report", "--check", "out"], in: dir).status == 0)
    }

    @Test("Editing the figure spec re-renders; --check reports what would change; a bad spec is a data error")
    func editedSpec() throws {
        let dir = try runTiny()
        let resolved = "\(dir)/out/scenario.resolved.json"
        let text = try String(contentsOfFile: resolved, encoding: .utf8)
        try text.replacingOccurrences(of: "\"log_y\": false", with: "\"log_y\": true").write(toFile: resolved, atomically: true, encoding: .utf8)
        let check = try CLI.run(["report", "--check", "out"], in: dir)
        #expect(check.status == 1 && check.stderr.contains("figures/steps-background_projection.svg"))
        #expect(try CLI.run(["report", "out"], in: dir).status == 0)
        #expect(try CLI.run(["report", "--check", "out"], in: dir).status == 0)

        let before = files("\(dir)/out")
        try text.replacingOccurrences(of: "\"y\": \"background_projection\"", with: "\"y\": \"backgrond_projection\"")
            .write(toFile: resolved, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["report", "out"], in: dir)
        #expect(bad.status == 65 && bad.stderr.contains("report.figures[0].y") && bad.stderr.contains("did you mean 'background_projection'?"))
        var unchanged = files("\(dir)/out")
        unchanged["scenario.resolved.json"] = before["scenario.resolved.json"]
        #expect(unchanged == before, "a failed re-render must write nothing")
        #expect(try CLI.run(["report", "no-such-folder"], in: dir).status == 66)
    }

    @Test("A folder with diverged runs re-renders byte for byte: how each run ended is read from the manifest, not parsed")
    func divergedRunsReRender() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.replacingOccurrences(of: #""lr": 0.05"#, with: #""lr": 50"#)
            .replacingOccurrences(of: #""steps": 200,"#, with: #""steps": 200, "loss": "squared","#)
            .write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        let run = try CLI.run(["tiny.json", "--out", "out", "--quiet"], in: dir)
        #expect(run.status == 0 && run.stderr.contains("diverged"), "\(run.stderr)")
        let manifest = try String(contentsOfFile: "\(dir)/out/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"diverged_at_step\""))
        let before = files("\(dir)/out")
        try FileManager.default.removeItem(atPath: "\(dir)/out/report.md")
        #expect(try CLI.run(["report", "out"], in: dir).status == 0)
        #expect(files("\(dir)/out") == before)
    }

    @Test("Every SVG renders to PNG with rsvg-convert (make test installs librsvg2-bin)")
    func svgRenders() throws {
        let converter = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let found = try #require(converter, "rsvg-convert is missing; `make test` (make setup) installs librsvg2-bin")
        let dir = try runTiny()
        let figures = ((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/out/figures")) ?? []).filter { $0.hasSuffix(".svg") }
        #expect(figures.count >= 3)
        for figure in figures {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: found)
            process.arguments = ["\(dir)/out/figures/\(figure)", "-o", "\(dir)/\(figure).png"]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0 && message.isEmpty, "\(figure): \(message)")
            let png = FileManager.default.contents(atPath: "\(dir)/\(figure).png") ?? Data()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 2000, "\(figure) gave no real PNG")
        }
    }
}

@Suite("simulate notebook", .serialized)
struct NotebookCommandTests {
    @Test("A notebook's blocks run, their outputs are written below them, and --check catches an edited number")
    func notebookCheck() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        let text = """
            # Tiny

            Prose stays as it is.

            ```simulate
            run tiny.json --seeds 2 --set training.steps=100
            show metrics background_growth id_accuracy
            show figure steps-background_projection
            ```

            The end.
            """
        try text.write(toFile: "\(dir)/tiny.md", atomically: true, encoding: .utf8)
        let first = try CLI.run(["notebook", "tiny.md", "--work", "work"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let written = try String(contentsOfFile: "\(dir)/tiny.md", encoding: .utf8)
        #expect(written.hasPrefix("# Tiny\n\nProse stays as it is.") && written.hasSuffix("The end."))
        #expect(written.contains("| relu | ") && written.contains("](figures/tiny-1-steps-background_projection.svg)"))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/figures/tiny-1-steps-background_projection.svg"))
        #expect(try CLI.run(["notebook", "--check", "tiny.md", "--work", "work"], in: dir).status == 0)
        // Running again is idempotent.
        #expect(try CLI.run(["notebook", "tiny.md", "--work", "work"], in: dir).status == 0)
        #expect(try String(contentsOfFile: "\(dir)/tiny.md", encoding: .utf8) == written)

        let row = try #require(written.split(separator: "\n").first(where: { $0.hasPrefix("| relu | ") }))
        let edited = written.replacingOccurrences(of: row, with: "| relu | 9.99 | 0.5 |")
        try edited.write(toFile: "\(dir)/tiny.md", atomically: true, encoding: .utf8)
        let check = try CLI.run(["notebook", "--check", "tiny.md", "--work", "work"], in: dir)
        #expect(check.status == 1)
        #expect(check.stdout.contains("- | relu | 9.99 | 0.5 |") && check.stdout.contains("+ \(row)"), "\(check.stdout)")
        #expect(try String(contentsOfFile: "\(dir)/tiny.md", encoding: .utf8) == edited, "--check must not write")
    }

    @Test("Bad blocks are clear errors: unknown directive, unknown figure, bad flags")
    func badBlocks() throws {
        let dir = try CLI.temporaryDirectory()
        try tinyScenario.write(toFile: "\(dir)/tiny.json", atomically: true, encoding: .utf8)
        func check(_ block: String) throws -> CLI.Output {
            try "```simulate\n\(block)\n```\n".write(toFile: "\(dir)/bad.md", atomically: true, encoding: .utf8)
            return try CLI.run(["notebook", "bad.md", "--work", "work"], in: dir)
        }
        let directive = try check("run tiny.json --seeds 1 --set training.steps=20\nshow everything")
        #expect(directive.status == 65 && directive.stderr.contains("unknown directive"))
        let figure = try check("run tiny.json --seeds 1 --set training.steps=20\nshow figure nope")
        #expect(figure.status == 65 && figure.stderr.contains("no figure 'nope'") && figure.stderr.contains("neurons"))
        let flag = try check("run tiny.json --sedes 1")
        #expect(flag.status == 64)
    }
}
