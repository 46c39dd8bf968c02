/// The state of an optimiser for one parameter tensor (stored flat): the momentum or first-moment
/// buffer, the second-moment or accumulator buffer, the centred-RMSProp gradient average, and the
/// number of steps taken.
public struct OptimizerState {
    var first: [Double]
    var second: [Double]
    var average: [Double]
    var steps = 0

    init(count: Int, optimizer: OptimizerConfiguration) {
        first = [Double](repeating: 0, count: count)
        second = [Double](repeating: optimizer.rule.initialSecondMoment, count: count)
        average = [Double](repeating: 0, count: count)
    }

    var started: Bool { steps > 0 }
}
