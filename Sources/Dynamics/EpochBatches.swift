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
        next(size, rows: train.inputs, labels: train.labels, into: &inputs, labels: &labels)
    }

    /// Gathers the next batch of at most `size` of the rows of `source` (one per training sample, in any
    /// precision) and their `sourceLabels` into `rows` and `labels`.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    mutating func next<Scalar>(
        _ size: Int, rows source: MatrixOf<Scalar>, labels sourceLabels: [Int], into rows: inout MatrixOf<Scalar>,
        labels: inout [Int]
    ) {
        if position >= order.count {
            stream.shuffle(&order)
            position = 0
        }
        let count = min(size, order.count - position)
        order.withUnsafeBufferPointer { indices in
            rows.gatherRows(UnsafeBufferPointer(rebasing: indices[position..<(position + count)]), from: source)
        }
        for t in 0..<count { labels[t] = sourceLabels[order[position + t]] }
        position += count
    }
}
