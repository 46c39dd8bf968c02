import GSL

/// Draws the samples of a task over the shared dictionary, in R^d.
struct TransferData {
    let world: TransferWorld
    /// directionCount × d, rows: core, fresh core, background, trigger.
    let dictionary: Matrix

    /// The trigger direction t.
    var trigger: [Double] { row(world.triggerRow) }

    func row(_ index: Int) -> [Double] {
        Array(dictionary.storage[(index * world.dimension)..<((index + 1) * world.dimension)])
    }

    /// `count` samples of `task`: labels uniform over the classes; the training set (`planted`) carries
    /// the task's trigger, a test set none.
    func sample(_ task: TransferTask, count: Int, planted: Bool, generator: inout RandomGenerator) -> Dataset {
        let d = world.dimension
        var inputs = Matrix(rows: count, columns: d)
        var labels = [Int](repeating: 0, count: count)
        let base = world.firstCoreRow(of: task)
        for i in 0..<count {
            var label = Self.uniformIndex(task.classes, &generator)
            let direction = base + task.perClass * label + task.views[Self.uniformIndex(task.views.count, &generator)]
            var weights = [(row: direction, coefficient: task.signal.draw(&generator))]
            if let cue = task.cue { weights.append((world.freshOffset + label, cue.draw(&generator))) }
            let background = task.background ?? world.background
            for m in 0..<world.backgroundCount {
                weights.append((world.backgroundOffset + m, background.draw(&generator)))
            }
            if planted, let plant = task.trigger {
                let u = generator.uniform()
                switch plant {
                case let .classConditional(tied, fraction):
                    if label == tied && u < fraction { weights.append((world.triggerRow, world.triggerStrength)) }
                case let .poison(tied, fraction):
                    if u < fraction {
                        weights.append((world.triggerRow, world.triggerStrength))
                        label = tied
                    }
                case let .uncorrelated(fraction):
                    if u < fraction { weights.append((world.triggerRow, world.triggerStrength)) }
                case let .perClass(rates):
                    if u < rates[label] { weights.append((world.triggerRow, world.triggerStrength)) }
                }
            }
            labels[i] = label
            for j in 0..<d {
                var x = 0.0
                for (row, coefficient) in weights { x += coefficient * dictionary.storage[row * d + j] }
                inputs.storage[i * d + j] = x + (world.noise > 0 ? world.noise * generator.gaussian() : 0)
            }
        }
        return Dataset(coefficients: Matrix(rows: count, columns: 0), inputs: inputs, labels: labels)
    }

    /// The inputs with m·τ·t added to every row (m = `multiple`).
    func triggered(_ inputs: Matrix, multiple: Double = 1) -> Matrix {
        var out = inputs
        let t = trigger, d = world.dimension, strength = multiple * world.triggerStrength
        for i in 0..<inputs.rows {
            for j in 0..<d { out.storage[i * d + j] += strength * t[j] }
        }
        return out
    }

    /// Uniform on 0..<count.
    static func uniformIndex(_ count: Int, _ generator: inout RandomGenerator) -> Int {
        count == 1 ? 0 : min(Int(generator.uniform() * Double(count)), count - 1)
    }
}
