import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// `--adopt` against the fakes seeded as the seeds' Pulumi stack left the account
/// (Tests/fakes/fake_cloudflare.py, fake_labelstudio.py): CNAMEs for gpu, tethys and label (one
/// with another target), an unowned Access app on `gpu`, a hand-made storage on the declared
/// prefix, and records nobody declares. Without `--adopt` they are conflicts naming the flag;
/// with it they are taken over in place under faults, IDs kept, the undeclared left alone.
@Suite(.serialized) struct ApplyAdoptionTests {
    static let tunnel = "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com"
    static let staleTunnel = "11111111-2222-4333-8444-555555555555.cfargotunnel.com"

    /// The fakes seeded as Pulumi left the account: gpu and label at the desired tunnel, tethys at
    /// an older one; records nobody declares; an object in the storage's export prefix.
    static func account() throws -> PulumiLeftAccount {
        let account = try PulumiLeftAccount(
            domain: "example.com", cnames: ["gpu": tunnel, "label": tunnel, "tethys": staleTunnel],
            byHand: { cloudflare in
                try cloudflare.addByHand(type: "A", name: "www.example.com", content: "192.0.2.10")
                try cloudflare.addByHand(type: "TXT", name: "example.com", content: "v=spf1 -all")
            },
            gpuPolicies: [["name": "ops", "decision": "allow", "include": [["email": ["email": "a@b.c"]]]]],
            storageTitle: "pulumi export", storageRegion: "")
        try account.studio.hook(
            "/__objects",
            ["bucket": ApplyLabelStudioTests.bucket, "key": "annotations/ner-data-\(account.project)/export/x.json"])
        return account
    }

    static let records = [
        DNSRecord(type: "CNAME", name: "gpu.example.com", content: tunnel),
        DNSRecord(type: "CNAME", name: "label.example.com", content: tunnel),
        DNSRecord(type: "CNAME", name: "tethys.example.com", content: tunnel),
    ]

    static func stateFile() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("apply-adopt")
        var state = DesiredState()
        state.cloudflare = CloudflareState(
            accountId: ApplyAccessTests.account, zoneName: "example.com", zoneId: ApplyDNSTests.zone,
            apiToken: SecretReference(escKey: "cloudflareApiToken"), dnsRecords: records,
            accessApplications: [ApplyAccessTests.app("gpu.example.com", emails: ["ops@example.com"])])
        state.labelStudio = LabelStudioState(
            url: "https://label.example.com", apiToken: SecretReference(escKey: "labelStudioApiKey"),
            storages: [ApplyLabelStudioTests.export()])
        try PulumiLeftAccount.write(state, in: folder)
        return folder
    }

    static func run(_ arguments: [String], _ account: PulumiLeftAccount, state: TemporaryFolder) -> ApplyRun {
        applyRun(arguments, statePath: state.path + "/desired-state.json", environment: account.environment)
    }

    @Test func withoutAdoptTheyAreConflictsNamingTheFlag() throws {
        let account = try Self.account()
        let state = try Self.stateFile()
        defer { state.remove() }
        let before = try account.records()
        let plan = Self.run(["plan"], account, state: state)
        #expect(plan.status == 1, "\(plan.out)\(plan.err)")
        for object in [
            "CNAME gpu.example.com", "CNAME label.example.com", "CNAME tethys.example.com", "app gpu.example.com",
        ] {
            #expect(
                plan.out.split(separator: "\n").contains { $0.hasPrefix("conflict") && $0.contains(object) },
                "\(object): \(plan.out)")
        }
        #expect(plan.out.contains("export s3://\(ApplyLabelStudioTests.bucket)/annotations/ner-data-1/export/"))
        #expect(
            plan.err.contains(
                "error: 5 objects in the way that the applier does not own: CNAME gpu.example.com, "
                    + "CNAME label.example.com, CNAME tethys.example.com, app gpu.example.com, project 1 export "
                    + "s3://\(ApplyLabelStudioTests.bucket)/annotations/ner-data-1/export/; run plan --adopt to take "
                    + "them over in place (IDs kept), or remove them by hand"), "\(plan.err)")
        // Nothing was written: a plan, and conflicts are never applied either.
        let apply = Self.run(["apply", "--yes"], account, state: state)
        #expect(apply.status == 1)
        #expect(
            try account.records().mapValues { "\($0["content"] ?? "") \($0["comment"] ?? "")" }
                == before.mapValues { "\($0["content"] ?? "") \($0["comment"] ?? "")" })
    }

    @Test func adoptTakesThemOverInPlaceUnderFaultsAndASecondPlanIsEmpty() throws {
        let account = try Self.account()
        let state = try Self.stateFile()
        defer { state.remove() }
        let before = try account.records()
        let appId = try #require((try account.cloudflare.state()["apps"] as? [[String: Any]])?.first?["id"] as? String)
        let storageId = try #require(try account.studio.storages().first?["id"] as? Int)

        let plan = Self.run(["plan", "--adopt"], account, state: state)
        #expect(plan.status == 2, "\(plan.out)\(plan.err)")
        let rows = plan.out.split(separator: "\n").map(String.init)
        let gpuId = try #require(before["CNAME gpu.example.com"]?["id"] as? String)
        let tethysId = try #require(before["CNAME tethys.example.com"]?["id"] as? String)
        #expect(
            rows.contains {
                $0.hasPrefix("adopt        dns ") && $0.contains("CNAME gpu.example.com")
                    && $0.hasSuffix("id \(gpuId) kept")
            }, "\(plan.out)")
        #expect(
            rows.contains {
                $0.hasPrefix("adopt+update dns ") && $0.contains("CNAME tethys.example.com")
                    && $0.hasSuffix("id \(tethysId) kept, content \(Self.staleTunnel) → \(Self.tunnel)")
            }, "\(plan.out)")
        #expect(
            rows.contains {
                $0.hasPrefix("adopt        access") && $0.contains("app gpu.example.com")
                    && $0.contains("id \(appId) kept, name gpu → gpu.example.com (managed by oceanid-apply)")
            }, "\(plan.out)")
        // The adopted app's policies become the fleet's: the stray one goes, the declared one comes.
        #expect(rows.contains { $0.hasPrefix("create") && $0.contains("app gpu.example.com policy oceanid: people") })
        #expect(rows.contains { $0.hasPrefix("delete") && $0.contains("app gpu.example.com policy ops") })
        #expect(
            rows.contains {
                $0.hasPrefix("adopt+update labelstudio")
                    && $0.hasSuffix(
                        "storage \(storageId) kept, title 'pulumi export' → 'S3 export (managed by oceanid-apply)', "
                            + "region none → us-east-1")
            }, "\(plan.out)")
        #expect(!plan.out.contains("www.example.com") && !plan.out.contains("TXT"), "undeclared records are not rows")
        #expect(plan.out.contains("to adopt, ") && plan.out.contains("to adopt+update."), "\(plan.out)")

        try account.cloudflare.faults(["rate_limit": 2, "html_500": 2])
        try account.studio.hook("/__faults", ["rate_limit": 1, "html_500": 1])
        let apply = Self.run(["apply", "--adopt", "--yes"], account, state: state)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")

        let after = try account.records()
        #expect(after.count == before.count, "nothing created or deleted: \(after.keys.sorted())")
        for (key, record) in before {
            #expect(after[key]?["id"] as? String == record["id"] as? String, "\(key) keeps its ID")
        }
        for key in ["CNAME gpu.example.com", "CNAME label.example.com", "CNAME tethys.example.com"] {
            #expect(after[key]?["comment"] as? String == DNSRecord.ownershipComment, "\(key)")
            #expect(after[key]?["content"] as? String == Self.tunnel, "\(key)")
        }
        for key in ["A www.example.com", "TXT example.com"] {
            #expect(after[key]?["content"] as? String == before[key]?["content"] as? String, "\(key)")
            #expect(after[key]?["comment"] as? String == nil, "\(key) untouched")
        }
        let apps = try account.cloudflare.state()["apps"] as? [[String: Any]] ?? []
        #expect(apps.count == 1 && apps.first?["id"] as? String == appId)
        #expect(apps.first?["name"] as? String == "gpu.example.com (managed by oceanid-apply)")
        let storages = try account.studio.storages()
        #expect(storages.count == 1 && storages.first?["id"] as? Int == storageId)
        #expect(storages.first?["title"] as? String == "S3 export (managed by oceanid-apply)")
        #expect(storages.first?["region_name"] as? String == "us-east-1")

        let again = Self.run(["plan"], account, state: state)
        #expect(again.status == 0, "\(again.out)\(again.err)")
        #expect(again.out == "No changes: the live state matches the desired state.\n")
    }

    @Test func aRecordOfAnotherTypeBesideAWantedCNAMEStaysAConflictWithAdopt() {
        let changes = DNSPlanner.plan(
            desired: [DNSRecord(type: "CNAME", name: "api.example.com", content: Self.tunnel)],
            live: [LiveRecord(id: "x", type: "A", name: "api.example.com", content: "192.0.2.20")], adopt: true)
        #expect(changes.map(\.item.action) == [.conflict])
        #expect(changes.first?.item.detail.contains("a CNAME cannot share it") == true)
    }

    @Test func anOwnedDifferingRecordIsAnUpdateNotAnAdoptionAndAMatchingUnownedOneIsAdopted() {
        var owned = LiveRecord(
            id: "o", type: "CNAME", name: "gpu.example.com", content: Self.staleTunnel, proxied: true, ttl: 1,
            comment: DNSRecord.ownershipComment)
        let desired = [DNSRecord(type: "CNAME", name: "gpu.example.com", content: Self.tunnel)]
        #expect(DNSPlanner.plan(desired: desired, live: [owned], adopt: true).map(\.item.action) == [.update])
        owned.comment = nil
        owned.content = Self.tunnel
        let adopted = DNSPlanner.plan(desired: desired, live: [owned], adopt: true)
        #expect(adopted.map(\.item.action) == [.adopt] && adopted.first?.item.detail == "id o kept")
        #expect(DNSPlanner.plan(desired: desired, live: [owned]).map(\.item.action) == [.conflict])
    }
}
