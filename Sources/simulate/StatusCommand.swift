import ArgumentParser
import Schema
import Scenarios

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where a sharded sweep stands: finished, diverged, pending in running shards, failed, missing.")

    @Argument(help: "The results folder the shards run into (their --out).")
    var resultsFolder: String

    @Flag(help: "Print the state of every run as JSON on stdout.")
    var json = false

    func run() throws {
        let access = try SweepAccess(resultsFolder)
        let status = access.status()
        if json {
            let runs = zip(access.plan.runs, status.states).map { entry, state -> String in
                let (name, detail): (String, String) =
                    switch state {
                    case .completed: ("completed", "")
                    case let .diverged(step): ("diverged", ", \"step\": \(step)")
                    case let .failed(error): ("failed", ", \"error\": \(JSONString(error))")
                    case let .running(shard): ("running", ", \"shard\": \(shard)")
                    case .missing: ("missing", "")
                    }
                return "{\"index\": \(entry.index), \"id\": \(JSONString(entry.id)), \"state\": \"\(name)\"\(detail)}"
            }
            print("{\"complete\": \(status.isComplete), \"runs\": [\n" + runs.joined(separator: ",\n") + "\n]}")
            return
        }
        print("\(resultsFolder): \(status.summary)")
        if !status.diverged.isEmpty {
            print("diverged:\n" + status.diverged.prefix(20).map { "  \($0)\t\(access.plan.runs[$0].id)" }.joined(separator: "\n"))
        }
        let open = status.failed + status.running + status.missing
        if !open.isEmpty {
            print(status.describe(open))
            if status.running.count < open.count { print(access.rerunAdvice(status)) }
        } else {
            print("every run is in: `simulate merge \(resultsFolder)` writes the results")
        }
    }
}

/// A JSON string literal.
func JSONString(_ text: String) -> String { JSONValue.string(text).serialized(indent: nil) }
