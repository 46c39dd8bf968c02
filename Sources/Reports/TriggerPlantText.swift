import Dynamics

extension TriggerPlant {
    /// Where the trigger is planted, in words: "in 100% of class 0's training samples", ….
    var text: String {
        let percent = { (share: Double) in formatSignificant(share * 100, 3) + "%" }
        switch self {
        case let .classConditional(label, fraction): return "in \(percent(fraction)) of class \(label)'s training samples"
        case let .poison(label, fraction): return "in \(percent(fraction)) of the training samples, relabelled \(label)"
        case let .uncorrelated(fraction): return "in \(percent(fraction)) of the training samples, independent of the label"
        case let .perClass(rates):
            return "in each class's training samples at its own rate ("
                + rates.enumerated().map { "class \($0.offset) \(percent($0.element))" }.joined(separator: ", ") + ")"
        }
    }
}
