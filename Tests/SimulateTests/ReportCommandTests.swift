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

    @Test("Every SVG renders to PNG with rsvg-convert (required in CI)")
    func svgRenders() throws {
        let which = try CLI.run(["--help"])  // the binary works; now look for the converter
        #expect(which.status == 0)
        let converter = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let converter else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "rsvg-convert is missing; .ci/run installs librsvg2-bin")
            return
        }
        let dir = try runTiny()
        let figures = ((try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/out/figures")) ?? []).filter { $0.hasSuffix(".svg") }
        #expect(figures.count >= 3)
        for figure in figures {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: converter)
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
