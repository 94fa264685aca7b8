import CloudState
import Foundation
import TestSupport

@testable import Applier

/// The Cloudflare and Label Studio fakes (Tests/fakes/fake_cloudflare.py, fake_labelstudio.py)
/// seeded as the seeds' Pulumi stack left the account, for the tests that take it over
/// (`ApplyAdoptionTests`, `CutOverRehearsalTests`): proxied CNAMEs of the zone `domain`, an
/// unowned self-hosted Access application on `gpu.<domain>`, the storages' bucket, the project
/// "NER data" and a hand-made export storage on its declared prefix.
struct PulumiLeftAccount {
    let cloudflare: ApplyDNSTests.FakeCloudflare
    let studio: ApplyLabelStudioTests.Fake
    /// The Label Studio project's ID.
    let project: Int

    /// - Parameters:
    ///   - cnames: record name (without the domain) → the tunnel target Pulumi left it at.
    ///   - byHand: what else was made in the Cloudflare account (after the CNAMEs, before the app).
    ///   - gpuPolicies: the Access policies of the unowned app on `gpu`, as the API writes them.
    ///   - storageTitle, storageRegion: the hand-made export storage's `title` and `region_name`.
    init(
        domain: String, cnames: KeyValuePairs<String, String>,
        byHand: (ApplyDNSTests.FakeCloudflare) throws -> Void = { _ in }, gpuPolicies: [[String: Any]],
        storageTitle: String, storageRegion: String
    ) throws {
        cloudflare = try ApplyDNSTests.FakeCloudflare()
        studio = try ApplyLabelStudioTests.Fake()
        for (name, target) in cnames {
            try cloudflare.hook(
                "/__records",
                [
                    "zone": ApplyDNSTests.zone, "type": "CNAME", "name": "\(name).\(domain)", "content": target,
                    "proxied": true, "ttl": 1,
                ])
        }
        try byHand(cloudflare)
        try cloudflare.hook(
            "/__apps",
            [
                "name": "gpu", "domain": "gpu.\(domain)", "type": "self_hosted", "session_duration": "24h",
                "policies": gpuPolicies,
            ])
        try studio.hook("/__buckets", ["bucket": ApplyLabelStudioTests.bucket])
        project = try studio.project("NER data")
        try studio.hook(
            "/__storages",
            [
                "direction": "export", "project": project, "title": storageTitle, "region_name": storageRegion,
                "bucket": ApplyLabelStudioTests.bucket, "prefix": "annotations/ner-data-\(project)/export/",
                "aws_access_key_id": ApplyLabelStudioTests.keyId,
                "aws_secret_access_key": ApplyLabelStudioTests.secret,
            ])
    }

    /// The zone's records as the fake holds them, by `"<type> <name>"`.
    func records() throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for record in try cloudflare.records() {
            out["\(record["type"] ?? "") \(record["name"] ?? "")"] = record
        }
        return out
    }

    /// The variables that point `oceanid-apply` at both fakes, with their credentials.
    var environment: [String: String] {
        [
            "CLOUDFLARE_API_TOKEN": ApplyDNSTests.token, "OCEANID_CLOUDFLARE_API": cloudflare.base,
            "LABEL_STUDIO_API_KEY": ApplyLabelStudioTests.token, "OCEANID_LABELSTUDIO_URL": studio.base,
            "LABEL_STUDIO_AWS_ACCESS_KEY_ID": ApplyLabelStudioTests.keyId,
            "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY": ApplyLabelStudioTests.secret,
        ]
    }

    /// Writes `state` as `desired-state.json` in `folder` (keys sorted, as oceanid-gen writes it).
    static func write(_ state: DesiredState, in folder: TemporaryFolder) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
    }
}
