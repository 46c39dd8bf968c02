@testable import Dynamics
import Numerics
import Testing

/// Runs two updates from θ = (1, −2) with gradients (0.5, 0.25) then (−0.3, 0.1).
func twoSteps(_ optimizer: OptimizerConfiguration) -> [[Double]] {
    var theta = [1.0, -2.0]
    var state = OptimizerState(count: 2, optimizer: optimizer)
    var trajectory: [[Double]] = []
    for gradient in [[0.5, 0.25], [-0.3, 0.1]] {
        var g = gradient
        optimizer.step(&theta, gradient: &g, state: &state, count: 2, rate: optimizer.learningRate)
        trajectory.append(theta)
    }
    return trajectory
}

func close(_ a: [[Double]], _ b: [[Double]], _ tolerance: Double = 1e-14) -> Bool {
    zip(a.joined(), b.joined()).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: tolerance) }
}

/// Optimisers against two-step trajectories computed by hand from PyTorch's documented update rules
/// (the values were worked out with an independent transcription of those formulas, not this code).
@Suite("Optimizers")
struct OptimizerTests {
    @Test("Adam (coupled L2): step 1 moves each coordinate by ≈ lr, as bias correction makes m̂/√v̂ = ±1")
    func adam() {
        let result = twoSteps(.adam(AdamConfiguration(learningRate: 0.1, weightDecay: 0.01)))
        #expect(close(result, [[0.9000000019607843, -2.099999995652174], [0.8787012438702138, -2.1875525439941064]]))
    }

    @Test("AdamW decays θ by (1 − ηλ) before the Adam step; its default decay is 0.01")
    func adamW() {
        let result = twoSteps(.adam(AdamConfiguration(learningRate: 0.1, weightDecay: 0.1, decoupled: true)))
        #expect(close(result, [[0.890000002, -2.079999996], [0.8619501989217752, -2.1490575117768707]]))
        #expect(AdamConfiguration(decoupled: true).weightDecay == 0.01 && AdamConfiguration().weightDecay == 0)
    }

    @Test("RMSProp, plain and centred with momentum and decay")
    func rmsprop() {
        let plain = twoSteps(.rmsprop(RMSPropConfiguration()))
        #expect(close(plain, [[0.900000019999996, -2.099999960000016], [0.9516397890605408, -2.13730013841659]]))
        let centered = twoSteps(.rmsprop(RMSPropConfiguration(weightDecay: 0.01, momentum: 0.9, centered: true)))
        #expect(close(centered, [[0.8994962382799772, -2.100503737608505], [0.8588236432626449, -2.2238515064000994]]))
    }

    @Test("AdaGrad with learning-rate decay, an initial accumulator and decay")
    func adagrad() {
        let result = twoSteps(
            .adagrad(
                AdaGradConfiguration(
                    learningRate: 0.1, learningRateDecay: 0.5, weightDecay: 0.01,
                    initialAccumulator: 0.1)))
        #expect(close(result, [[0.9150118031107968, -2.0588198744530275], [0.9440886404470212, -2.0720881277237204]]))
    }

    @Test("Plain SGD: θ ← θ − η(∇ + λθ)")
    func plainSGD() {
        let result = twoSteps(.sgd(SGDConfiguration(learningRate: 0.1, weightDecay: 0.5)))
        // step 1: g = (0.5 + 0.5, 0.25 − 1) → θ = (0.9, −1.925); step 2: g = (−0.3 + 0.45, 0.1 − 0.9625)
        #expect(close(result, [[0.9, -1.925], [0.885, -1.83875]]))
    }

    @Test("Learning-rate schedules: step, cosine, warm-up")
    func schedules() {
        let step = LearningRateSchedule(shape: .step(stepSize: 10, gamma: 0.5))
        #expect(step.rate(step: 9, steps: 100, base: 1) == 1 && step.rate(step: 10, steps: 100, base: 1) == 0.5)
        #expect(step.rate(step: 25, steps: 100, base: 1) == 0.25)
        let cosine = LearningRateSchedule(shape: .cosine(minimum: 0.1))
        #expect(cosine.rate(step: 0, steps: 100, base: 1) == 1)
        #expect(cosine.rate(step: 50, steps: 100, base: 1).isApproximatelyEqual(to: 0.55, absoluteTolerance: 1e-15))
        let warm = LearningRateSchedule(shape: .constant, warmup: 4)
        #expect([0, 1, 3, 4].map { warm.rate(step: $0, steps: 10, base: 2) } == [0.5, 1, 2, 2])
    }

    @Test("Two heavy-ball steps with weight decay, computed by hand")
    func heavyBall() {
        let sgd = SGDConfiguration(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        var theta = [1.0, -2.0]
        var state = OptimizerState(count: 2, optimizer: .sgd(sgd))
        var gradient = [0.5, 0.25]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 2, rate: 0.1)
        // g = [0.51, 0.23]; b = g; θ = [0.949, −2.023]
        #expect(
            theta[0].isApproximatelyEqual(to: 0.949, absoluteTolerance: 1e-15) && theta[1].isApproximatelyEqual(to: -2.023, absoluteTolerance: 1e-15))
        gradient = [0.5, 0.25]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 2, rate: 0.1)
        // g = [0.50949, 0.22977]; b = [0.9·0.51 + 0.50949, 0.9·0.23 + 0.22977] = [0.96849, 0.43677]
        #expect(theta[0].isApproximatelyEqual(to: (0.949 - 0.096849), absoluteTolerance: 1e-14))
        #expect(theta[1].isApproximatelyEqual(to: (-2.023 - 0.043677), absoluteTolerance: 1e-14))
    }

    @Test("Two Nesterov steps, computed by hand")
    func nesterov() {
        let sgd = SGDConfiguration(learningRate: 0.1, momentum: 0.5, nesterov: true)
        var theta = [1.0], state = OptimizerState(count: 1, optimizer: .sgd(sgd)), gradient = [2.0]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 1, rate: 0.1)
        // b = 2; step = g + μb = 3; θ = 0.7
        #expect(theta[0].isApproximatelyEqual(to: 0.7, absoluteTolerance: 1e-15))
        gradient = [2.0]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 1, rate: 0.1)
        // b = 0.5·2 + 2 = 3; step = 2 + 1.5 = 3.5; θ = 0.35
        #expect(theta[0].isApproximatelyEqual(to: 0.35, absoluteTolerance: 1e-15))
    }

    @Test("The orthogonal-part scalar follows the same recursion as a decaying vector")
    func orthogonalScale() {
        for sgd in [
            SGDConfiguration(learningRate: 0.1, momentum: 0.9, weightDecay: 0.05),
            SGDConfiguration(learningRate: 0.1, momentum: 0.5, nesterov: true, weightDecay: 0.05),
            SGDConfiguration(learningRate: 0.1, momentum: 0.3, dampening: 0.2, weightDecay: 0.05),
        ] {
            var vector = [0.7], state = OptimizerState(count: 1, optimizer: .sgd(sgd))
            var scale = 1.0, buffer = 0.0
            for _ in 0..<20 {
                let started = state.started
                var zero = [0.0]
                sgd.step(&vector, gradient: &zero, state: &state, count: 1, rate: 0.1)
                sgd.stepOrthogonalScale(coefficient: &scale, buffer: &buffer, started: started, rate: 0.1)
            }
            #expect(vector[0].isApproximatelyEqual(to: 0.7 * scale, absoluteTolerance: 1e-14))
        }
    }
}
