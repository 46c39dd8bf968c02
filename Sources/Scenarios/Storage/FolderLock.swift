import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// One writer at a time per results folder: an exclusive `flock` on `.<name>.simulate-lock` beside the
/// folder (beside, so that it survives the folder being swapped for a new one). The file holds the
/// holder's pid, host and start time for the message a second writer gets. The kernel drops the lock
/// when its process dies, so a lock left by a killed run is taken over (with a note) rather than
/// blocking for ever; a live holder makes `acquire` fail with exit 75.
public final class FolderLock {
    public let path: String
    private var descriptor: Int32

    /// Lock-file name for a results folder named `name`.
    public static func fileName(for name: String) -> String { ".\(name)\(suffix)" }
    static let suffix = ".simulate-lock"

    /// The results-folder name a lock file is for, if `file` is a lock file's name.
    public static func folderName(ofLockFile file: String) -> String? {
        guard file.hasPrefix("."), file.hasSuffix(suffix), file.count > suffix.count + 1 else { return nil }
        return String(file.dropFirst().dropLast(suffix.count))
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock of `folder` (an absolute path), creating its parent folder if needed.
    /// - Parameter note: receives a message when a dead writer's lock is taken over.
    public static func acquire(_ folder: String, note: (String) -> Void) throws(StorageError) -> FolderLock {
        let url = URL(fileURLWithPath: folder)
        let parent = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.cannotWrite, "cannot create \(parent): \(error.localizedDescription)")
        }
        let path = "\(parent)/\(fileName(for: url.lastPathComponent))"
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw StorageError(.cannotWrite, "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let holder = contents(fd)
                close(fd)
                throw StorageError(
                    .locked,
                    "another simulate (\(holder.isEmpty ? "starting" : holder)) is writing \(folder); "
                        + "wait for it to finish (lock file \(path))")
            }
            // The holder may have removed the file between our open and flock: then retry on the new one.
            var opened = stat(), named = stat()
            guard fstat(fd, &opened) == 0, stat(path, &named) == 0, opened.st_ino == named.st_ino, opened.st_dev == named.st_dev else {
                close(fd)
                continue
            }
            let previous = contents(fd)
            if !previous.isEmpty {
                note("note: took over the lock of \(folder) left by \(previous), which is no longer running")
            }
            let me = WriterIdentity.current
            let record = "pid \(me.pid) on \(me.host) since \(ISO8601DateFormatter().string(from: Date()))\n"
            _ = ftruncate(fd, 0)
            _ = record.withCString { pwrite(fd, $0, strlen($0), 0) }
            return FolderLock(path: path, descriptor: fd)
        }
        throw StorageError(.locked, "cannot take the lock file \(path): it keeps being replaced")
    }

    /// The holder line of a lock file ("pid N on HOST since T"), or "".
    private static func contents(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the lock file and releases the lock (removal first, while we still hold it).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
