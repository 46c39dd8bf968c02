/// Why `simulate` refused to read or write a results folder or the run cache, with its sysexits code.
public struct StorageError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A path that must not be used as a results folder (empty, `.`, the home folder, ...): exit 64.
        case badPath
        /// A file `simulate` did not write (or that changed since) is in the way: exit 73.
        case notOurs
        /// A file could not be created or replaced: exit 73.
        case cannotWrite
        /// Another `simulate` is writing the folder: exit 75 (try again later).
        case locked
        /// A results file is corrupt or does not match the manifest: exit 65.
        case corrupt
        /// A folder or file that should be there is not: exit 66.
        case missing
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// sysexits(3): EX_USAGE, EX_CANTCREAT, EX_TEMPFAIL, EX_DATAERR, EX_NOINPUT.
    public var exitCode: Int32 {
        switch kind {
        case .badPath: 64
        case .notOurs, .cannotWrite: 73
        case .locked: 75
        case .corrupt: 65
        case .missing: 66
        }
    }
}
