import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// oceanid-apply's tunnel routes against the local Cloudflare fake (Tests/fakes/fake_cloudflare.py:
/// `accounts/{id}/teamnet/routes` with the documented shapes, pagination of at most 3 per page and
/// soft deletes): plan and apply converge and a second plan is empty; a route the applier does
/// not own on a declared network is a conflict, left alone; an owned route is moved to the
/// declared tunnel, and deleted once no longer declared; routes on other networks are untouched.
@Suite(.serialized) struct ApplyRoutesTests {
    static let account = "0123456789abcdef0123456789abcdef"
    static let nodeTunnels = "5b7c1f7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b"
    static let cluster = "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11"

    static func stateFile(_ routes: [PrivateRoute]) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("apply")
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: account, zoneName: "example.com", zoneId: ApplyDNSTests.zone,
            apiToken: SecretReference(escKey: "cloudflareApiToken"))
        state.cloudflare.privateRoutes = routes
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static let desired = [
        PrivateRoute(network: "10.42.0.0/16", tunnelId: nodeTunnels, tunnelName: "node-tunnels", description: "pods"),
        PrivateRoute(
            network: "10.43.0.0/16", tunnelId: nodeTunnels, tunnelName: "node-tunnels", description: "services"),
    ]

    static func run(_ arguments: [String], state: TemporaryFolder, fake: ApplyDNSTests.FakeCloudflare) -> ApplyRun {
        ApplyDNSTests.run(arguments + ["--only", "routes"], state: state, fake: fake)
    }

    static func routes(_ fake: ApplyDNSTests.FakeCloudflare) throws -> [[String: Any]] {
        try fake.state()["routes"] as? [[String: Any]] ?? []
    }

    static func addByHand(_ fake: ApplyDNSTests.FakeCloudflare, _ network: String, tunnel: String, comment: String)
        throws
    {
        _ = try fake.hook("/__routes", ["network": network, "tunnel_id": tunnel, "comment": comment])
    }

    @Test func planAndApplyConvergeAcrossPages() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        // Someone else's routes on other networks: more than a page of them.
        for i in 0..<4 { try Self.addByHand(fake, "192.168.\(i).0/24", tunnel: Self.cluster, comment: "by hand") }
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 2, "\(plan.out)\(plan.err)")
        #expect(plan.out.contains("create   routes 10.42.0.0/16"), "\(plan.out)")
        #expect(plan.out.contains("Plan: 2 to create, 0 to update, 0 to delete, 0 to conflict."), "\(plan.out)")
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        #expect(Self.run(["plan"], state: state, fake: fake).status == 0)
        let ours = try Self.routes(fake).filter { $0["comment"] as? String == DNSRecord.ownershipComment }
        #expect(ours.compactMap { $0["network"] as? String }.sorted() == ["10.42.0.0/16", "10.43.0.0/16"])
        #expect(ours.allSatisfy { $0["tunnel_id"] as? String == Self.nodeTunnels })
        #expect(try Self.routes(fake).filter { $0["comment"] as? String == "by hand" }.count == 4)
    }

    @Test func unownedIsLeftAloneOwnedIsMovedAndPruned() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        try Self.addByHand(fake, "10.42.0.0/16", tunnel: Self.cluster, comment: "made in the dashboard")
        try Self.addByHand(fake, "10.43.0.0/16", tunnel: Self.cluster, comment: DNSRecord.ownershipComment)
        try Self.addByHand(fake, "10.44.0.0/16", tunnel: Self.cluster, comment: DNSRecord.ownershipComment)
        let state = try Self.stateFile(Self.desired)
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake)
        #expect(plan.out.contains("conflict routes 10.42.0.0/16"), "\(plan.out)")
        #expect(plan.out.contains("update   routes 10.43.0.0/16"), "\(plan.out)")
        #expect(plan.out.contains("delete   routes 10.44.0.0/16"), "\(plan.out)")
        #expect(plan.out.contains("Plan: 0 to create, 1 to update, 1 to delete, 1 to conflict."), "\(plan.out)")
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 1, "the conflict stays an error: \(apply.out)\(apply.err)")
        let live = try Self.routes(fake).filter { $0["deleted_at"] is NSNull || $0["deleted_at"] == nil }
        #expect(
            live.first { $0["network"] as? String == "10.42.0.0/16" }?["tunnel_id"] as? String == Self.cluster,
            "the dashboard's route is untouched")
        #expect(live.first { $0["network"] as? String == "10.43.0.0/16" }?["tunnel_id"] as? String == Self.nodeTunnels)
        #expect(!live.contains { $0["network"] as? String == "10.44.0.0/16" }, "the undeclared owned route is gone")
    }

    @Test func aPlaceholderTunnelStopsBeforeAnyRequest() throws {
        let fake = try ApplyDNSTests.FakeCloudflare()
        let placeholder = PrivateRoute(
            network: "10.42.0.0/16", tunnelId: "00000000-0000-0000-0000-000000000000", tunnelName: "node-tunnels",
            description: "pods")
        let state = try Self.stateFile([placeholder])
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 1)
        #expect(plan.err.contains("whose ID is the placeholder"), "\(plan.err)")
        #expect((try fake.state()["route_calls"] as? [String: Int])?.values.reduce(0, +) == 0)
    }
}
