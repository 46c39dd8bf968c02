import Schema
import Dynamics
import Foundation
import GSL
import Synchronization

/// Finished runs stored by the hash of everything that determines their numbers — the resolved run
/// configuration, the seed, the engine version, the BLAS and the vector maths — so that re-running a scenario (or another
/// scenario with the same runs) reuses them, and a killed sweep resumes where it stopped.
/// Each entry is written atomically (temporary file, then rename) as soon as its run finishes, so
/// concurrent writers share a cache safely. An entry is `simulate-cache sha256=<hex>` and a newline,
/// then the JSON whose SHA-256 that is: a corrupt entry is reported and its run computed again.
/// The folder carries a `CACHEDIR.TAG`; a folder of that name without it is not used.
public struct RunCache: Sendable {
    /// Bump when a change to the engine changes any number it produces, or the record format: old
    /// entries then miss. 7: entries are Codable `RunRecord`s. 8: the slope_asymmetry probe. 9: the
    /// loss is checked for divergence at every step, and diverged runs are stored too. 10: so is every
    /// transfer stage's, which stops the protocol where it explodes. 11: training in R^d without input
    /// noise computes the gradient in the features' span (the same numbers up to rounding). 12: the
    /// transcendental activations are vectorised (libmvec), and the vector maths kernel is in the key.
    public static let engineVersion = "12"
    static let header = "simulate-cache sha256="
    static let tagName = "CACHEDIR.TAG"
    static let tag = """
        Signature: 8a477f597d28d172789f06886806bc55
        # This file is a cache directory tag created by simulate (its run cache).
        # For information about cache directory tags see https://bford.info/cachedir/

        """

    public let directory: String
    private let state: SharedState

    /// - Parameter warn: receives each warning (a corrupt entry, a cache that cannot be written or is
    ///   not ours); "cannot write" and "not ours" are sent once per cache.
    public init(directory: String, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.directory = directory
        self.state = SharedState(warn)
    }

    /// The cache beside a results folder: `<parent of out>/.simulate-cache`.
    public static func beside(resultsFolder: String, warn: @escaping @Sendable (String) -> Void = { _ in }) -> RunCache {
        let parent = URL(fileURLWithPath: resultsFolder).standardizedFileURL.deletingLastPathComponent()
        return RunCache(directory: directory(in: parent.path), warn: warn)
    }

    /// The cache folder that the results folders inside `parent` share.
    public static func directory(in parent: String) -> String { "\(parent)/.simulate-cache" }

    /// The text that identifies a run's numbers, and its 64-bit hash (hex).
    public static func identity(_ run: PlannedRun, blas: String) -> (key: String, material: String) {
        let configuration = ScenarioEncoder.document(
            name: "", description: "", seeds: [run.seed],
            configuration: run.configuration, sweep: [])
        let material = "engine \(engineVersion); blas \(blas); vector math \(VectorMath.kernel); " + configuration.serialized(indent: nil)
        return (String(format: "%016llx", SeedMixer.fnv1a(material)), material)
    }

    func path(_ key: String) -> String { "\(directory)/\(key).json" }

    /// Whether the folder is usable as our cache (decided once, under a lock, when creating).
    func isOurs(creating: Bool) -> Bool {
        creating ? state.decideOnce { examine(creating: true) } : examine(creating: false)
    }

    /// Whether the folder is usable as our cache: absent, tagged by us, or an untagged cache of an
    /// earlier simulate (only `<hex>.json` entries), which is then tagged.
    private func examine(creating: Bool) -> Bool {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                state.once("not-ours", "warning: not using \(directory) as the run cache: it is a file, not a folder; runs will not be reused")
                return false
            }
            if let data = fileManager.contents(atPath: "\(directory)/\(Self.tagName)"),
                String(decoding: data, as: UTF8.self).hasPrefix(Self.tag.prefix(43))
            {
                return true
            }
            let entries = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
            let isEntry = { (name: String) in name.hasSuffix(".json") && name.utf8.count == 21 && name.dropLast(5).allSatisfy(\.isHexDigit) }
            guard entries.allSatisfy({ isEntry($0) || ResultsFolder.isTemporary($0) }) else {
                state.once(
                    "not-ours",
                    "warning: not using \(directory) as the run cache: it was not created by simulate (no CACHEDIR.TAG); runs will not be reused")
                return false
            }
        } else if !creating {
            return false
        }
        guard creating else { return true }
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if !fileManager.fileExists(atPath: "\(directory)/\(Self.tagName)") {
                try ResultsFolder.writeAtomically(Self.tag, to: "\(directory)/\(Self.tagName)")
            }
            return true
        } catch {
            cannotWrite(error)
            return false
        }
    }

    /// The stored result of `run`, if any and if it is intact and really is this run's. A corrupt
    /// entry is reported (and the run is then computed again, replacing it).
    public func load(_ run: PlannedRun, blas: String) -> (result: RunResult, wallSeconds: Double)? {
        let (key, material) = Self.identity(run, blas: blas)
        guard let data = FileManager.default.contents(atPath: path(key)), isOurs(creating: false) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        func corrupt(_ why: String) -> (result: RunResult, wallSeconds: Double)? {
            state.send("warning: cache entry \(path(key)) for run \(run.id) is corrupt (\(why)); running it again")
            return nil
        }
        guard let newline = text.firstIndex(of: "\n"), text.hasPrefix(Self.header) else { return corrupt("no checksum line") }
        let body = text[text.index(after: newline)...]
        guard text[text.index(text.startIndex, offsetBy: Self.header.count)..<newline] == SHA256.hex(Array(body.utf8)) else {
            return corrupt("its SHA-256 does not match its checksum line")
        }
        guard let record = RunRecord.decoded(body) else { return corrupt("not a run record") }
        guard record.material == material else { return nil }
        guard let result = record.result else { return corrupt("inconsistent fields") }
        return (result, record.wallSeconds)
    }

    /// Whether an entry for `run` exists (unread, unverified: `load` checks it).
    public func contains(_ run: PlannedRun, blas: String) -> Bool {
        FileManager.default.fileExists(atPath: path(Self.identity(run, blas: blas).key))
    }

    /// Stores a finished (completed or diverged) run. A cache that cannot be written costs only time later: a warning, once.
    public func store(_ run: PlannedRun, result: RunResult, wallSeconds: Double, blas: String) {
        guard isOurs(creating: true) else { return }
        let (key, material) = Self.identity(run, blas: blas)
        do {
            let body = try RunRecord.encoded(RunRecord(result, wallSeconds: wallSeconds, material: material))
            let entry = Self.header + SHA256.hex(body) + "\n" + body
            CrashTestHook.cacheWrite.killHalfwayIfDue(writing: entry, to: path(key))
            try ResultsFolder.writeAtomically(entry, to: path(key))
        } catch {
            cannotWrite(error)
        }
    }

    /// The warning for a cache that cannot be written, sent once.
    private func cannotWrite(_ error: any Error) {
        state.once("cannot-write", "warning: cannot write the run cache \(directory) (\(error)); finished runs will not be reused")
    }

    /// Sends warnings to the handler (some only once per cache) and remembers whether the folder is usable.
    private final class SharedState: Sendable {
        private let sent = Mutex<Set<String>>([])
        private let usable = Mutex<Bool?>(nil)
        private let handler: @Sendable (String) -> Void

        init(_ handler: @escaping @Sendable (String) -> Void) { self.handler = handler }

        func send(_ message: String) { sent.withLock { _ in handler(message) } }

        /// `body`'s answer, computed by the first caller only.
        func decideOnce(_ body: () -> Bool) -> Bool {
            usable.withLock { usable in
                if let usable { return usable }
                let answer = body()
                usable = answer
                return answer
            }
        }

        func once(_ kind: String, _ message: String) {
            sent.withLock { sent in
                guard sent.insert(kind).inserted else { return }
                handler(message)
            }
        }
    }
}
