import Dynamics
import Foundation
@testable import Scenarios
import TestSupport
import Testing

@Suite("Run cache")
struct RunCacheTests {
    @Test("A stored run loads back bit-identical, NaN included; other seeds and configurations miss")
    func roundTrip() throws {
        let scenario = try ScenarioDecoder.decode(withField(["training", "steps"], "30"), file: "s.json")
        let run = scenario.runs[0]
        var result = try Simulation.run(run.configuration, seed: run.seed)
        result.values[0][0] = .nan
        result.values[0][1] = -.infinity
        result.finalExtras = [("ece_id", 0.125), ("temperature_id", .nan)]
        let directory = NSTemporaryDirectory() + "cache-\(UUID().uuidString)"
        let cache = RunCache(directory: directory)
        cache.store(run, result: result, wallSeconds: 1.5, blas: "OpenBLAS")
        let loaded = try #require(cache.load(run, blas: "OpenBLAS"))
        #expect(loaded.wallSeconds == 1.5)
        #expect(loaded.result.values[0][0].isNaN && loaded.result.values[0][1] == -.infinity)
        #expect(Array(loaded.result.values.dropFirst()) == Array(result.values.dropFirst()))
        #expect(loaded.result.neurons == result.neurons && loaded.result.steps == result.steps)
        #expect(loaded.result.finalExtras.map(\.name) == ["ece_id", "temperature_id"])
        #expect(loaded.result.finalExtras[0].value == 0.125 && loaded.result.finalExtras[1].value.isNaN)
        #expect(cache.load(scenario.runs[1], blas: "OpenBLAS") == nil)
        #expect(cache.load(run, blas: "GSL CBLAS") == nil)
        var other = run
        other.configuration.training.steps = 31
        #expect(cache.load(other, blas: "OpenBLAS") == nil)
    }

    @Test("Variants change several fields together and form the first axis")
    func variants() throws {
        let text = withField(
            ["variants"],
            #"[{"name": "theory", "set": {"training.loss": "hinge"}}, {"name": "toy", "set": {"training.loss": "logistic", "training.optimizer": {"name": "adamw"}, "model.output.trained": true}}]"#
        )
        let withVariants = try ScenarioDecoder.decode(text, file: "s.json")
        #expect(withVariants.cells.map(\.label) == ["variant=theory", "variant=toy"])
        let toy = withVariants.cells[1].configuration
        #expect(toy.training.loss == .logistic && toy.model.trainOutput && toy.training.optimizer.name == "adamw")
        let again = try ScenarioDecoder.decode(withVariants.resolved().serialized(), file: "r.json")
        #expect(again.cells.map(\.configuration) == withVariants.cells.map(\.configuration))
        let bad = decodeError(withField(["variants"], #"[{"name": "x", "set": {"training.los": "hinge"}}]"#))
        #expect(bad?.path == "variants[0].set.training.los" && bad?.message.contains("did you mean 'training.loss'?") == true)
    }
}
