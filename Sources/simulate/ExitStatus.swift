/// Every exit status `simulate` uses, with what it means: the one list that `--help` prints and the
/// README copies.
enum ExitStatus {
    static let all: [(code: Int32, meaning: String)] = [
        (0, "success"),
        (1, "`report --check` or `notebook --check`: a file would change"),
        (64, "usage: bad flag or value, unknown scenario, `--set` on an unknown field, a results path that is not allowed"),
        (65, "invalid data: scenario (file, field path, value, what is allowed), a corrupt or inconsistent results file (file and line)"),
        (66, "missing input: no such results folder, notebook or results file"),
        (73, "cannot create output: a file simulate did not write is in the way (named), or a write failed"),
        (75, "temporary: another simulate is writing that results folder (try again when it is done)"),
    ]

    static var table: String {
        all.map { "  \(String($0.code).padding(toLength: 4, withPad: " ", startingAt: 0)) \($0.meaning)" }.joined(separator: "\n")
    }
}
