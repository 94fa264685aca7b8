import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// Triton's models through oceanid-apply against the local fake (Tests/fakes/fake_triton.py:
/// the model repository extension behind Cloudflare Access): a model not ready is loaded and
/// waited for, `--reload-models` reloads, a refused service token is an authentication error
/// (the Access redirect never followed), polling mode is a configuration error.
@Suite(.serialized) struct ApplyTritonTests {
    static let clientId = "c0ffee.access"
    static let clientSecret = "access-secret-\(UUID().uuidString.prefix(8))"

    final class Fake: ProviderFake {
        init() throws {
            try super.init(
                script: "fake_triton.py", arguments: [ApplyTritonTests.clientId, ApplyTritonTests.clientSecret])
        }
        func loads(_ model: String) throws -> Int {
            ((try state()["models"] as? [String: Any])?[model] as? [String: Any])?["loads"] as? Int ?? -1
        }
    }

    static func stateFile(models: [String] = ["ner-distilbert"], accessProtected: Bool = true) throws -> TemporaryFolder
    {
        let folder = try TemporaryFolder("apply-triton")
        var state = DesiredState()
        state.modelServing = ModelServingState(endpoints: [
            ModelEndpoint(url: "https://gpu.example.com", models: models, accessProtected: accessProtected)
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static func run(
        _ arguments: [String], state: TemporaryFolder, fake: Fake, secret: String? = ApplyTritonTests.clientSecret
    ) -> ApplyRun {
        var environment = ["OCEANID_TRITON_URL": fake.base, "CF_ACCESS_CLIENT_ID": clientId]
        if let secret { environment["CF_ACCESS_CLIENT_SECRET"] = secret }
        return applyRun(arguments, statePath: state.path + "/desired-state.json", environment: environment)
    }

    @Test func aModelNotReadyIsLoadedAndWaitedForThenReloadedOnRequest() throws {
        let fake = try Fake()
        try fake.hook("/__models", ["name": "ner-distilbert"])
        let state = try Self.stateFile()
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake)
        #expect(
            plan.status == 2
                && plan.out.contains("update   triton model ner-distilbert at \(fake.base)  not ready: load"),
            "\(plan.out)\(plan.err)")
        // An edge 502 and a load whose answer is lost: loading again is harmless.
        try fake.hook("/__faults", ["html_502": 1, "lose_load": 1])
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        #expect(Self.run(["plan"], state: state, fake: fake).status == 0, "a ready model plans nothing")
        // A reload, and the server restarts right after it: the applier waits until the model is ready.
        let loads = try fake.loads("ner-distilbert")
        let polls = (try fake.state()["paths"] as? [String] ?? []).count
        try fake.hook("/__faults", ["not_ready_after_load": 3])
        let reload = Self.run(["apply", "--yes", "--reload-models"], state: state, fake: fake)
        #expect(reload.status == 0 && reload.out.contains("reload (--reload-models)"), "\(reload.out)\(reload.err)")
        #expect(try fake.loads("ner-distilbert") == loads + 1)
        let after = (try fake.state()["paths"] as? [String] ?? []).dropFirst(polls)
        #expect(
            after.drop { !$0.hasSuffix("/load") }.filter { $0 == "GET /v2/models/ner-distilbert/ready" }.count == 4,
            "polled until ready: \(after)")
        #expect(!(plan.out + apply.out + apply.err + reload.out).contains(Self.clientSecret))
    }

    @Test func accessRefusalIsAnAuthenticationErrorAndNeverFollowed() throws {
        let fake = try Fake()
        try fake.hook("/__models", ["name": "ner-distilbert"])
        let state = try Self.stateFile()
        defer { state.remove() }
        let wrong = Self.run(["plan"], state: state, fake: fake, secret: "wrong-secret")
        #expect(wrong.status == 1)
        #expect(
            wrong.err.contains("redirect to https://oceanid.cloudflareaccess.com/cdn-cgi/access/login/")
                && wrong.err.contains("not followed")
                && wrong.err.contains("Cloudflare Access did not accept the service token"), "\(wrong.err)")
        #expect(!wrong.err.contains("wrong-secret"))
        #expect(try fake.state()["denied"] as? Int == 1, "one request, no retries of a refusal, no redirect followed")
        let missing = Self.run(["plan"], state: state, fake: fake, secret: nil)
        #expect(
            missing.status == 1
                && missing.err.contains("CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET must both be set"),
            "\(missing.err)")
        #expect(try fake.state()["denied"] as? Int == 1, "nothing requested without the token")
    }

    @Test func pollingModeAndUnknownModelsAreConfigurationErrors() throws {
        let fake = try Fake()
        try fake.hook("/__models", ["name": "ner-distilbert"])
        let state = try Self.stateFile(models: ["ner-distilbert", "missing-model"])
        defer { state.remove() }
        try fake.hook("/__faults", ["mode": "poll"])
        let poll = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(
            poll.status == 1 && poll.err.contains("polling is enabled")
                && poll.err.contains("--model-control-mode=explicit"), "\(poll.err)")
        try fake.hook("/__faults", ["mode": "explicit"])
        let unknown = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(
            unknown.status == 1 && unknown.err.contains("refused loading model missing-model")
                && unknown.err.contains("done before it: update model ner-distilbert"),
            "\(unknown.err)")
        try fake.hook("/__faults", ["server_ready": false])
        let down = Self.run(["plan"], state: state, fake: fake)
        #expect(down.status == 1 && down.err.contains("is not ready (GET /v2/health/ready)"), "\(down.err)")
    }
}
