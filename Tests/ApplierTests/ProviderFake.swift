import Foundation
import TestSupport

@testable import Applier

/// A provider's local fake for one test (Tests/fakes/<script>) and the calls every test
/// makes to it: a test hook (`POST /__faults`, `/__projects`, ...) and `GET /__state`.
class ProviderFake {
    let server: FakeServer
    let client = HTTPClient()
    var base: String { server.base }

    init(script: String, arguments: [String]) throws { server = try FakeServer(script: script, arguments: arguments) }

    /// POSTs a JSON object to a test hook; its answer as a JSON object.
    @discardableResult
    func hook(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
        let response = try client.send(
            HTTPRequest("POST", base + path, body: try JSONSerialization.data(withJSONObject: body)))
        return try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }

    /// The fake's whole state (`GET /__state`).
    func state() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try client.send(HTTPRequest("GET", base + "/__state")).body)
            as? [String: Any] ?? [:]
    }
}

/// What one oceanid-apply run printed and returned.
struct ApplyRun {
    var status: Int32
    var out: String
    var err: String
}

/// Runs oceanid-apply in process on a desired-state file, with retries that do not wait.
func applyRun(_ arguments: [String], statePath: String, environment: [String: String], attempts: Int = 5) -> ApplyRun {
    var out = ""
    var err = ""
    var retry = RetryPolicy()
    retry.baseDelaySeconds = 0.01
    retry.attempts = attempts
    retry.sleep = { _ in }
    let status = ApplyCLI.run(
        arguments + ["--state", statePath],
        environment: ApplyEnvironment(
            variables: environment, retry: retry, out: { out += $0 },
            err: { err += $0 }))
    return ApplyRun(status: status, out: out, err: err)
}
