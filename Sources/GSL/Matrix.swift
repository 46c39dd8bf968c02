/// A dense row-major matrix of `Double` (the engine's default precision).
public typealias Matrix = MatrixOf<Double>

/// A dense row-major matrix of a BLAS scalar (`Double` or `Float`) that owns its storage.
///
/// The storage may hold more rows than are in use (`capacityRows`), so a buffer can be reused for
/// subsets of rows (mini-batches, active samples) without allocating in a training loop.
public struct MatrixOf<Scalar: BLASScalar>: Equatable, Sendable {
    /// Rows in use.
    public private(set) var rows: Int
    /// Columns (the leading dimension of the row-major storage).
    public let columns: Int
    /// Row-major elements; the first `rows * columns` are in use.
    public var storage: [Scalar]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from row-major elements (`elements.count == rows * columns`).
    public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(elements.count == rows * columns, "Matrix: \(elements.count) elements for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// A matrix from an array of equal-length rows.
    public init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// The same matrix (rows in use and capacity) with every element rounded to `Scalar`; the same
    /// storage when the precisions agree, so converting a `Double` matrix to `Double` costs nothing.
    public init<Source: BLASScalar>(converting source: MatrixOf<Source>) {
        rows = source.rows
        columns = source.columns
        storage = Scalar.array(converting: source.storage)
    }

    /// Rows the storage can hold without reallocating.
    public var capacityRows: Int { columns == 0 ? rows : storage.count / columns }

    /// Uses the first `count` rows of the storage (count ≤ `capacityRows`); never allocates.
    public mutating func useRows(_ count: Int) {
        precondition(count >= 0 && count <= capacityRows, "Matrix.useRows: \(count) > capacity \(capacityRows)")
        rows = count
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ index: Int) -> [Scalar] {
        Array(storage[(index * columns)..<((index + 1) * columns)])
    }

    /// The rows in use, as arrays (for tests and small outputs).
    public var rowArrays: [[Scalar]] { (0..<rows).map(row) }

    /// The transpose (allocates; not for inner loops).
    public var transposed: MatrixOf {
        var result = MatrixOf(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { result[j, i] = self[i, j] }
        }
        return result
    }

    /// Copies the listed rows of `source` into this buffer's first rows and uses that many rows.
    @inlinable
    public mutating func gatherRows(_ indices: UnsafeBufferPointer<Int>, from source: MatrixOf) {
        precondition(source.columns == columns, "Matrix.gatherRows: column mismatch")
        useRows(indices.count)
        let width = columns
        storage.withUnsafeMutableBufferPointer { destination in
            source.storage.withUnsafeBufferPointer { origin in
                for (target, index) in indices.enumerated() {
                    let to = destination.baseAddress! + target * width
                    let from = origin.baseAddress! + index * width
                    to.update(from: from, count: width)
                }
            }
        }
    }

    /// Copies the rows in use of `source`, rounded to `Scalar`, into this buffer's first rows and uses
    /// that many rows (no allocation: the training loop's way into a lower precision).
    @inlinable
    public mutating func copyRows<Source: BLASScalar>(of source: MatrixOf<Source>) {
        precondition(source.columns == columns, "Matrix.copyRows: column mismatch")
        useRows(source.rows)
        let count = source.rows * columns
        storage.withUnsafeMutableBufferPointer { destination in
            source.storage.withUnsafeBufferPointer { origin in
                for i in 0..<count { destination[i] = Scalar(origin[i]) }
            }
        }
    }
}
