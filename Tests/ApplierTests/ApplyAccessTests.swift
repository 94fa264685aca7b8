import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// Cloudflare Access through oceanid-apply against the local fake
/// (Tests/fakes/fake_cloudflare.py): an app per protected hostname with its service-token and
/// email policies, matched by domain, owned by the name's suffix; hand-made apps survive.
@Suite(.serialized) struct ApplyAccessTests {
    static let account = "0123456789abcdef0123456789abcdef"

    static func stateFile(_ apps: [AccessApplication]) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("apply-access")
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: account, zoneName: "example.com", zoneId: ApplyDNSTests.zone,
            apiToken: SecretReference(escKey: "cloudflareApiToken"), accessApplications: apps)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static func app(_ domain: String, tokens: [String] = [], emails: [String] = [], session: Int = 86_400)
        -> AccessApplication
    {
        AccessApplication(
            name: domain + AccessApplication.ownershipSuffix, domain: domain, sessionDurationSeconds: session,
            serviceTokens: tokens, emails: emails)
    }

    static let desired = [
        app("gpu.example.com", tokens: ["training-pipeline", "ls-triton-adapter"]),
        app("tethys.example.com", tokens: ["operators"], emails: ["ops@example.com"]),
    ]

    /// Adds an object through a test hook; its id.
    func hook(_ fake: ApplyDNSTests.FakeCloudflare, _ path: String, _ body: [String: Any]) throws -> String {
        try fake.hook(path, body)["id"] as? String ?? ""
    }

    func apps(_ fake: ApplyDNSTests.FakeCloudflare) throws -> [[String: Any]] {
        try fake.state()["apps"] as? [[String: Any]] ?? []
    }

    func tokens(_ fake: ApplyDNSTests.FakeCloudflare) throws -> [String: String] {
        var ids: [String: String] = [:]
        for name in ["training-pipeline", "ls-triton-adapter", "operators"] {
            ids[name] = try hook(fake, "/__service_tokens", ["name": name])
        }
        return ids
    }

    @Test func appsAndPoliciesAreCreatedOnceAndASecondPlanIsEmpty() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        let ids = try tokens(fake)
        _ = try hook(
            fake, "/__apps",
            ["name": "wiki", "domain": "wiki.example.com", "type": "self_hosted", "session_duration": "8h"])
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        let plan = ApplyDNSTests.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 2, "\(plan.out)\(plan.err)")
        #expect(
            plan.out.contains("create   access app gpu.example.com")
                && plan.out.contains("policies: oceanid: service tokens"), "\(plan.out)")
        #expect(plan.out.contains("policies: oceanid: service tokens, oceanid: people"), "\(plan.out)")
        try fake.faults(["lose_create": 2, "rate_limit": 1])
        let apply = ApplyDNSTests.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        let live = try apps(fake)
        #expect(
            live.count == 3,
            "one app per declared domain, the hand-made wiki app kept: \(live.map { $0["domain"] ?? "" })")
        #expect(live.contains { $0["name"] as? String == "wiki" && $0["session_duration"] as? String == "8h" })
        let gpu = try #require(live.first { $0["domain"] as? String == "gpu.example.com" })
        #expect(gpu["name"] as? String == "gpu.example.com (managed by oceanid-apply)")
        #expect(gpu["session_duration"] as? String == "24h")
        let gpuPolicies = gpu["policies"] as? [[String: Any]] ?? []
        #expect(gpuPolicies.count == 1, "a lost policy create was found, not repeated")
        #expect(gpuPolicies.first?["decision"] as? String == "non_identity")
        let tokenIds = Set(
            (gpuPolicies.first?["include"] as? [[String: [String: String]]] ?? []).compactMap {
                $0["service_token"]?["token_id"]
            })
        #expect(tokenIds == [ids["training-pipeline"]!, ids["ls-triton-adapter"]!])
        let tethys = try #require(live.first { $0["domain"] as? String == "tethys.example.com" })
        let people = (tethys["policies"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "oceanid: people" }
        #expect(people?["decision"] as? String == "allow" && people?["precedence"] as? Int == 2)
        #expect(ApplyDNSTests.run(["plan"], state: state, fake: fake).status == 0, "a second plan is empty")
    }

    @Test func ownedAppsFollowTheDeclarationAndUnownedOnesAreConflicts() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        let ids = try tokens(fake)
        let suffix = AccessApplication.ownershipSuffix
        // Ours but drifted: a shorter session, a token too many, a policy someone added.
        _ = try hook(
            fake, "/__apps",
            [
                "name": "gpu.example.com" + suffix, "domain": "gpu.example.com", "type": "self_hosted",
                "session_duration": "1h",
                "policies": [
                    [
                        "name": "oceanid: service tokens", "decision": "non_identity", "precedence": 1,
                        "include": [
                            ["service_token": ["token_id": ids["training-pipeline"]!]],
                            ["service_token": ["token_id": ids["operators"]!]],
                        ],
                    ],
                    [
                        "name": "debug bypass", "decision": "bypass", "precedence": 2,
                        "include": [["everyone": [String: String]()]],
                    ],
                ],
            ])
        // Ours, no longer declared; and someone else's on a declared domain.
        _ = try hook(
            fake, "/__apps",
            [
                "name": "old.example.com" + suffix, "domain": "old.example.com", "type": "self_hosted",
                "session_duration": "24h",
            ])
        _ = try hook(
            fake, "/__apps",
            [
                "name": "tethys (by hand)", "domain": "tethys.example.com", "type": "self_hosted",
                "session_duration": "24h",
            ])
        let state = try Self.stateFile([
            Self.app("gpu.example.com", tokens: ["training-pipeline"]),
            Self.app("tethys.example.com", tokens: ["operators"]),
        ])
        defer { state.remove() }
        let plan = ApplyDNSTests.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 1, "a conflict is an error: \(plan.out)\(plan.err)")
        #expect(
            plan.out.contains("update   access app gpu.example.com") && plan.out.contains("session 1h → 24h"),
            "\(plan.out)")
        #expect(
            plan.out.contains("app gpu.example.com policy oceanid: service tokens")
                && plan.out.contains("include -{\"service_token\""), "\(plan.out)")
        #expect(plan.out.contains("delete   access app gpu.example.com policy debug bypass"), "\(plan.out)")
        #expect(plan.out.contains("delete   access app old.example.com"), "\(plan.out)")
        #expect(plan.out.contains("conflict access app tethys.example.com"), "\(plan.out)")
        let apply = ApplyDNSTests.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 1 && apply.out.contains("Applied 4 changes."), "\(apply.out)\(apply.err)")
        let live = try apps(fake)
        #expect(!live.contains { $0["domain"] as? String == "old.example.com" })
        #expect(
            live.first { $0["domain"] as? String == "tethys.example.com" }?["name"] as? String == "tethys (by hand)",
            "the unowned app is untouched")
        let gpu = try #require(live.first { $0["domain"] as? String == "gpu.example.com" })
        #expect(gpu["session_duration"] as? String == "24h" && (gpu["policies"] as? [Any])?.count == 1)
        let again = ApplyDNSTests.run(["plan"], state: state, fake: fake)
        #expect(again.out.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 to conflict."), "\(again.out)")
    }

    @Test func aServiceTokenThatDoesNotExistStopsThePlan() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        _ = try hook(fake, "/__service_tokens", ["name": "operators"])
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        let plan = ApplyDNSTests.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 1)
        #expect(
            plan.err.contains("Access service tokens ls-triton-adapter, training-pipeline not found"), "\(plan.err)")
        #expect(try apps(fake).isEmpty)
    }

    @Test func sessionDurationsReadAndWriteGoSyntax() {
        #expect(
            CloudflareAccess.duration(86_400) == "24h" && CloudflareAccess.duration(5_400) == "90m"
                && CloudflareAccess.duration(45) == "45s")
        #expect(
            CloudflareAccess.seconds("24h") == 86_400 && CloudflareAccess.seconds("1h30m") == 5_400
                && CloudflareAccess.seconds("1.5h") == 5_400)
        #expect(
            CloudflareAccess.seconds("") == nil && CloudflareAccess.seconds("h") == nil
                && CloudflareAccess.seconds("3d") == nil)
    }
}
