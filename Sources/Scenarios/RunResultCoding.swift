import Schema
import Dynamics

/// RunResult ↔ JSON, exactly: numbers use the shortest round-trip form; non-finite ones are strings.
enum RunResultCoding {
    static func number(_ x: Double) -> JSONValue {
        x.isFinite ? .number(x) : .string(x.isNaN ? "nan" : x > 0 ? "inf" : "-inf")
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case let .number(x, _): x
        case .string("nan"): .nan
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        default: nil
        }
    }

    static func encode(_ result: RunResult, wallSeconds: Double, material: String) -> JSONValue {
        let status: JSONValue
        switch result.status {
        case .completed: status = .string("completed")
        case let .diverged(step): status = .integer(step)
        }
        return .object([
            ("material", .string(material)),
            ("wall_seconds", .number(wallSeconds)),
            ("status", status),
            ("representation", .string(result.representation.rawValue)),
            ("metric_names", .array(result.metricNames.map { .string($0) })),
            ("steps", .array(result.steps.map { .integer($0) })),
            ("values", .array(result.values.map { .array($0.map(number)) })),
            ("neuron_columns", .array(result.neurons.columns.map { .string($0) })),
            ("neurons", .array(result.neurons.rows.map { .array($0.map(number)) })),
            ("final_extras", .array(result.finalExtras.map { .array([.string($0.name), number($0.value)]) })),
            ("reliability", .array(result.reliability.map {
                .array([.string($0.set), .integer($0.bin), .integer($0.count), number($0.confidence), number($0.accuracy)])
            })),
        ])
    }

    static func decode(_ document: JSONValue) -> (result: RunResult, wallSeconds: Double)? {
        func doubles(_ value: JSONValue?) -> [Double]? {
            guard case let .array(items)? = value else { return nil }
            let parsed = items.compactMap(double)
            return parsed.count == items.count ? parsed : nil
        }
        func integers(_ value: JSONValue?) -> [Int]? {
            guard let parsed = doubles(value) else { return nil }
            let exact = parsed.compactMap { Int(exactly: $0) }
            return exact.count == parsed.count ? exact : nil
        }
        func rows(_ value: JSONValue?) -> [[Double]]? {
            guard case let .array(items)? = value else { return nil }
            let parsed = items.compactMap { doubles($0) }
            return parsed.count == items.count ? parsed : nil
        }
        guard case let .array(nameItems)? = document["metric_names"],
              let steps = integers(document["steps"]),
              let values = rows(document["values"]), let neurons = rows(document["neurons"]),
              case let .string(representationName)? = document["representation"],
              let representation = Representation(rawValue: representationName),
              let wall = document["wall_seconds"].flatMap(double) else { return nil }
        let names = nameItems.compactMap { if case let .string(s) = $0 { s } else { nil } }
        guard case let .array(columnItems)? = document["neuron_columns"] else { return nil }
        let columns = columnItems.compactMap { if case let .string(s) = $0 { s } else { nil } }
        guard names.count == nameItems.count, values.count == steps.count, values.allSatisfy({ $0.count == names.count })
        else { return nil }
        let status: RunStatus
        switch document["status"] {
        case .string("completed")?: status = .completed
        case let .number(step, _)? where Int(exactly: step) != nil: status = .diverged(step: Int(step))
        default: return nil
        }
        var result = RunResult(metricNames: names, steps: steps, values: values, neurons: NeuronTable(columns: columns, rows: neurons),
                               status: status, representation: representation)
        guard case let .array(extras)? = document["final_extras"] else { return nil }
        for extra in extras {
            guard case let .array(pair) = extra, pair.count == 2, case let .string(name) = pair[0],
                  let value = double(pair[1]) else { return nil }
            result.finalExtras.append((name, value))
        }
        guard case let .array(bins)? = document["reliability"] else { return nil }
        for bin in bins {
            guard case let .array(fields) = bin, fields.count == 5, case let .string(set) = fields[0],
                  let index = double(fields[1]).flatMap({ Int(exactly: $0) }), let count = double(fields[2]).flatMap({ Int(exactly: $0) }),
                  let confidence = double(fields[3]), let accuracy = double(fields[4]) else { return nil }
            result.reliability.append(ReliabilityRow(set: set, bin: index, count: count, confidence: confidence, accuracy: accuracy))
        }
        return (result, wall)
    }
}
