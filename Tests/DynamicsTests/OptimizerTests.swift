@testable import Dynamics
import Testing

/// PyTorch SGD: g ← ∇ + λθ; b ← g (first step) or μb + (1−τ)g; θ ← θ − η(b or g + μb).
@Suite("SGD")
struct OptimizerTests {
    @Test("Two heavy-ball steps with weight decay, computed by hand")
    func heavyBall() {
        let sgd = SGDConfiguration(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        var theta = [1.0, -2.0]
        var state = OptimizerState(count: 2)
        var gradient = [0.5, 0.25]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 2)
        // g = [0.51, 0.23]; b = g; θ = [0.949, −2.023]
        #expect(abs(theta[0] - 0.949) < 1e-15 && abs(theta[1] + 2.023) < 1e-15)
        gradient = [0.5, 0.25]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 2)
        // g = [0.50949, 0.22977]; b = [0.9·0.51 + 0.50949, 0.9·0.23 + 0.22977] = [0.96849, 0.43677]
        #expect(abs(theta[0] - (0.949 - 0.096849)) < 1e-14)
        #expect(abs(theta[1] - (-2.023 - 0.043677)) < 1e-14)
    }

    @Test("Two Nesterov steps, computed by hand")
    func nesterov() {
        let sgd = SGDConfiguration(learningRate: 0.1, momentum: 0.5, nesterov: true)
        var theta = [1.0], state = OptimizerState(count: 1), gradient = [2.0]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 1)
        // b = 2; step = g + μb = 3; θ = 0.7
        #expect(abs(theta[0] - 0.7) < 1e-15)
        gradient = [2.0]
        sgd.step(&theta, gradient: &gradient, state: &state, count: 1)
        // b = 0.5·2 + 2 = 3; step = 2 + 1.5 = 3.5; θ = 0.35
        #expect(abs(theta[0] - 0.35) < 1e-15)
    }

    @Test("The orthogonal-part scalar follows the same recursion as a decaying vector")
    func orthogonalScale() {
        for sgd in [SGDConfiguration(learningRate: 0.1, momentum: 0.9, weightDecay: 0.05),
                    SGDConfiguration(learningRate: 0.1, momentum: 0.5, nesterov: true, weightDecay: 0.05),
                    SGDConfiguration(learningRate: 0.1, momentum: 0.3, dampening: 0.2, weightDecay: 0.05)] {
            var vector = [0.7], state = OptimizerState(count: 1)
            var scale = 1.0, buffer = 0.0
            for _ in 0..<20 {
                let started = state.started
                var zero = [0.0]
                sgd.step(&vector, gradient: &zero, state: &state, count: 1)
                sgd.stepOrthogonalScale(coefficient: &scale, buffer: &buffer, started: started)
            }
            #expect(abs(vector[0] - 0.7 * scale) < 1e-14)
        }
    }
}
