import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// The CrunchyBridge firewall against Tests/fakes/fake_crunchybridge.py: the list is exactly
/// the declared rules (the stale 191.101.1.3/32 goes, after the egress rule exists), a create
/// retried after a lost answer or a rate limit is one rule (Idempotency-Key), and a missing
/// key stops before any request.
@Suite(.serialized) struct ApplyFirewallTests {
    static let key = "cbkey_test_\(UUID().uuidString.prefix(8))"
    static let network = "ooer7tenangenjelkxbkgz6sdi"
    static let egress = FirewallRule(rule: "157.173.210.123/32", description: "srv712429-oceanid egress gateway")

    final class Fake: ProviderFake {
        init() throws {
            try super.init(
                script: "fake_crunchybridge.py", arguments: [ApplyFirewallTests.key, ApplyFirewallTests.network])
        }
        func rules() throws -> [[String: Any]] { try state()["rules"] as? [[String: Any]] ?? [] }
        func posts() throws -> [String: Int] { try state()["posts"] as? [String: Int] ?? [:] }
    }

    static func run(
        _ arguments: [String], rules: [FirewallRule] = [egress], fake: Fake, key: String? = ApplyFirewallTests.key
    ) throws -> (Int32, String, String) {
        let folder = try TemporaryFolder("firewall")
        defer { folder.remove() }
        var state = DesiredState()
        state.crunchyBridge = CrunchyBridgeState(
            networkId: network, apiKey: SecretReference(escKey: "crunchyBridgeApiKey"), firewallRules: rules)
        try folder.write("desired-state.json", String(decoding: try JSONEncoder().encode(state), as: UTF8.self))
        var environment = ["OCEANID_CRUNCHYBRIDGE_API": fake.base]
        if let key { environment["BRIDGE_TOKEN"] = key }
        var retry = RetryPolicy()
        retry.sleep = { _ in }
        var out = ""
        var err = ""
        let status = ApplyCLI.run(
            arguments + ["--state", folder.path + "/desired-state.json"],
            environment: ApplyEnvironment(variables: environment, retry: retry, out: { out += $0 }, err: { err += $0 }))
        return (status, out, err)
    }

    @Test func theListBecomesExactlyTheDeclaredRulesCreatingFirst() throws {
        let fake = try Fake()
        try fake.hook("/__rules", ["rule": "191.101.1.3/32", "description": "srv712695 (stale)"])
        // A second page.
        for i in 1...3 { try fake.hook("/__rules", ["rule": "10.0.0.\(i)/32", "description": "old \(i)"]) }
        let (planStatus, plan, _) = try Self.run(["plan"], fake: fake)
        #expect(planStatus == 2)
        #expect(
            plan.contains("create   firewall 157.173.210.123/32") && plan.contains("delete   firewall 191.101.1.3/32"),
            "\(plan)")
        #expect(plan.contains("Plan: 1 to create, 0 to update, 4 to delete"), "\(plan)")
        let (status, out, err) = try Self.run(["apply", "--yes"], fake: fake)
        #expect(status == 0, "\(err)")
        let order = out.split(separator: "\n").filter { $0.hasPrefix("done:") }
        #expect(
            order.first?.contains("create") == true && order.dropFirst().allSatisfy { $0.contains("delete") }, "\(out)")
        #expect(try fake.rules().map { $0["rule"] as? String } == ["157.173.210.123/32"])
        #expect(try Self.run(["plan"], fake: fake).0 == 0)
        // A description difference is an update, not a new rule.
        let renamed = FirewallRule(rule: "157.173.210.123", description: "egress gateway")
        let (updateStatus, updated, _) = try Self.run(["plan"], rules: [renamed], fake: fake)
        #expect(
            updateStatus == 2 && updated.contains("update")
                && updated.contains("Plan: 0 to create, 1 to update, 0 to delete"), "\(updated)")
    }

    @Test func aRetriedCreateIsOneRule() throws {
        let fake = try Fake()
        try fake.hook("/__faults", ["rate_limit": 1, "html_503": 1, "lose_create": 1])
        let (status, _, err) = try Self.run(["apply", "--yes"], fake: fake)
        #expect(status == 0, "\(err)")
        let posts = try fake.posts()
        #expect(try fake.rules().count == 1)
        #expect(posts["applied"] == 1 && (posts["count"] ?? 0) >= 2, "the retry replayed the first create: \(posts)")
        #expect(try Self.run(["plan"], fake: fake).0 == 0)
    }

    @Test func aMissingKeyStopsBeforeAnyRequest() throws {
        let fake = try Fake()
        let (status, _, err) = try Self.run(["plan"], fake: fake, key: nil)
        #expect(
            status == 1
                && err == """
                    warning: firewall skipped: BRIDGE_TOKEN is not set (the ESC key crunchyBridgeApiKey)
                    error: nothing could be planned: firewall skipped

                    """,
            "\(err)")
        #expect(try fake.posts()["count"] == 0)
        let (wrong, _, wrongErr) = try Self.run(["plan"], fake: fake, key: "cbkey_wrong")
        #expect(wrong == 1 && wrongErr.contains("HTTP 401") && !wrongErr.contains("cbkey_wrong"), "\(wrongErr)")
    }
}
