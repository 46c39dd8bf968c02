/// The sets a run is evaluated on, under the names its metrics use (`ece_id`, `ood_loss_flip`): the
/// held-out ID test set, `id`, then each background shift by its name. One place for the names, the
/// order and the label; a shift may therefore not be called `id`.
public enum EvaluationSet {
    /// The ID test set's name.
    public static let id = "id"

    /// `id`, then the shifts' names, in the scenario's order.
    public static func names(for data: DataConfiguration) -> [String] { [id] + data.shifts.map(\.name) }

    /// "ID" for the ID set, else the shift's name: how tables and figures show a set.
    public static func label(_ name: String) -> String { name == id ? "ID" : name }
}
