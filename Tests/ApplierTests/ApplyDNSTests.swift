import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// oceanid-apply against a local fake of Cloudflare's DNS API (Tests/fakes/fake_cloudflare.py,
/// the documented envelope, pagination and errors, with fault injection): plan and apply
/// converge, a second plan is empty, nothing unowned is touched, faults do not duplicate a
/// create, bad answers are errors, a missing token stops before any request.
@Suite(.serialized) struct ApplyDNSTests {
    static let token = "test-token-\(UUID().uuidString.prefix(8))"
    static let zone = "fedcba9876543210fedcba9876543210"

    /// The Cloudflare fake for one test, stopped when the value goes away.
    final class FakeCloudflare: ProviderFake {
        init() throws { try super.init(script: "fake_cloudflare.py", arguments: [ApplyDNSTests.token]) }

        func faults(_ counters: [String: Int]) throws { try hook("/__faults", counters) }

        func addByHand(type: String, name: String, content: String) throws {
            try hook(
                "/__records",
                [
                    "zone": ApplyDNSTests.zone, "type": type, "name": name, "content": content, "proxied": false,
                    "ttl": 300,
                ])
        }

        /// Every record, unfiltered.
        func records() throws -> [[String: Any]] { try state()["records"] as? [[String: Any]] ?? [] }
        /// The count of calls by method.
        func calls() throws -> [String: Int] { try state()["calls"] as? [String: Int] ?? [:] }
    }

    static func stateFile(_ records: [DNSRecord]) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("apply")
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: "0123456789abcdef0123456789abcdef", zoneName: "example.com", zoneId: zone,
            apiToken: SecretReference(escKey: "cloudflareApiToken"), dnsRecords: records)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static let desired = [
        DNSRecord(
            type: "CNAME", name: "gpu.example.com", content: "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com"),
        DNSRecord(
            type: "CNAME", name: "label.example.com", content: "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.cfargotunnel.com"),
        DNSRecord(
            type: "CNAME", name: "tethys.example.com",
            content: "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.cfargotunnel.com"),
        DNSRecord(
            type: "CNAME", name: "api.example.com", content: "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.cfargotunnel.com"),
    ]

    typealias Run = ApplyRun

    static func run(
        _ arguments: [String], state: TemporaryFolder, fake: FakeCloudflare?, token: String? = ApplyDNSTests.token,
        base: String? = nil, attempts: Int = 5
    ) -> Run {
        var environment: [String: String] = [:]
        if let token { environment["CLOUDFLARE_API_TOKEN"] = token }
        environment["OCEANID_CLOUDFLARE_API"] = base ?? fake?.base ?? "http://127.0.0.1:9"
        return applyRun(
            arguments, statePath: state.path + "/desired-state.json", environment: environment, attempts: attempts)
    }

    @Test func aMissingTokenStopsBeforeAnyRequest() throws {
        let fake = try FakeCloudflare()
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        let run = Self.run(["plan"], state: state, fake: fake, token: nil)
        #expect(run.status == 1)
        #expect(
            run.err == """
                warning: dns, access skipped: CLOUDFLARE_API_TOKEN is not set (the ESC key cloudflareApiToken)
                error: nothing could be planned: dns, access skipped

                """, "\(run.err)")
        #expect(try fake.calls().values.reduce(0, +) == 0)
    }

    @Test func planApplyAndASecondPlanConvergeLeavingUnownedRecordsAlone() throws {
        let fake = try FakeCloudflare()
        // A hand-made record elsewhere, one CNAME and one A in the way of desired names, and
        // enough records to page.
        try fake.addByHand(type: "A", name: "www.example.com", content: "192.0.2.1")
        try fake.addByHand(type: "CNAME", name: "api.example.com", content: "somewhere.example.net")
        try fake.addByHand(type: "A", name: "tethys.example.com", content: "192.0.2.2")
        for i in 0..<5 { try fake.addByHand(type: "TXT", name: "t\(i).example.com", content: "v=\(i)") }
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 1, "conflicts cannot be reached: \(plan.out)\(plan.err)")
        #expect(plan.out.contains("create   dns CNAME gpu.example.com"), "\(plan.out)")
        #expect(
            plan.out.contains("conflict dns CNAME api.example.com")
                && plan.out.contains("conflict dns CNAME tethys.example.com"))
        #expect(plan.out.contains("Plan: 2 to create, 0 to update, 0 to delete, 2 to conflict."), "\(plan.out)")
        #expect(plan.err.contains("2 objects in the way that the applier does not own"), "\(plan.err)")
        #expect(Self.run(["apply"], state: state, fake: fake).err.contains("needs --yes"))
        #expect(Self.run(["apply", "--json"], state: state, fake: fake).err.contains("apply --json needs --yes"))
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(
            apply.status == 1 && apply.out.contains("Applied 2 changes."),
            "what can be done is done, the conflicts stay errors: \(apply.out)\(apply.err)")
        let again = Self.run(["plan"], state: state, fake: fake)
        #expect(again.out.contains("Plan: 0 to create, 0 to update, 0 to delete, 2 to conflict."), "\(again.out)")
        let records = try fake.records()
        #expect(records.contains { $0["name"] as? String == "www.example.com" }, "the hand-made record survives")
        #expect(
            records.first { $0["name"] as? String == "api.example.com" }?["content"] as? String
                == "somewhere.example.net", "the unowned one in the way too")
        #expect(records.filter { ($0["comment"] as? String) == DNSRecord.ownershipComment }.count == 2)
        // Without the records in the way, a plan converges to nothing.
        let clean = try Self.stateFile(Array(Self.desired.prefix(2)))
        defer { clean.remove() }
        #expect(Self.run(["plan"], state: clean, fake: fake).status == 0)
    }

    @Test func faultsNeitherStopNorDuplicate() throws {
        let fake = try FakeCloudflare()
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        try fake.faults(["rate_limit": 2, "html_500": 1, "lose_create": 2, "slow": 1])
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        let records = try fake.records()
        for record in Self.desired {
            #expect(
                records.filter { $0["name"] as? String == record.name }.count == 1, "\(record.name) exists exactly once"
            )
        }
        #expect(Self.run(["plan"], state: state, fake: fake).status == 0)
    }

    /// A body cut off halfway and an answer slower than --timeout are retried like resets; a
    /// create that timed out after the server committed it is found, not repeated.
    @Test func cutBodiesAndTimeoutsAreRetriedWithoutDuplicates() throws {
        let fake = try FakeCloudflare()
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        try fake.faults(["drop_mid_body": 2, "slow": 3])
        let apply = Self.run(["apply", "--yes", "--timeout", "0.2"], state: state, fake: fake, attempts: 8)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        let records = try fake.records()
        for record in Self.desired {
            #expect(
                records.filter { $0["name"] as? String == record.name }.count == 1, "\(record.name) exists exactly once"
            )
        }
        #expect(Self.run(["plan"], state: state, fake: fake).status == 0)
        // Out of attempts: the error says what happened, and nothing was half done.
        try fake.faults(["slow": 10])
        let slow = Self.run(["plan", "--timeout", "0.2"], state: state, fake: fake, attempts: 2)
        #expect(slow.status == 1 && slow.err.contains("no response") && slow.err.contains("Timeout"), "\(slow.err)")
        #expect(Self.run(["plan", "--timeout", "0"], state: state, fake: fake).status == 64)
    }

    @Test func ownedRecordsAreUpdatedAndDeletedAsDeclared() throws {
        let fake = try FakeCloudflare()
        let first = try Self.stateFile(Self.desired)
        defer { first.remove() }
        #expect(Self.run(["apply", "--yes"], state: first, fake: fake).status == 0)
        var changed = Array(Self.desired.dropLast())
        changed[0].content = "11111111-1111-1111-1111-111111111111.cfargotunnel.com"
        let second = try Self.stateFile(changed)
        defer { second.remove() }
        let plan = Self.run(["plan", "--json"], state: second, fake: fake)
        #expect(plan.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any])
        let actions = (report["plan"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }.sorted()
        #expect(actions == ["delete", "update"], "\(plan.out)")
        #expect(Self.run(["apply", "--yes"], state: second, fake: fake).status == 0)
        #expect(Self.run(["plan"], state: second, fake: fake).status == 0)
    }

    @Test func unusableAnswersAndEndpointsAreErrorsNotCrashes() throws {
        let fake = try FakeCloudflare()
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        try fake.faults(["html_500": 20])
        let html = Self.run(["plan"], state: state, fake: fake)
        #expect(html.status == 1 && html.err.contains("HTTP 502 and an HTML page"), "\(html.err)")
        try fake.faults(["html_500": 0])
        try fake.faults(["malformed": 1])
        let malformed = Self.run(["plan"], state: state, fake: fake)
        #expect(
            malformed.status == 1
                && malformed.err.contains("HTTP 200 and a body that is not Cloudflare's JSON envelope"),
            "\(malformed.err)")
        let wrongToken = Self.run(["plan"], state: state, fake: fake, token: "wrong-token-value")
        #expect(wrongToken.status == 1 && wrongToken.err.contains("10000: Authentication error"), "\(wrongToken.err)")
        #expect(!wrongToken.err.contains("wrong-token-value"), "the token is never printed")
        let wrongPath = Self.run(["plan"], state: state, fake: fake, base: fake.base + "/nowhere")
        #expect(wrongPath.status == 1 && wrongPath.err.contains("7000"), "\(wrongPath.err)")
        let plain = Self.run(["plan"], state: state, fake: fake, base: "http://api.example.com/client/v4")
        #expect(plain.status == 1 && plain.err.contains("plain http"), "\(plain.err)")
        let closed = Self.run(["plan"], state: state, fake: nil, base: "http://127.0.0.1:9")
        #expect(closed.status == 1 && closed.err.contains("no response"), "\(closed.err)")
        #expect(!(html.err + wrongPath.err + closed.err).contains(Self.token), "the token never appears")
    }
}

extension ApplyDNSTests {
    /// The cluster tunnel's ingress is PUT whole only when it differs; a second plan is empty
    /// and does not bump the version connectors pull.
    @Test func aTunnelConfigurationIsReplacedOnlyWhenItDiffers() throws {
        let fake = try FakeCloudflare()
        let folder = try TemporaryFolder("tunnel")
        defer { folder.remove() }
        func write(_ ingress: [IngressRule]) throws {
            var state = DesiredState()
            state.cloudflare = CloudflareState(
                accountId: "0123456789abcdef0123456789abcdef", zoneName: "example.com", zoneId: Self.zone,
                tunnels: [
                    TunnelConfiguration(
                        tunnelId: "6ff42ae2-765d-4adf-8112-31c55c1551ef", name: "cluster", ingress: ingress)
                ])
            try folder.write("desired-state.json", String(decoding: try JSONEncoder().encode(state), as: UTF8.self))
        }
        let ingress = [
            IngressRule(
                hostname: "tethys.example.com", service: "https://10.0.0.10:6443",
                originRequest: OriginRequestSettings(noTLSVerify: true)),
            IngressRule(hostname: "label.example.com", service: "http://label-studio-ls-app.apps.svc.cluster.local:80"),
            IngressRule(hostname: nil, service: "http_status:404"),
        ]
        try write(ingress)
        let plan = Self.run(["plan"], state: folder, fake: fake)
        #expect(
            plan.status == 2 && plan.out.contains("update   tunnel cluster 6ff42ae2")
                && plan.out.contains("no remote configuration yet"), "\(plan.out)\(plan.err)")
        #expect(Self.run(["apply", "--yes"], state: folder, fake: fake).status == 0)
        #expect(Self.run(["plan"], state: folder, fake: fake).status == 0)
        #expect(try fake.calls()["PUT"] == 1)
        // A changed route is one more PUT; the upper-case spelling of a hostname is not a change.
        var changed = ingress
        changed[0].hostname = "TETHYS.example.com"
        try write(changed)
        #expect(Self.run(["plan"], state: folder, fake: fake).status == 0)
        changed.remove(at: 1)
        try write(changed)
        #expect(Self.run(["apply", "--yes"], state: folder, fake: fake).status == 0)
        #expect(try fake.calls()["PUT"] == 2)
        // The placeholder account ID is refused before any request.
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: String(repeating: "0", count: 32), zoneName: "example.com", zoneId: Self.zone,
            tunnels: [
                TunnelConfiguration(tunnelId: "6ff42ae2-765d-4adf-8112-31c55c1551ef", name: "cluster", ingress: ingress)
            ])
        try folder.write("desired-state.json", String(decoding: try JSONEncoder().encode(state), as: UTF8.self))
        let placeholder = Self.run(["plan"], state: folder, fake: fake)
        #expect(
            placeholder.status == 1
                && placeholder.err == """
                    error: tunnel: the account ID in \(folder.path)/desired-state.json is '\(state.cloudflare.accountId)', \
                    not a real one; set cloudflareAccountId in settings.yaml and rebuild
                    error: dns: not planned because tunnel, which goes first, failed
                    error: nothing could be planned: tunnel failed; dns held back

                    """,
            "\(placeholder.err)")
    }
}

/// The DNS plan on its own: keys, ownership, duplicates.
@Suite struct DNSPlannerTests {
    static func live(_ id: String, _ name: String, _ content: String, owned: Bool = true) -> LiveRecord {
        LiveRecord(
            id: id, type: "CNAME", name: name, content: content, proxied: true, ttl: 1,
            comment: owned ? DNSRecord.ownershipComment : nil)
    }

    @Test func duplicatesOfAnOwnedNameAreCollapsedAndNamesCompareNormalised() {
        let desired = [DNSRecord(type: "CNAME", name: "gpu.example.com", content: "t.cfargotunnel.com")]
        let steps = DNSPlanner.plan(
            desired: desired,
            live: [
                Self.live("a", "GPU.example.com.", "T.cfargotunnel.com."),
                Self.live("b", "gpu.example.com", "t.cfargotunnel.com"),
            ])
        #expect(steps.map(\.item.action) == [.delete] && steps.first?.step.live?.id == "b", "\(steps.map(\.item))")
        let unowned = DNSPlanner.plan(
            desired: desired, live: [Self.live("c", "gpu.example.com", "elsewhere.example.net", owned: false)])
        #expect(unowned.map(\.item.action) == [.conflict])
        let stale = DNSPlanner.plan(
            desired: [],
            live: [Self.live("d", "old.example.com", "x"), Self.live("e", "www.example.com", "y", owned: false)])
        #expect(stale.map(\.item.action) == [.delete] && stale.first?.step.live?.id == "d")
    }
}
