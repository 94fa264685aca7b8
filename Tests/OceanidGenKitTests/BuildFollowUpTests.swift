import DSL
import Fleet
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit
@testable import Workspace

/// After `build`, one section names what its changes need that it did not do, each with the
/// command (through the CLI, on the demo fixture fleet and on the real fleet with settings.yaml).
@Suite struct BuildFollowUpTests {
    static let heading = "What this build did not do"

    /// The demo fleet with one more secret (`apiToken` in namespace web): a new ExternalSecret.
    static func demoWithSecret() -> FleetDefinition {
        var fleet = Fixtures.demo()
        fleet.clusters[0].items.append(
            .namespace(
                Namespace("tokens") {
                    SecretDeclaration("api-token", keys: ["token": "apiToken"])
                }))
        return FleetDefinition(fleet)
    }

    @Test func aNewSecretIsNamedWithItsESCCommandAndAnUnchangedBuildIsQuiet() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let first = CapturedRun(FleetDefinition(Fixtures.demo()), ["build"], root: dir.path)
        #expect(first.status == 0, "\(first.err)")
        #expect(
            first.out.contains(
                "  the secret lab:webDbUrl is read by an ExternalSecret for the first time:\n"
                    + "    esc env set default/lab 'pulumiConfig.lab:webDbUrl' \"<value>\" --secret\n"), "\(first.out)")

        let again = CapturedRun(FleetDefinition(Fixtures.demo()), ["build"], root: dir.path)
        #expect(again.status == 0)
        #expect(!again.out.contains(Self.heading), "quiet when nothing changed: \(again.out)")

        let added = CapturedRun(Self.demoWithSecret(), ["build"], root: dir.path)
        #expect(added.status == 0, "\(added.err)")
        #expect(
            added.out.hasSuffix(
                "\(Self.heading) (1):\n"
                    + "  the secret lab:apiToken is read by an ExternalSecret for the first time:\n"
                    + "    esc env set default/lab 'pulumiConfig.lab:apiToken' \"<value>\" --secret\n"), "\(added.out)")
        #expect(!added.out.contains("webDbUrl"), "a secret already read is not named again")
    }

    @Test func jsonCarriesTheSameList() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        _ = CapturedRun(FleetDefinition(Fixtures.demo()), ["build"], root: dir.path)
        let run = CapturedRun(Self.demoWithSecret(), ["build", "--json"], root: dir.path)
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let followUps = try #require(json["followUps"] as? [[String: String]])
        #expect(
            followUps == [
                [
                    "kind": "secret",
                    "reason": "the secret lab:apiToken is read by an ExternalSecret for the first time",
                    "command": "esc env set default/lab 'pulumiConfig.lab:apiToken' \"<value>\" --secret",
                ]
            ])
        let quiet = CapturedRun(Self.demoWithSecret(), ["build", "--json"], root: dir.path)
        let none = try #require(try JSONSerialization.jsonObject(with: Data(quiet.out.utf8)) as? [String: Any])
        #expect(none["followUps"] as? [[String: String]] == [])
    }

    @Test func theNodeTunnelsRealIDNeedsTheApplierAndTheHostsConnectorRestarted() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let first = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(first.status == 0, "\(first.err)")
        try dir.write("settings.yaml", "cloudflareNodeTunnelId: 6ff42ae2-765d-4adf-8112-31c55c1551ef\n")
        let changed = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(changed.status == 0, "\(changed.err)")
        let section = try #require(changed.out.range(of: Self.heading).map { String(changed.out[$0.lowerBound...]) })
        // The tunnel's ID is in the connector's config and in its unit's credentials path.
        #expect(
            section
                == "\(Self.heading) (2):\n"
                + "  cloud/desired-state.json was updated:\n    oceanid-apply plan   # then: oceanid-apply apply\n"
                + "  2 files of host calypso changed:\n"
                + "    on calypso: install hosts/calypso/etc/cloudflared/config.yaml → /etc/cloudflared/config.yaml, "
                + "hosts/calypso/etc/systemd/system/cloudflared-node.service → "
                + "/etc/systemd/system/cloudflared-node.service; "
                + "sudo systemctl daemon-reload && sudo systemctl restart cloudflared-node.service\n", "\(section)")
        #expect(!section.contains("esc env set"), "no secret is new: \(section)")
        #expect(!section.contains("db migrate"), "no migration is new: \(section)")
    }

    static func entry(_ path: String, _ change: OutputPlan.Change, new: String? = "", old: String? = nil)
        -> OutputPlan.Entry
    {
        OutputPlan.Entry(path: path, change: change, contents: new, current: old)
    }

    @Test func aNewMigrationNamesItsDatabaseAndAnEditedOrOtherFileDoesNot() {
        let followUps = BuildFollowUp.from(
            [
                Self.entry("sql/cleandata/migrations/V0004__add_vessels.sql", .create),
                Self.entry("sql/cleandata/migrations/V0003__create_role.sql", .update(handEdited: false), old: ""),
                Self.entry("sql/cleandata/schema.lock.json", .update(handEdited: false), old: ""),
                Self.entry("sql/labelfish/provision.sql", .create),
            ], root: "/nonexistent")
        #expect(
            followUps == [
                BuildFollowUp(
                    kind: "migration", reason: "sql/cleandata/migrations/V0004__add_vessels.sql is a new migration",
                    command: "oceanid-apply db migrate cleandata")
            ])
    }

    @Test func aRenamedServiceATunnelRoutesToNamesTheRouteAndAnUnroutedOneDoesNot() {
        let before = "{\"service\": \"http://label-studio.apps.svc.cluster.local:8080\"}"
        let after = "{\"service\": \"http://labels.apps.svc.cluster.local:8080\"}"
        let renamed = [
            Self.entry(
                "clusters/tethys/apps/label-studio/service-label-studio.yaml", .delete(handEdited: false), new: nil),
            Self.entry(
                "clusters/tethys/apps/label-studio/service-labels.yaml", .create,
                new: "kind: Service\nmetadata:\n  name: labels\n  namespace: apps\n"),
            Self.entry("cloud/desired-state.json", .update(handEdited: false), new: after, old: before),
        ]
        let followUps = BuildFollowUp.from(renamed, root: "/nonexistent")
        #expect(followUps.map(\.kind) == ["cloud", "route"])
        #expect(
            followUps.last?.reason
                == "Service apps/label-studio was renamed to labels and a tunnel routes to it: the ingress now "
                + "points at labels.apps.svc")
        // The same rename with no tunnel routing to either name: nothing about a route.
        let unrouted = BuildFollowUp.from(Array(renamed.prefix(2)), root: "/nonexistent")
        #expect(unrouted == [])
    }
}
