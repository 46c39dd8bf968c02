import ArgumentParser
import Foundation
import Scenarios

/// The command line's side of the results-folder contract (`ResultsFolder`): storage errors become
/// their message on stderr and their exit code; notes and warnings go to stderr.
enum ResultsFolderAccess {
    /// Runs `body`; a `StorageError` is printed and exits with its code.
    static func checked<T>(_ body: () throws(StorageError) -> T) throws(ExitCode) -> T {
        do {
            return try body()
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(error.exitCode)
        }
    }

    /// Checks a results folder path and takes its lock, after which nothing else writes it; removes
    /// what interrupted writers left, then refuses (exit 73) unless `simulate` may replace it.
    static func claim(_ display: String, scenarioFile: String?) throws(ExitCode) -> (folder: String, lock: FolderLock) {
        try checked { () throws(StorageError) in
            let folder = try ResultsFolder.destination(display, scenarioFile: scenarioFile)
            let lock = try FolderLock.acquire(folder, note: note)
            ResultsFolder.removeDebris(beside: folder, note: note)
            _ = try ResultsFolder.inspect(folder)
            return (folder, lock)
        }
    }

    /// The run cache beside a results folder, with its warnings on stderr and dead writers' temporary
    /// files removed.
    static func cache(beside folder: String) -> RunCache {
        let cache = RunCache.beside(resultsFolder: folder, warn: { StandardError.write($0 + "\n") })
        ResultsFolder.removeDeadTemporaries(in: cache.directory)
        return cache
    }

    static func note(_ message: String) { StandardError.write(message + "\n") }
}
