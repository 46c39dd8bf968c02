import Foundation
@testable import Scenarios
import Schema
import Testing

@Suite("Storage: checksums, inventories, names")
struct StorageTests {
    @Test("SHA-256 matches FIPS 180-4's test vectors (and so sha256sum)")
    func sha256() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // 55, 56 and 64 bytes: the padding's edge cases (checked against Python's hashlib).
        #expect(SHA256.hex(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex(String(repeating: "a", count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("An inventory round-trips through JSON, matches only identical bytes, and refuses paths that leave its folder")
    func inventory() throws {
        let inventory = FileInventory(files: [("a.csv", "x,y\n1,2\n"), ("figures/f.svg", "<svg/>")])
        #expect(inventory.records.map(\.lines) == [2, 0] && inventory.records.map(\.bytes) == [8, 6])
        let parsed = try #require(FileInventory(text: inventory.text))
        #expect(parsed == inventory)
        #expect(inventory.matches("a.csv", Data("x,y\n1,2\n".utf8)) && !inventory.matches("a.csv", Data("x,y\n1,3\n".utf8)))
        #expect(!inventory.matches("b.csv", Data()) && inventory.containsFolder("figures") && !inventory.containsFolder("fig"))
        for bad in ["../x", "/etc/passwd", "a/./b", "a//b", ""] {
            let json = JSONValue.array([
                .object([
                    ("path", .string(bad)), ("bytes", .integer(1)), ("lines", .integer(0)),
                    ("sha256", .string(String(repeating: "0", count: 64))),
                ])
            ])
            #expect(FileInventory(text: json.serialized()) == nil, "\(bad)")
        }
    }

    @Test("Scenario names are portable file names of at most 128 bytes")
    func names() {
        for good in ["relu2", "gla-prior", "a.b_c-1", String(repeating: "x", count: 128)] { #expect(ScenarioName.problem(good) == nil, "\(good)") }
        for bad in ["", ".", "..", "a/b", ".hidden", "-rf", "a b", "é", String(repeating: "x", count: 129)] {
            #expect(ScenarioName.problem(bad) != nil, "\(bad)")
        }
    }

    @Test("Temporary names carry their writer; a finished process on this host is not alive")
    func temporaryNames() throws {
        let me = WriterIdentity.current
        let name = me.temporaryName(base: "relu2", purpose: "simulate-staging")
        #expect(WriterIdentity.parse(temporaryName: name, base: "relu2", purpose: "simulate-staging") == me)
        #expect(WriterIdentity.parse(temporaryName: name, base: "relu", purpose: "simulate-staging") == nil)
        #expect(WriterIdentity.parse(temporaryName: "relu2", purpose: "simulate-staging") == nil)
        #expect(me.mayBeAlive)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        #expect(!WriterIdentity(pid: finished.processIdentifier, host: me.host).mayBeAlive)
        #expect(WriterIdentity(pid: 1, host: "another-host").mayBeAlive, "another host's writer cannot be checked, so it is presumed alive")
    }

    @Test("Results paths: relative paths resolve against the working directory, through symbolic links")
    func destinations() throws {
        let base = NSTemporaryDirectory() + "dest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(base)/real/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(base)/link", withDestinationPath: "\(base)/real")
        let real = ResultsFolder.resolved("\(base)/real", in: "/")
        #expect(ResultsFolder.resolved("link/new/../out", in: base) == "\(real)/out")
        // A link to a parent of the working directory is that parent.
        #expect(throws: StorageError.self) { try ResultsFolder.destination("\(base)/link", workingDirectory: "\(base)/real/sub") }
        #expect(try ResultsFolder.destination("out", workingDirectory: "\(base)/real") == "\(real)/out")
    }
}
