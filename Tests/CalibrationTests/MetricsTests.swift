@testable import Calibration
import Foundation
import GSL
import Numerics
import Testing

/// Binary logits whose softmax is exactly (c, 1 − c) up to rounding.
func binaryLogits(_ confidences: [Double]) -> Matrix {
    Matrix(confidences.map { [log($0), log(1 - $0)] })
}

@Suite("Calibration metrics (hand-computed)")
struct MetricsTests {
    // Six samples, all predicted class 0 with confidence c; label 0 = correct, 1 = wrong.
    static let confidences = [0.85, 0.85, 0.75, 0.58, 0.58, 0.52]
    static let labels = [0, 1, 0, 0, 1, 0]
    static let logits = binaryLogits(confidences)

    @Test("ECE with 10 equal-width bins: (2·0.35 + 0.25 + 3·(2/3 − 0.56))/6")
    func equalWidthECE() throws {
        // (0.8, 0.9]: two at 0.85, one right → gap 0.35; (0.7, 0.8]: 0.75 right → gap 0.25;
        // (0.5, 0.6]: 0.58, 0.58, 0.52, two right → |2/3 − 0.56|.
        let expected = (2 * 0.35 + 0.25 + 3 * (2.0 / 3 - 0.56)) / 6
        let ece = try Metrics.expectedCalibrationError(Self.logits, labels: Self.labels, binning: .equalWidth(10))
        #expect(ece.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
        #expect(
            (try Metrics.maximumCalibrationError(Self.logits, labels: Self.labels, binning: .equalWidth(10))).isApproximatelyEqual(
                to: 0.35, absoluteTolerance: 1e-12))
        let bins = try Metrics.reliability(Self.logits, labels: Self.labels, binning: .equalWidth(10))
        #expect(bins.map(\.count) == [0, 0, 0, 0, 0, 3, 0, 1, 2, 0])
    }

    @Test("ECE with 3 equal-mass bins: sorted by confidence, two samples per bin")
    func equalMassECE() throws {
        // {0.52 ✓, 0.58 ✓}: |1 − 0.55|; {0.58 ✗, 0.75 ✓}: |0.5 − 0.665|; {0.85 ✓, 0.85 ✗}: |0.5 − 0.85|.
        let expected = (0.45 + 0.165 + 0.35) / 3
        #expect(
            (try Metrics.expectedCalibrationError(Self.logits, labels: Self.labels, binning: .equalMass(3))).isApproximatelyEqual(
                to: expected, absoluteTolerance: 1e-12))
    }

    @Test("Accuracy, NLL and Brier on the six samples")
    func scores() throws {
        #expect(try Metrics.accuracy(Self.logits, labels: Self.labels) == 4.0 / 6)
        let nll = zip(Self.confidences, Self.labels).map { c, y in y == 0 ? -log(c) : -log(1 - c) }.reduce(0, +) / 6
        #expect((try Metrics.negativeLogLikelihood(Self.logits, labels: Self.labels)).isApproximatelyEqual(to: nll, absoluteTolerance: 1e-12))
        let brier = zip(Self.confidences, Self.labels).map { c, y in y == 0 ? 2 * (1 - c) * (1 - c) : 2 * c * c }.reduce(0, +) / 6
        #expect((try Metrics.brier(Self.logits, labels: Self.labels)).isApproximatelyEqual(to: brier, absoluteTolerance: 1e-12))
    }

    @Test("Class-wise ECE averages per-class calibration errors")
    func classwise() throws {
        // Two classes, two samples: p = (0.7, 0.3) label 0, p = (0.4, 0.6) label 1, 10 equal-width bins.
        // Class 0: bins (0.6,0.7]: 0.7 vs freq 1 → 0.3·½; (0.3,0.4]: 0.4 vs 0 → 0.4·½ → 0.35.
        // Class 1: (0.2,0.3]: 0.3 vs 0 → 0.15; (0.5,0.6]: 0.6 vs 1 → 0.2 → 0.35. Mean 0.35.
        let logits = Matrix([[log(0.7), log(0.3)], [log(0.4), log(0.6)]])
        #expect(
            (try Metrics.classwiseCalibrationError(logits, labels: [0, 1], binning: .equalWidth(10))).isApproximatelyEqual(
                to: 0.35, absoluteTolerance: 1e-12))
    }

    @Test("Balanced, per-class and head/medium/tail accuracy")
    func classAccuracies() throws {
        let logits = Matrix([[3, 0, 0], [3, 0, 0], [0, 3, 0], [3, 0, 0], [0, 0, 3], [0, 3, 0]])
        let labels = [0, 0, 1, 1, 2, 2]
        #expect(try Metrics.perClassAccuracy(logits, labels: labels) == [1, 0.5, 0.5])
        #expect((try Metrics.balancedAccuracy(logits, labels: labels)).isApproximatelyEqual(to: 2.0 / 3, absoluteTolerance: 1e-15))
        #expect(Metrics.headMediumTail(prior: [0.1, 0.6, 0.3]) == [[1], [2], [0]])
        #expect(try Metrics.groupAccuracy(logits, labels: labels, groups: [[0], [1, 2]]) == [1, 0.5])
    }

    @Test("Logit adjustment and the GLA ensemble, by hand")
    func adjustment() throws {
        let logits = Matrix([[1, 2]])
        let adjusted = try adjustLogits(logits, prior: [0.8, 0.2])
        #expect(
            adjusted[0, 0].isApproximatelyEqual(to: (1 - log(0.8)), absoluteTolerance: 1e-15)
                && adjusted[0, 1].isApproximatelyEqual(to: (2 - log(0.2)), absoluteTolerance: 1e-15))
        let ensemble = try glaEnsemble(Matrix([[1, 2]]), prior: [0.5, 0.5], Matrix([[0.5, -1]]), prior: [0.9, 0.1])
        #expect(ensemble[0, 0].isApproximatelyEqual(to: (1 + 0.5 - log(0.5) - log(0.9)), absoluteTolerance: 1e-14))
        #expect(ensemble[0, 1].isApproximatelyEqual(to: (2 - 1 - log(0.5) - log(0.1)), absoluteTolerance: 1e-14))
        // Large logits do not overflow the softmax.
        let p = softmax(Matrix([[1000, 0, -1000]]))
        #expect(p[0, 0] == 1 && p[0, 2] == 0 && !p[0, 1].isNaN)
    }

    @Test("Degenerate inputs give clear errors, never a crash or NaN")
    func degenerate() throws {
        #expect(throws: CalibrationError.tooFewClasses(1)) { try Metrics.accuracy(Matrix([[1], [2]]), labels: [0, 0]) }
        #expect(throws: CalibrationError.nonFinite(row: 1)) { try Metrics.brier(Matrix([[1, 2], [.nan, 0]]), labels: [0, 1]) }
        #expect(throws: CalibrationError.empty) { try Metrics.negativeLogLikelihood(Matrix(rows: 0, columns: 3), labels: []) }
        #expect(throws: CalibrationError.missingClass(2)) { try Metrics.balancedAccuracy(Matrix([[1, 0, 0], [0, 1, 0]]), labels: [0, 1]) }
        #expect(throws: CalibrationError.labelOutOfRange(row: 0, label: 3, classes: 2)) { try Metrics.accuracy(Matrix([[1, 0]]), labels: [3]) }
        #expect(throws: CalibrationError.missingClass(1)) {
            try ScalingFit.fit(Matrix([[1, 0], [2, 0]]), labels: [0, 0], parameters: .bias(temperature: 1))
        }
        // All-equal logits: temperature is irrelevant; the fit stays finite with NLL = log K.
        let flat = Matrix(rows: 8, columns: 4, repeating: 0.5)
        let fit = try ScalingFit.fit(flat, labels: [0, 1, 2, 3, 0, 1, 2, 3], parameters: .temperature)
        #expect(fit.scaling.temperature.isFinite && fit.nll.isApproximatelyEqual(to: log(4), absoluteTolerance: 1e-12))
        #expect(throws: CalibrationError.self) { try ScalingFit.confidenceMatchingTemperature(flat, labels: [0, 1, 2, 3, 0, 1, 2, 3]) }
        #expect(throws: CalibrationError.invalidPrior("entries must be positive and finite")) {
            try adjustLogits(Matrix([[1, 2]]), prior: [1, 0])
        }
    }
}
