import Dynamics
import Foundation
import GSL
import Scenarios

/// Reads a results folder back — the resolved scenario, the manifest and the CSVs — into the scenario,
/// run outcomes and provenance that wrote it, so its report, figures and tables can be re-rendered
/// without running anything. The CSVs hold every number in round-trip form, so the re-render is exact.
public enum ResultsLoader {
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
        /// 65 (data) for unreadable or inconsistent files, 66 (no input) for a missing folder or file.
        public let exitCode: Int32
    }

    public static func load(_ directory: String) throws(LoadError) -> ResultsBundle {
        func read(_ name: String) throws(LoadError) -> String {
            guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
                throw LoadError(description: "\(directory)/\(name) is missing; is \(directory) a simulate results folder?", exitCode: 66)
            }
            return String(decoding: data, as: UTF8.self)
        }
        func broken(_ file: String, _ message: String) -> LoadError {
            LoadError(description: "\(directory)/\(file): \(message)", exitCode: 65)
        }
        let scenario: Scenario
        let resolvedText = try read("scenario.resolved.json")
        do {
            scenario = try ScenarioDecoder.decode(resolvedText, file: "\(directory)/scenario.resolved.json")
        } catch {
            throw LoadError(description: "\(error)", exitCode: 65)
        }
        guard let manifest = try? JSONParser.parse(try read("manifest.json")), let provenance = Provenance(manifest: manifest),
              case let .array(runEntries)? = manifest["runs"] else {
            throw broken("manifest.json", "not a simulate manifest")
        }
        var timing: [String: (seconds: Double, reused: Bool)] = [:]
        for entry in runEntries {
            guard case let .string(id)? = entry["run_id"], case let .number(seconds, _)? = entry["wall_seconds"] else { continue }
            timing[id] = (seconds, entry["reused"] == .bool(true))
        }
        let summary = try table(try read("summary.csv"), file: "summary.csv", broken: broken)
        let metrics = try table(try read("metrics.csv"), file: "metrics.csv", broken: broken)
        let neurons = try table(try read("neurons.csv"), file: "neurons.csv", broken: broken)
        // Folders written before reliability diagrams existed have no reliability.csv: no bins, then.
        let reliability = FileManager.default.fileExists(atPath: "\(directory)/reliability.csv")
            ? try table(try read("reliability.csv"), file: "reliability.csv", broken: broken) : Table(header: [:], rows: [:])
        var outcomes: [RunOutcome] = []
        for run in scenario.runs {
            guard let row = summary.rows[run.id]?.first, let (seconds, reused) = timing[run.id] else {
                throw broken("summary.csv", "no row for run \(run.id) of the resolved scenario")
            }
            let status = summary.field(row, "status")
            if status.hasPrefix("failed: ") {
                let error = gslError(String(status.dropFirst(8)))
                outcomes.append(RunOutcome(run: run, result: .failure(error), wallSeconds: seconds, reused: reused))
                continue
            }
            let data = run.configuration.data
            let names = Metric.names(for: data)
            var steps: [Int] = [], values: [[Double]] = [], extras: [(name: String, value: Double)] = []
            for entry in metrics.rows[run.id] ?? [] {
                guard let step = Int(metrics.field(entry, "step")), let value = Double(metrics.field(entry, "value")) else {
                    throw broken("metrics.csv", "unreadable row for run \(run.id)")
                }
                let name = metrics.field(entry, "metric")
                if let j = names.firstIndex(of: name) {
                    if steps.last != step {
                        steps.append(step)
                        values.append([Double](repeating: .nan, count: names.count))
                    }
                    values[values.count - 1][j] = value
                } else {
                    extras.append((name, value))
                }
            }
            let runStatus: RunStatus
            if status == "completed" {
                runStatus = .completed
            } else if status.hasPrefix("diverged at step "), let step = Int(status.dropFirst(17)) {
                runStatus = .diverged(step: step)
            } else {
                throw broken("summary.csv", "unknown status '\(status)' for run \(run.id)")
            }
            guard let representation = Representation(rawValue: summary.field(row, "representation")) else {
                throw broken("summary.csv", "unknown representation for run \(run.id)")
            }
            let columns = NeuronTable.columns(multiclass: data.isMulticlass)
            let neuronRows = (neurons.rows[run.id] ?? []).map { entry in columns.map { Double(neurons.field(entry, $0)) ?? .nan } }
            var result = RunResult(metricNames: names, steps: steps, values: values,
                                   neurons: NeuronTable(columns: columns, rows: neuronRows), status: runStatus,
                                   representation: representation)
            result.finalExtras = extras
            for entry in reliability.rows[run.id] ?? [] {
                guard let bin = Int(reliability.field(entry, "bin")), let count = Int(reliability.field(entry, "count")),
                      let confidence = Double(reliability.field(entry, "mean_confidence")),
                      let accuracy = Double(reliability.field(entry, "accuracy")) else {
                    throw broken("reliability.csv", "unreadable row for run \(run.id)")
                }
                result.reliability.append(ReliabilityRow(set: reliability.field(entry, "set"), bin: bin, count: count,
                                                         confidence: confidence, accuracy: accuracy))
            }
            outcomes.append(RunOutcome(run: run, result: .success(result), wallSeconds: seconds, reused: reused))
        }
        return ResultsBundle(scenario: scenario, outcomes: outcomes, provenance: provenance, resolvedText: resolvedText)
    }

    /// The GSL error whose description is `text` (as `summary.csv` records it).
    static func gslError(_ text: String) -> GSLError {
        let prefix = "GSL error in "
        if text.hasPrefix(prefix), text.hasSuffix(")"), let open = text.range(of: " (status ", options: .backwards),
           let status = Int32(text[open.upperBound..<text.index(before: text.endIndex)]) {
            let body = text[text.index(text.startIndex, offsetBy: prefix.count)..<open.lowerBound]
            let reason = GSLError.reason(status)
            if body.hasSuffix(": " + reason) { return GSLError(status: status, operation: String(body.dropLast(reason.count + 2))) }
        }
        return GSLError(status: -1, operation: text)
    }

    /// A CSV file's rows grouped by `run_id`, with header lookup.
    struct Table {
        let header: [String: Int]
        let rows: [String: [[String]]]

        func field(_ row: [String], _ column: String) -> String {
            guard let i = header[column], i < row.count else { return "" }
            return row[i]
        }
    }

    static func table(_ text: String, file: String, broken: (String, String) -> LoadError) throws(LoadError) -> Table {
        let parsed = CSVTable.parse(text)
        guard let head = parsed.first, head.first == "run_id" else { throw broken(file, "no header starting with run_id") }
        var rows: [String: [[String]]] = [:]
        for row in parsed.dropFirst() {
            guard row.count == head.count else { throw broken(file, "a row has \(row.count) fields, the header \(head.count)") }
            rows[row[0], default: []].append(row)
        }
        return Table(header: Dictionary(head.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a }), rows: rows)
    }
}
