import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A kill at an exact point, for the crash-safety tests: with `SIMULATE_CRASH_TEST=cache-write:N`
/// in the environment, the N-th cache entry this process writes is left half-written in its
/// temporary file and the process sends itself SIGKILL — the state a `kill -9` in the middle of that
/// write leaves. Without the variable (every real run) it does nothing.
enum CrashTestHook: String {
    case cacheWrite = "cache-write"

    private static let due: Int? = {
        guard let value = ProcessInfo.processInfo.environment["SIMULATE_CRASH_TEST"] else { return nil }
        let parts = value.split(separator: ":")
        return parts.count == 2 && parts[0] == CrashTestHook.cacheWrite.rawValue ? Int(parts[1]) : nil
    }()
    private static let count = Mutex(0)

    func killHalfwayIfDue(writing contents: String, to path: String) {
        guard let due = Self.due,
            Self.count.withLock({ count in
                count += 1
                return count == due
            })
        else { return }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(WriterIdentity.current.temporaryName(base: url.lastPathComponent, purpose: ResultsFolder.temporaryPurpose))
        try? Data(contents.utf8.prefix(contents.utf8.count / 2)).write(to: temporary)
        kill(getpid(), SIGKILL)
    }
}
