import Scenarios
import Schema

extension FigureSpec {
    /// One declared figure: the kind reads and checks its axes, then the filter, the series and the
    /// selection are checked against the scenario's sweep.
    static func decode(_ reader: ObjectReader, in scenario: FigureContext) throws(ScenarioError) -> FigureSpec {
        let read = FieldReader(reader)
        let kind = try read(kindField)
        let (x, y) = try kind.axes(reader, in: scenario)
        let columns = scenario.columns, cells = scenario.cells
        var filter: [(column: String, value: String)] = []
        if let value = reader.value("filter") {
            guard case let .object(members) = value else { throw reader.invalid("filter", "expected an object {sweep column: value}") }
            for member in members {
                guard columns.contains(member.key) else {
                    throw ScenarioError(
                        .invalid, path: reader.fieldPath("filter") + ".\(member.key)",
                        "not a swept column; " + (columns.isEmpty ? "this scenario sweeps nothing" : suggestion(for: member.key, in: columns)))
                }
                let text: String
                if case let .string(string) = member.value { text = string } else { text = member.value.compactText }
                filter.append((member.key, text))
            }
        }
        var groupBy: String?
        if reader.value("group_by") != nil {
            guard kind.groupsSeries else {
                let kinds = FigureKinds.all.filter(\.groupsSeries).map { "\"\($0.name)\"" }.joined(separator: " and ")
                throw reader.invalid(
                    "group_by",
                    "only for \(kinds) figures (a \"\(kind.name)\" figure has one series per estimator or configuration, or one panel per configuration)"
                )
            }
            groupBy = try reader.choice("group_by", default: nil, from: columns.filter { $0 != x })
        }
        let spec = FigureSpec(
            name: try read.optional(nameField), kind: kind, title: try read.optional(titleField),
            x: x, y: y, filter: filter, groupBy: groupBy, logY: try read(logYField))
        guard cells.contains(where: spec.selects) else {
            let values = columns.map { column in
                "\(column): " + Array(Set(cells.compactMap { $0.assignments.first { $0.column == column }?.value })).sorted().joined(separator: ", ")
            }
            throw reader.invalid("filter", "selects no configuration (an empty figure); values are " + values.joined(separator: "; "))
        }
        // Each drawn point must be one configuration: with group_by, the other swept columns must be fixed.
        if let groupBy = spec.groupBy {
            var seen = Set<String>()
            for cell in cells.filter(spec.selects) where !seen.insert(kind.point(of: cell, in: spec)).inserted {
                let free = columns.filter { column in column != groupBy && column != spec.x && !spec.filter.contains { $0.column == column } }
                throw reader.invalid(
                    "group_by",
                    "'\(groupBy)' leaves several configurations per point (they differ in \(free.joined(separator: ", "))); fix those columns with \"filter\""
                )
            }
        }
        return spec
    }
}
