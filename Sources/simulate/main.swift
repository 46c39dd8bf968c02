import Dynamics
import GSL
import Foundation
BLASInfo.setThreads(1)
let act = CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "linear" ? Activation.linear : .relu
let rep: Representation = CommandLine.arguments.count > 2 ? Representation(rawValue: CommandLine.arguments[2])! : .auto
let cfg = RunConfiguration(
  data: DataConfiguration(dimension: 256, coreCount: 32, core: .sign(.uniform(low: 0, high: 1)), backgroundCount: 32, background: .uniform(low: 0, high: 1), trainSize: 1000, testSize: 1000, shifts: [BackgroundShift(name: "flip", kind: .flip(factor: 1))]),
  model: ModelConfiguration(width: 256, activation: act),
  training: TrainingConfiguration(loss: .hinge, steps: 20000, optimizer: .sgd(SGDConfiguration(learningRate: 1e-3, momentum: 0.9, weightDecay: 1e-3)), representation: rep),
  probeEvery: 2000)
let t0 = Date()
let r = try Simulation.run(cfg, seed: 0) { s in FileHandle.standardError.write("step \(s) \(Date().timeIntervalSince(t0))\n".data(using: .utf8)!) }
for (s, v) in zip(r.steps, r.values) { print(s, zip(r.metricNames, v).map { "\($0)=\(String(format: "%.4f", $1))" }.joined(separator: " ")) }
print(BLASInfo.active, Date().timeIntervalSince(t0))
