/// The optimiser state of a float64 parameter tensor.
public typealias OptimizerState = OptimizerStateOf<Double>

/// The state of an optimiser for one parameter tensor (stored flat): the momentum or first-moment
/// buffer, the second-moment or accumulator buffer, the centred-RMSProp gradient average, and the
/// number of steps taken.
public struct OptimizerStateOf<Scalar: EngineScalar> {
    var first: [Scalar]
    var second: [Scalar]
    var average: [Scalar]
    var steps = 0

    init(count: Int, optimizer: OptimizerConfiguration) {
        first = [Scalar](repeating: 0, count: count)
        second = [Scalar](repeating: Scalar(optimizer.rule.initialSecondMoment), count: count)
        average = [Scalar](repeating: 0, count: count)
    }

    var started: Bool { steps > 0 }
}
