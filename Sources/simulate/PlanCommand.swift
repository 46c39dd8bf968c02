import ArgumentParser
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List a scenario's runs: index, id, seed, cache key, and whether each is cached.",
        discussion: """
            A run is identified by the hash of its fully resolved configuration, its seed, the engine version and \
            the BLAS (its cache key): the same run in any scenario, shard or machine is computed once. Shard i of n \
            (`simulate run --shard i/n`) runs the indices ≡ i (mod n).
            """)

    @OptionGroup var options: ScenarioOptions

    @Flag(help: "Print the plan as JSON (runs with index, id, seed, key, cached, swept parameters).")
    var json = false

    func run() throws {
        let (path, plan, destination) = try options.load()
        let listing = PlanListing(plan: plan, scenarioFile: path, destination: destination)
        if json { try listing.printJSON() } else { try listing.printTable() }
    }
}
