import Dynamics
import Foundation

/// A finished run as the run cache stores it, Codable: what `material` (the cache key's text)
/// identifies and every number the run produced. Doubles round-trip exactly; non-finite ones are the
/// strings "nan", "inf" and "-inf". Completed and diverged runs are stored (a divergence is a result,
/// as deterministic as any other); runs that failed before training are not.
struct RunRecord: Codable, Equatable {
    struct FinalValue: Codable, Equatable {
        var name: String
        var value: Double
    }

    struct ReliabilityBin: Codable, Equatable {
        var set: String
        var bin: Int
        var count: Int
        var confidence: Double
        var accuracy: Double
    }

    var material: String
    var wallSeconds: Double
    var representation: String
    var metricNames: [String]
    var steps: [Int]
    var values: [[Double]]
    var neuronColumns: [String]
    var neurons: [[Double]]
    var finalValues: [FinalValue]
    var reliability: [ReliabilityBin]
    /// The step at which the run diverged; nil for a completed run.
    var divergedAtStep: Int?
    /// The last in-bounds batch loss of a diverged run (nil when there was none).
    var lastFiniteLoss: Double?

    init(_ result: RunResult, wallSeconds: Double, material: String) {
        self.material = material
        self.wallSeconds = wallSeconds
        representation = result.representation.rawValue
        metricNames = result.metricNames
        steps = result.steps
        values = result.values
        neuronColumns = result.neurons.columns
        neurons = result.neurons.rows
        finalValues = result.finalExtras.map { FinalValue(name: $0.name, value: $0.value) }
        reliability = result.reliability.map {
            ReliabilityBin(set: $0.set, bin: $0.bin, count: $0.count, confidence: $0.confidence, accuracy: $0.accuracy)
        }
        if case let .diverged(step, loss) = result.status {
            divergedAtStep = step
            lastFiniteLoss = loss.isFinite ? loss : nil
        }
    }

    /// The run's result, or nil if the record is inconsistent (shapes that do not fit, an unknown
    /// representation).
    var result: RunResult? {
        guard let representation = Representation(rawValue: representation), values.count == steps.count,
            values.allSatisfy({ $0.count == metricNames.count }), neurons.allSatisfy({ $0.count == neuronColumns.count }),
            (divergedAtStep ?? 0) >= 0
        else { return nil }
        var result = RunResult(
            metricNames: metricNames, steps: steps, values: values,
            neurons: NeuronTable(columns: neuronColumns, rows: neurons),
            status: divergedAtStep.map { .diverged(step: $0, lastFiniteLoss: lastFiniteLoss ?? .nan) } ?? .completed,
            representation: representation)
        result.finalExtras = finalValues.map { ($0.name, $0.value) }
        result.reliability = reliability.map {
            ReliabilityRow(set: $0.set, bin: $0.bin, count: $0.count, confidence: $0.confidence, accuracy: $0.accuracy)
        }
        return result
    }

    static func encoded(_ record: RunRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }

    static func decoded(_ text: Substring) -> RunRecord? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(RunRecord.self, from: Data(text.utf8))
    }
}
