import GSL

/// Mini-batches of a fixed training set, visited in an order reshuffled each epoch from its own
/// stream; the last batch of an epoch may be smaller, as with PyTorch's DataLoader.
struct EpochBatches {
    private var order: [Int]
    private var position: Int
    private var stream: RandomGenerator

    init(count: Int, stream: RandomGenerator) {
        order = Array(0..<count)
        position = count
        self.stream = stream
    }

    /// Gathers the next batch of at most `size` samples of `train` into `inputs` and `labels`.
    mutating func next(_ size: Int, of train: Dataset, inputs: inout Matrix, labels: inout [Int]) {
        if position >= order.count {
            stream.shuffle(&order)
            position = 0
        }
        let count = min(size, order.count - position)
        order.withUnsafeBufferPointer { indices in
            inputs.gatherRows(UnsafeBufferPointer(rebasing: indices[position..<(position + count)]), from: train.inputs)
        }
        for t in 0..<count { labels[t] = train.labels[order[position + t]] }
        position += count
    }
}
