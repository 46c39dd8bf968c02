import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Who is writing: this process's pid and host. Every temporary file or folder `simulate` makes is
/// named `.<base>.<purpose>.<pid>@<host>`, so a later run (or `simulate clean`) recognises it as ours
/// and can tell whether its writer is still alive.
public struct WriterIdentity: Equatable, Sendable, CustomStringConvertible {
    public var pid: Int32
    public var host: String

    public static let current = WriterIdentity(pid: getpid(), host: Self.shortHostName)

    /// The host name up to its first dot (file names stay short; clusters use short names).
    static var shortHostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let short = name.split(separator: ".").first.map(String.init) ?? name
        return short.isEmpty || short.contains("/") || short.contains("@") ? "localhost" : short
    }

    public var description: String { "pid \(pid) on \(host)" }

    /// Whether the writer may still be running: always true for another host (we cannot tell).
    public var mayBeAlive: Bool {
        guard host == Self.current.host else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// `.<base>.<purpose>.<pid>@<host>`.
    public func temporaryName(base: String, purpose: String) -> String {
        ".\(base).\(purpose).\(pid)@\(host)"
    }

    /// The writer of a temporary name made by `temporaryName(base:purpose:)`, if `name` is one.
    public static func parse(temporaryName name: String, base: String, purpose: String) -> WriterIdentity? {
        guard let parsed = parse(temporaryName: name, purpose: purpose), parsed.base == base else { return nil }
        return parsed.writer
    }

    /// The base and writer of any temporary name for `purpose`.
    public static func parse(temporaryName name: String, purpose: String) -> (base: String, writer: WriterIdentity)? {
        guard name.hasPrefix("."), let marker = name.range(of: ".\(purpose).", options: .backwards),
            marker.lowerBound > name.index(after: name.startIndex)
        else { return nil }
        let base = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
        let rest = name[marker.upperBound...]
        guard let at = rest.firstIndex(of: "@"), let pid = Int32(rest[..<at]), pid > 0 else { return nil }
        let host = String(rest[rest.index(after: at)...])
        return host.isEmpty || host.contains("/") ? nil : (base, WriterIdentity(pid: pid, host: host))
    }
}
