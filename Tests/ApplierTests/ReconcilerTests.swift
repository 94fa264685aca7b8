import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// The reconciler against the providers' fakes (Tests/fakes): a provider without its
/// credentials is skipped and named, one that fails does not stop the others, `--only`
/// chooses, and deletes come after every create and update.
@Suite(.serialized) struct ReconcilerTests {
    static let egress = ApplyFirewallTests.egress
    static let record = DNSRecord(
        type: "CNAME", name: "gpu.example.com", content: "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com")

    /// Every provider declared: a DNS record, a firewall rule, a Label Studio storage, a
    /// Triton model behind Access.
    static var everything: DesiredState {
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: "0123456789abcdef0123456789abcdef", zoneName: "example.com",
            zoneId: ApplyDNSTests.zone, dnsRecords: [record])
        state.crunchyBridge = CrunchyBridgeState(networkId: ApplyFirewallTests.network, firewallRules: [egress])
        state.labelStudio = LabelStudioState(
            url: "https://label.example.com", storages: [ApplyLabelStudioTests.import_()])
        state.modelServing = ModelServingState(endpoints: [
            ModelEndpoint(
                url: "https://gpu.example.com", models: ["ner"],
                accessProtected: true)
        ])
        return state
    }

    static func write(_ state: DesiredState) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("reconciler")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static func run(_ arguments: [String], _ folder: TemporaryFolder, _ environment: [String: String]) -> ApplyRun {
        applyRun(arguments, statePath: folder.path + "/desired-state.json", environment: environment)
    }

    /// The must-show: with only the Cloudflare token, Cloudflare is planned (exit 2, it has a
    /// change) and the skipped providers are named with the variables they miss.
    @Test func onlyTheCloudflareTokenPlansCloudflareAndNamesTheSkippedProviders() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        let folder = try Self.write(Self.everything)
        defer { folder.remove() }
        let environment = ["CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": fake.base]
        let plan = Self.run(["plan"], folder, environment)
        #expect(plan.status == 2, "\(plan.out)\(plan.err)")
        #expect(
            plan.out == """
                create   dns CNAME gpu.example.com  content \(Self.record.content), proxied true
                Plan: 1 to create, 0 to update, 0 to delete, 0 to conflict.

                """, "\(plan.out)")
        #expect(
            plan.err == """
                warning: firewall skipped: BRIDGE_TOKEN is not set (the ESC key crunchyBridgeApiKey)
                warning: labelstudio skipped: LABEL_STUDIO_API_KEY is not set (the ESC key labelStudioApiKey)
                warning: triton skipped: CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET must both be set: \
                Cloudflare Access guards https://gpu.example.com

                """, "\(plan.err)")
        // The JSON report says the same.
        let json = Self.run(["plan", "--json"], folder, environment)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any], "\(json.out)")
        let skipped = report["skipped"] as? [[String: Any]] ?? []
        #expect(json.status == 2 && report["exitCode"] as? Int == 2 && report["error"] == nil, "\(json.out)")
        let names = skipped.compactMap { $0["provider"] as? String }
        #expect(names == ["firewall", "labelstudio", "triton"], "\(skipped)")
        #expect((skipped.first?["reasons"] as? [String])?.first?.hasPrefix("BRIDGE_TOKEN is not set") == true)
        // Once applied, the same run plans nothing: exit 0, the skipped still named.
        #expect(Self.run(["apply", "--yes"], folder, environment).status == 0)
        let again = Self.run(["plan"], folder, environment)
        #expect(again.status == 0 && again.err.hasPrefix("warning: firewall skipped:"), "\(again.out)\(again.err)")
    }

    /// The must-show: Label Studio refuses a storage (its bucket does not exist), and the
    /// database firewall still converges, its stale rule deleted after the create; exit 1
    /// names the refusal.
    @Test func aRefusedStorageDoesNotStopTheFirewallFromConverging() throws {
        let firewall = try ApplyFirewallTests.Fake()
        try firewall.hook("/__rules", ["rule": "191.101.1.3/32", "description": "srv712695 (stale)"])
        let studio = try ApplyLabelStudioTests.Fake()
        let project = try studio.project("NER data")  // no bucket: Label Studio cannot find it
        var state = DesiredState()
        state.crunchyBridge = CrunchyBridgeState(networkId: ApplyFirewallTests.network, firewallRules: [Self.egress])
        state.labelStudio = LabelStudioState(
            url: "https://label.example.com", storages: [ApplyLabelStudioTests.import_()])
        let folder = try Self.write(state)
        defer { folder.remove() }
        let environment = [
            "BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base,
            "LABEL_STUDIO_API_KEY": ApplyLabelStudioTests.token, "OCEANID_LABELSTUDIO_URL": studio.base,
            "LABEL_STUDIO_AWS_ACCESS_KEY_ID": ApplyLabelStudioTests.keyId,
            "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY": ApplyLabelStudioTests.secret,
        ]
        let apply = Self.run(["apply", "--yes"], folder, environment)
        #expect(apply.status == 1)
        let place = "s3://\(ApplyLabelStudioTests.bucket)/raw-uploads/ner-data-\(project)/import/"
        #expect(
            apply.out.split(separator: "\n").filter { $0.hasPrefix("done:") } == [
                "done: create firewall 157.173.210.123/32", "done: delete firewall 191.101.1.3/32",
            ], "\(apply.out)")
        #expect(apply.out.hasSuffix("Applied 2 changes.\n"), "\(apply.out)")
        #expect(
            apply.err == """
                error: create project \(project) import \(place) failed: Label Studio refused creating the \
                import storage \(place) of project \(project) (HTTP 400): Validation error: Cannot find bucket \
                \(ApplyLabelStudioTests.bucket) in S3; done before it: nothing; run apply again to converge

                """, "\(apply.err)")
        #expect(try firewall.rules().map { $0["rule"] as? String } == [Self.egress.rule])
        #expect(try studio.storages().isEmpty)
        // The firewall has converged; Label Studio still plans its storage.
        #expect(Self.run(["plan", "--only", "firewall"], folder, environment).status == 0)
        #expect(Self.run(["plan", "--only", "labelstudio"], folder, environment).status == 2)
    }

    /// A provider that cannot even be read does not stop the others from planning or applying.
    @Test func aProviderThatCannotBeReadDoesNotStopTheOthers() throws {
        let firewall = try ApplyFirewallTests.Fake()
        let folder = try Self.write(Self.everything)
        defer { folder.remove() }
        let environment = [
            "CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": "http://127.0.0.1:9",
            "BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base,
        ]
        let apply = Self.run(["apply", "--yes", "--only", "dns,access,firewall"], folder, environment)
        #expect(apply.status == 1)
        #expect(
            apply.out.contains("done: create firewall 157.173.210.123/32")
                && apply.out.hasSuffix("Applied 1 change.\n"),
            "\(apply.out)")
        // Access goes after DNS: it is held back, never sent a request.
        #expect(
            apply.err == """
                error: Cloudflare DNS: no response: GET http://127.0.0.1:9: Couldn't connect to server
                error: access: not planned because dns, which goes first, failed

                """, "\(apply.err)")
        #expect(try firewall.rules().map { $0["rule"] as? String } == [Self.egress.rule])
    }

    @Test func onlyChoosesProvidersAndAChosenOneWithoutCredentialsFails() throws {
        let cloudflare = try ApplyDNSTests.FakeCloudflare()
        let firewall = try ApplyFirewallTests.Fake()
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: "", zoneName: "example.com", zoneId: ApplyDNSTests.zone, dnsRecords: [Self.record])
        state.crunchyBridge = CrunchyBridgeState(networkId: ApplyFirewallTests.network, firewallRules: [Self.egress])
        let folder = try Self.write(state)
        defer { folder.remove() }
        let environment = [
            "CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": cloudflare.base,
            "BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base,
        ]
        let only = Self.run(["plan", "--only", "firewall"], folder, environment)
        #expect(only.status == 2 && only.err.isEmpty, "\(only.err)")
        #expect(
            only.out == """
                create   firewall 157.173.210.123/32  \(Self.egress.description)
                Plan: 1 to create, 0 to update, 0 to delete, 0 to conflict.

                """, "\(only.out)")
        #expect(try cloudflare.calls().values.reduce(0, +) == 0, "Cloudflare was not asked")
        let both = Self.run(["plan", "--only", "dns, firewall"], folder, environment)
        #expect(
            both.status == 2 && both.out.hasSuffix("Plan: 2 to create, 0 to update, 0 to delete, 0 to conflict.\n"),
            "\(both.out)")
        let unknown = Self.run(["plan", "--only", "dns,firewal"], folder, environment)
        #expect(unknown.status == 64 && unknown.out.isEmpty)
        #expect(
            unknown.err.hasPrefix(
                "error: --only names no provider called 'firewal'; the providers are tunnel, routes, dns, access, "
                    + "firewall, labelstudio, cors, triton\n"), "\(unknown.err)")
        // A chosen provider the state does not declare is named, not an error.
        let undeclared = Self.run(["plan", "--only", "triton"], folder, environment)
        #expect(undeclared.status == 0 && undeclared.out.isEmpty, "\(undeclared.out)")
        #expect(
            undeclared.err == "warning: --only chose triton, which \(folder.path)/desired-state.json does not declare; "
                + "nothing to do\n", "\(undeclared.err)")
        // Skipped without --only, an error with it.
        let skipped = Self.run(
            ["plan"], folder, ["BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base])
        #expect(
            skipped.status == 2
                && skipped.err == "warning: dns skipped: CLOUDFLARE_API_TOKEN is not set (the ESC key "
                    + "cloudflareApiToken)\n",
            "\(skipped.err)")
        let chosen = Self.run(
            ["plan", "--only", "dns,firewall"], folder,
            ["BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base])
        #expect(chosen.status == 1 && chosen.out.hasPrefix("create   firewall"), "\(chosen.out)")
        #expect(
            chosen.err == "error: dns: CLOUDFLARE_API_TOKEN is not set (the ESC key cloudflareApiToken)\n",
            "\(chosen.err)")
    }

    /// A malformed credential fails only the providers that use it: `--only dns` plans with a
    /// one-character Label Studio key; without `--only`, DNS and the firewall are planned and
    /// applied, Label Studio fails without a request, and the failure comes at the end.
    @Test func aMalformedCredentialFailsOnlyItsProvider() throws {
        let cloudflare = try ApplyDNSTests.FakeCloudflare()
        let firewall = try ApplyFirewallTests.Fake()
        var state = Self.everything
        state.modelServing = ModelServingState()
        let folder = try Self.write(state)
        defer { folder.remove() }
        let environment = [
            "CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": cloudflare.base,
            "BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base,
            "LABEL_STUDIO_API_KEY": "e", "OCEANID_LABELSTUDIO_URL": "http://127.0.0.1:9",
        ]
        let dns = Self.run(["plan", "--only", "dns"], folder, environment)
        #expect(dns.status == 2 && dns.err.isEmpty, "\(dns.err)")
        #expect(
            dns.out == """
                create   dns CNAME gpu.example.com  content \(Self.record.content), proxied true
                Plan: 1 to create, 0 to update, 0 to delete, 0 to conflict.

                """, "\(dns.out)")
        let plan = Self.run(["plan"], folder, environment)
        #expect(plan.status == 1 && plan.out.hasSuffix("Plan: 2 to create, 0 to update, 0 to delete, 0 to conflict.\n"))
        let failure =
            "error: labelstudio: LABEL_STUDIO_API_KEY is 1 character long, too short for a credential (truncated?)\n"
        #expect(plan.err == failure, "\(plan.err)")
        let apply = Self.run(
            ["apply", "--yes"], folder, environment.merging(["LABEL_STUDIO_AWS_ACCESS_KEY_ID": "x"]) { $1 })
        #expect(apply.status == 1, "\(apply.out)\(apply.err)")
        #expect(
            apply.out.split(separator: "\n").filter { $0.hasPrefix("done:") } == [
                "done: create dns CNAME gpu.example.com", "done: create firewall 157.173.210.123/32",
            ], "\(apply.out)")
        // Every sentence of the refused provider, the short key and the missing S3 keys, at the end.
        #expect(
            apply.err == failure.replacingOccurrences(of: "\n", with: "")
                + "\nerror: labelstudio: LABEL_STUDIO_AWS_ACCESS_KEY_ID is 1 character long, too short for a "
                + "credential (truncated?)\nerror: labelstudio: LABEL_STUDIO_AWS_ACCESS_KEY_ID and "
                + "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY must both be set for apply (the ESC keys "
                + "aws.labelStudio.accessKeyId, aws.labelStudio.secretAccessKey)\n", "\(apply.err)")
        #expect(Self.run(["plan", "--only", "dns,firewall"], folder, environment).status == 0)
    }

    /// A placeholder account ID stops the tunnels and Access (one line naming both), DNS is
    /// held back behind the tunnels, the others are skipped as warnings, and the last line says
    /// what became of each. `--json` keeps them structured and `error` says only the last line.
    @Test func placeholdersNameTheProvidersTheyStopAndTheLastLineSaysWhatHappened() throws {
        let cloudflare = try ApplyDNSTests.FakeCloudflare()
        var state = Self.everything
        state.cloudflare.accountId = String(repeating: "0", count: 32)
        state.cloudflare.tunnels = [
            TunnelConfiguration(tunnelId: "6ff42ae2-765d-4adf-8112-31c55c1551ef", name: "cluster", ingress: [])
        ]
        state.cloudflare.accessApplications = [
            AccessApplication(
                name: "gpu" + AccessApplication.ownershipSuffix, domain: "gpu.example.com", serviceTokens: ["triton"])
        ]
        let folder = try Self.write(state)
        defer { folder.remove() }
        let environment = ["CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": cloudflare.base]
        let plan = Self.run(["plan"], folder, environment)
        #expect(plan.status == 1 && plan.out.isEmpty, "\(plan.out)")
        let path = folder.path + "/desired-state.json"
        #expect(
            plan.err == """
                warning: firewall skipped: BRIDGE_TOKEN is not set (the ESC key crunchyBridgeApiKey)
                warning: labelstudio skipped: LABEL_STUDIO_API_KEY is not set (the ESC key labelStudioApiKey)
                warning: triton skipped: CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET must both be set: \
                Cloudflare Access guards https://gpu.example.com
                error: tunnel, access: the account ID in \(path) is '\(state.cloudflare.accountId)', not a real one; \
                set cloudflareAccountId in settings.yaml and rebuild
                error: dns: not planned because tunnel, which goes first, failed
                error: nothing could be planned: tunnel, access failed; dns held back; firewall, labelstudio, \
                triton skipped

                """, "\(plan.err)")
        #expect(try cloudflare.calls().values.reduce(0, +) == 0, "nothing was requested")
        let json = Self.run(["plan", "--json"], folder, environment)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any], "\(json.out)")
        #expect(
            report["error"] as? String
                == "nothing could be planned: tunnel, access failed; dns held back; firewall, labelstudio, triton skipped",
            "\(json.out)")
        let failures = report["failures"] as? [[String: Any]] ?? []
        #expect(
            failures.map { "\($0["provider"] ?? "") \($0["status"] ?? "")" } == [
                "tunnel refused", "dns held back", "access refused",
            ], "\(json.out)")
        #expect(
            failures.last?["reasons"] as? [String] == [
                "the account ID in \(path) is '\(state.cloudflare.accountId)', not a real one; set cloudflareAccountId "
                    + "in settings.yaml and rebuild"
            ], "\(json.out)")
        #expect((report["skipped"] as? [Any])?.count == 3, "\(json.out)")
    }

    /// Creates and updates of every provider come before any delete.
    @Test func deletesComeAfterEveryCreateAndUpdate() throws {
        let cloudflare = try ApplyDNSTests.FakeCloudflare()
        try cloudflare.hook(
            "/__records",
            [
                "zone": ApplyDNSTests.zone, "type": "CNAME", "name": "old.example.com", "content": "x.example.net",
                "proxied": true, "ttl": 1, "comment": DNSRecord.ownershipComment,
            ])
        let firewall = try ApplyFirewallTests.Fake()
        try firewall.hook("/__rules", ["rule": "191.101.1.3/32", "description": "srv712695 (stale)"])
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: "", zoneName: "example.com", zoneId: ApplyDNSTests.zone, dnsRecords: [Self.record])
        state.crunchyBridge = CrunchyBridgeState(networkId: ApplyFirewallTests.network, firewallRules: [Self.egress])
        let folder = try Self.write(state)
        defer { folder.remove() }
        let environment = [
            "CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": cloudflare.base,
            "BRIDGE_TOKEN": ApplyFirewallTests.key, "OCEANID_CRUNCHYBRIDGE_API": firewall.base,
        ]
        let apply = Self.run(["apply", "--yes"], folder, environment)
        #expect(apply.status == 0, "\(apply.err)")
        #expect(
            apply.out.split(separator: "\n").filter { !$0.hasPrefix("create ") && !$0.hasPrefix("delete ") } == [
                "Plan: 2 to create, 0 to update, 2 to delete, 0 to conflict.",
                "done: create dns CNAME gpu.example.com",
                "done: create firewall 157.173.210.123/32",
                "done: delete dns CNAME old.example.com",
                "done: delete firewall 191.101.1.3/32",
                "Applied 4 changes.",
            ], "\(apply.out)")
        #expect(Self.run(["plan"], folder, environment).status == 0)
    }
}

/// The reconciler on its own, with providers that only record what they were asked.
@Suite struct ReconcilerOrderTests {
    /// A provider whose plan and changes are given, and which fails where told.
    struct Recorded: Provider {
        static let name = "recorded"
        let title: String
        let dependencies: [String]
        let credentials: [Credential] = []
        let changes: [PlanItem]?
        let failing: Set<String>
        let log: Log

        init?(state: DesiredState, context: ProviderContext) { nil }

        init(_ name: String, _ changes: [PlanItem]?, after: [String] = [], failing: Set<String> = [], log: Log) {
            title = name
            dependencies = after
            self.changes = changes
            self.failing = failing
            self.log = log
        }

        func plan() throws -> [Change<String>] {
            guard let changes else { throw ProviderError("\(title) cannot be read") }
            return changes.map { Change(item: $0, step: $0.object) }
        }

        func apply(_ change: Change<String>) throws {
            if failing.contains(change.step) { throw ProviderError("\(change.step) refused") }
            log.entries.append("\(change.item.action.rawValue) \(change.step)")
        }
    }

    final class Log: @unchecked Sendable { var entries: [String] = [] }

    static func item(_ action: PlanItem.Action, _ object: String) -> PlanItem {
        PlanItem(action: action, provider: "recorded", object: object, detail: "")
    }

    @Test func everyProviderIsPlannedAndAppliedPastFailuresDeletesLast() {
        let log = Log()
        // The name is static, so each provider's `name` is "recorded"; dependencies refer to it.
        let providers: [any Provider] = [
            Recorded("a", [Self.item(.delete, "a2"), Self.item(.create, "a1")], log: log),
            Recorded("b", [Self.item(.create, "b1"), Self.item(.delete, "b2")], failing: ["b1"], log: log),
            Recorded("c", [Self.item(.update, "c1"), Self.item(.conflict, "c0"), Self.item(.delete, "c2")], log: log),
        ]
        let reconciler = Reconciler(providers: providers, variables: [:])
        let outcomes = reconciler.plan()
        #expect(outcomes.map(\.status) == [.planned, .planned, .planned])
        var done: [String] = []
        let applied = reconciler.apply(outcomes) { done.append($0.object) }
        #expect(log.entries == ["create a1", "update c1", "delete a2", "delete c2"], "b's delete waits for its create")
        #expect(done == ["a1", "c1", "a2", "c2"])
        #expect(
            applied.map(\.status) == [
                .planned,
                .failed([
                    "create b1 failed: b1 refused; done before it: nothing; run apply "
                        + "again to converge"
                ]), .planned,
            ])
    }

    @Test func aDependentOfAFailedProviderIsHeldBack() {
        let log = Log()
        let providers: [any Provider] = [
            Recorded("unreadable", nil, log: log),
            Recorded("after", [Self.item(.create, "x")], after: ["recorded"], log: log),
        ]
        let reconciler = Reconciler(providers: providers, variables: [:], secrets: ["unreadable"])
        let outcomes = reconciler.plan()
        #expect(
            outcomes.map(\.status) == [
                .failed(["<token> cannot be read"]),
                .heldBack(blocker: "recorded"),
            ])
        #expect(outcomes.map(\.requested) == [true, false])
        _ = reconciler.apply(outcomes) { _ in }
        #expect(log.entries.isEmpty)
    }
}
