import Schema
import Dynamics
import Foundation
import GSL
import Scenarios

/// Reads a results folder back — the resolved scenario, the manifest and the CSVs — into the scenario,
/// run outcomes and provenance that wrote it, so its report, figures and tables can be re-rendered
/// without running anything. The CSVs hold every number in round-trip form, so the re-render is exact.
///
/// Nothing unverified is used: every data file must match the size and SHA-256 the manifest lists;
/// every CSV row must have the header's field count and numbers in the form simulate writes; every
/// run must have all its probes; and the CSVs must be exactly what the loaded runs would produce.
/// `scenario.resolved.json` may differ from the manifest only in its `report` block (the rest must hash
/// to the manifest's `scenario_runs_sha256`).
public enum ResultsLoader {
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
        /// 65 (data) for unreadable, corrupt or inconsistent files, 66 (no input) for a missing folder or file.
        public let exitCode: Int32
    }

    /// The folder's bundle and the inventory its manifest lists.
    public static func load(_ directory: String) throws(LoadError) -> (bundle: ResultsBundle, inventory: FileInventory) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LoadError(description: "\(directory): no such results folder", exitCode: 66)
        }
        func read(_ name: String) throws(LoadError) -> String {
            guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
                throw LoadError(description: "\(directory)/\(name) is missing; is \(directory) a simulate results folder?", exitCode: 66)
            }
            return String(decoding: data, as: UTF8.self)
        }
        func broken(_ file: String, _ message: String) -> LoadError {
            LoadError(description: "\(directory)/\(file): \(message)", exitCode: 65)
        }
        let manifestText = try read(ResultsFolder.manifestName)
        guard let manifest = Manifest(text: manifestText) else {
            throw broken(
                "manifest.json",
                Manifest.inventory(text: manifestText) == nil
                    ? "not a simulate manifest, or one without file checksums (written before simulate 0.2), so its data cannot be verified; run the scenario again"
                    : "not a complete simulate manifest (a run entry or a provenance field is missing or malformed)")
        }
        let provenance = Provenance(manifest: manifest), inventory = manifest.files
        var timing: [String: (seconds: Double, reused: Bool, outcome: Result<RunStatus, RunFailure>)] = [:]
        for run in manifest.runs {
            let outcome: Result<RunStatus, RunFailure> =
                switch run.outcome {
                case .completed: .success(.completed)
                case let .diverged(step, loss): .success(.diverged(step: step, lastFiniteLoss: loss ?? .nan))
                case let .failed(error): .failure(.gsl(error))
                case let .missing(reason): .failure(.missing(reason: reason))
                }
            timing[run.runId] = (run.wallSeconds, run.reused, outcome)
        }
        // Well-formed first (errors name a line), then complete, then unchanged (checked at the end,
        // after a comparison with what the runs produce has had the chance to name the line).
        var texts: [String: String] = [:], parsed: [String: [(line: Int, fields: [String])]] = [:], changed: [String] = []
        for name in ResultsBundle.dataFileNames where name != "scenario.resolved.json" {
            let text = try read(name)
            texts[name] = text
            guard let record = inventory.record(name) else { throw broken(name, "not listed in manifest.json, so it cannot be verified") }
            parsed[name] = try checkShape(text, file: name, broken: broken)
            let bytes = Array(text.utf8)
            let lines = bytes.count { $0 == 0x0A }
            if lines < record.lines {
                throw broken(
                    name,
                    "ends at line \(lines + 1), but simulate wrote \(record.lines) lines (\(record.bytes) bytes; the file has \(bytes.count)): it is truncated"
                )
            }
            if bytes.count != record.bytes || SHA256.hex(bytes) != record.sha256 { changed.append(name) }
        }
        let resolvedText = try read("scenario.resolved.json")
        let scenario: Scenario, report: ReportSpec
        do {
            let loaded = try LoadedScenario.decode(resolvedText, file: "\(directory)/scenario.resolved.json")
            (scenario, report) = (loaded.scenario, loaded.report)
        } catch {
            throw LoadError(description: "\(error)", exitCode: 65)
        }
        if !inventory.matches("scenario.resolved.json", Data(resolvedText.utf8)) {
            // Edited: only the report block may be (what decides the runs must be unchanged).
            guard Provenance.runsDefinitionHash(resolvedText) == manifest.scenarioRunsSha256,
                Set(scenario.runs.map(\.id)) == Set(timing.keys)
            else {
                throw broken(
                    "scenario.resolved.json",
                    "no longer describes the runs these results came from; "
                        + "only its \"report\" block may be edited — run the scenario again to change anything else")
            }
        }
        let summary = try table(parsed["summary.csv"] ?? [], file: "summary.csv", broken: broken)
        let metrics = try table(parsed["metrics.csv"] ?? [], file: "metrics.csv", broken: broken)
        let neurons = try table(parsed["neurons.csv"] ?? [], file: "neurons.csv", broken: broken)
        let reliability = try table(parsed["reliability.csv"] ?? [], file: "reliability.csv", broken: broken)
        var outcomes: [RunOutcome] = []
        for run in scenario.runs {
            guard let row = summary.rows[run.id]?.first, let (seconds, reused, outcome) = timing[run.id] else {
                throw broken("summary.csv", "no row for run \(run.id) of the resolved scenario")
            }
            let runStatus: RunStatus
            switch outcome {
            case let .failure(error):
                outcomes.append(RunOutcome(run: run, result: .failure(error), wallSeconds: seconds, reused: reused))
                continue
            case let .success(status):
                runStatus = status
            }
            let names = Metric.names(for: run.configuration)
            var steps: [Int] = [], values: [[Double]] = [], extras: [(name: String, value: Double)] = []
            for entry in metrics.rows[run.id] ?? [] {
                let step = try integer(metrics, entry, "step", file: "metrics.csv", broken: broken)
                let value = try number(metrics, entry, "value", file: "metrics.csv", broken: broken)
                let name = metrics.field(entry, "metric")
                if let j = names.firstIndex(of: name) {
                    if steps.last != step {
                        guard steps.last.map({ step > $0 }) ?? true else {
                            throw broken("metrics.csv", "line \(entry.line): step \(step) of run \(run.id) is out of order")
                        }
                        steps.append(step)
                        values.append([Double](repeating: .nan, count: names.count))
                    }
                    values[values.count - 1][j] = value
                } else {
                    extras.append((name, value))
                }
            }
            let expectedSteps = (try? integer(summary, row, "final_step", file: "summary.csv", broken: broken)) ?? -1
            guard steps.last == expectedSteps else {
                let last = metrics.rows[run.id]?.last?.line ?? 1
                throw broken(
                    "metrics.csv",
                    "line \(last): run \(run.id) ends at step \(steps.last ?? 0), but summary.csv records its final step as \(expectedSteps) (truncated?)"
                )
            }
            guard let representation = Representation(rawValue: summary.field(row, "representation")) else {
                throw broken("summary.csv", "line \(row.line): unknown representation for run \(run.id)")
            }
            let columns = NeuronTable.columns(for: run.configuration)
            var neuronRows: [[Double]] = []
            for entry in neurons.rows[run.id] ?? [] {
                var values: [Double] = []
                for column in columns { values.append(try number(neurons, entry, column, file: "neurons.csv", broken: broken)) }
                neuronRows.append(values)
            }
            var result = RunResult(
                metricNames: names, steps: steps, values: values,
                neurons: NeuronTable(columns: columns, rows: neuronRows), status: runStatus,
                representation: representation)
            result.finalExtras = extras
            for entry in reliability.rows[run.id] ?? [] {
                let bin = try integer(reliability, entry, "bin", file: "reliability.csv", broken: broken)
                let count = try integer(reliability, entry, "count", file: "reliability.csv", broken: broken)
                let confidence = try number(reliability, entry, "mean_confidence", file: "reliability.csv", broken: broken)
                let accuracy = try number(reliability, entry, "accuracy", file: "reliability.csv", broken: broken)
                result.reliability.append(
                    ReliabilityRow(
                        set: reliability.field(entry, "set"), bin: bin, count: count,
                        confidence: confidence, accuracy: accuracy))
            }
            outcomes.append(RunOutcome(run: run, result: .success(result), wallSeconds: seconds, reused: reused))
        }
        let bundle = ResultsBundle(scenario: scenario, report: report, outcomes: outcomes, provenance: provenance, resolvedText: resolvedText)
        // The CSVs must be exactly what these runs produce: a row that is not (an edited final value, a
        // missing metric) is named by its line.
        for (name, regenerated) in bundle.dataFiles where name.hasSuffix(".csv") {
            guard let text = texts[name], text != regenerated else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = regenerated.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(lines.count, expected.count)).first { lines[$0] != expected[$0] }.map { $0 + 1 } ?? min(lines.count, expected.count)
            throw broken(name, "line \(line) does not agree with the other files of the folder (it is not what the recorded runs produce)")
        }
        if let name = changed.first {
            let record = inventory.record(name), bytes = Array((texts[name] ?? "").utf8)
            throw broken(
                name,
                "changed since simulate wrote it: its SHA-256 differs from the one manifest.json records "
                    + "(\(bytes.count) bytes now, \(record?.bytes ?? 0) written); re-run the scenario or restore the file")
        }
        return (bundle, inventory)
    }

    /// RFC 4180 structure: quotes closed, a header of names, every row with the header's field count.
    /// Returns the rows (with their lines), so that each file is parsed once.
    static func checkShape(_ text: String, file: String, broken: (String, String) -> LoadError) throws(LoadError)
        -> [(line: Int, fields: [String])]
    {
        let parsed = CSVTable.parseNumbered(text)
        if let line = parsed.unterminatedQuoteLine { throw broken(file, "line \(line): a quoted field is never closed") }
        guard let head = parsed.rows.first, head.fields.count > 1, head.fields.allSatisfy({ !$0.isEmpty && Double($0) == nil }) else {
            throw broken(file, "line 1: not a header simulate writes")
        }
        for row in parsed.rows.dropFirst() where row.fields.count != head.fields.count {
            throw broken(file, "line \(row.line): \(row.fields.count) fields, the header has \(head.fields.count)")
        }
        return parsed.rows
    }

    /// A CSV file's rows grouped by `run_id`, with header lookup and line numbers.
    struct Table {
        let header: [String: Int]
        let rows: [String: [(line: Int, fields: [String])]]

        func field(_ row: (line: Int, fields: [String]), _ column: String) -> String {
            guard let i = header[column], i < row.fields.count else { return "" }
            return row.fields[i]
        }
    }

    /// Rows already checked by `checkShape`, grouped by `run_id`.
    static func table(_ parsed: [(line: Int, fields: [String])], file: String, broken: (String, String) -> LoadError) throws(LoadError) -> Table {
        guard let head = parsed.first, head.fields.first == "run_id" else { throw broken(file, "line 1: no header starting with run_id") }
        var rows: [String: [(line: Int, fields: [String])]] = [:]
        for row in parsed.dropFirst() { rows[row.fields[0], default: []].append(row) }
        return Table(header: Dictionary(head.fields.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a }), rows: rows)
    }

    /// A number as simulate writes it (shortest round-trip form, `nan`, `inf`): `1e999` or `0.10` is not.
    static func number(
        _ table: Table, _ row: (line: Int, fields: [String]), _ column: String, file: String,
        broken: (String, String) -> LoadError
    ) throws(LoadError) -> Double {
        let text = table.field(row, column)
        guard let value = Double(text), CSVTable.number(value) == text else {
            throw broken(file, "line \(row.line): column \(column) holds '\(text.prefix(40))', not a number as simulate writes it")
        }
        return value
    }

    static func integer(
        _ table: Table, _ row: (line: Int, fields: [String]), _ column: String, file: String,
        broken: (String, String) -> LoadError
    ) throws(LoadError) -> Int {
        let text = table.field(row, column)
        guard let value = Int(text), value >= 0, String(value) == text else {
            throw broken(file, "line \(row.line): column \(column) holds '\(text.prefix(40))', not a non-negative integer")
        }
        return value
    }
}
