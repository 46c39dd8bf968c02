import Schema

/// The smallest valid scenario: every other field at its default.
public let minimalScenario = """
    {"name": "tiny", "data": {"dimension": 16, "core": {"count": 4}, "background": {"count": 4},
     "train_size": 40, "test_size": 40}, "model": {"width": 8}, "training": {"steps": 20}}
    """

/// The minimal scenario with the value at `path` replaced (or added) by a raw JSON fragment.
public func withField(_ path: [String], _ fragment: String) -> String {
    let document = (try? JSONParser.parse(minimalScenario)) ?? .null
    let value = (try? JSONParser.parse(fragment)) ?? .null
    return (document.setting(path, to: value) ?? document).serialized()
}

/// The error `body` throws, or nil when it succeeds.
public func thrown<Failure: Error>(by body: () throws(Failure) -> Void) -> Failure? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
