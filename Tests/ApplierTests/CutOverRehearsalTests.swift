import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// MIGRATION.md's cloud cut-over (step 10's ```rehearsal block), run as written: every
/// `$ oceanid-apply …` line against the fakes seeded as the seeds' Pulumi stack left the account
/// (CNAMEs for gpu, label and tethys, one at an old tunnel; the unowned Access app on gpu with its
/// own policy; a hand-made export storage; a bucket without CORS), its `# exit N` and the rows
/// documented under it. A row matches when the output has a line that starts with the text
/// before its first placeholder (`<id>`, `…`) and holds the rest in order; a plan must show
/// exactly the documented rows.
@Suite(.serialized) struct CutOverRehearsalTests {
    static let nodeTunnel = "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com"
    static let clusterTunnel = "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.cfargotunnel.com"
    static let oldTunnel = "11111111-2222-4333-8444-555555555555.cfargotunnel.com"

    /// One documented command: its arguments, exit code and expected rows.
    struct Step {
        var arguments: [String]
        var exit: Int32
        var rows: [String]
    }

    /// The steps of MIGRATION.md's rehearsal block.
    static func steps() throws -> [Step] {
        let text = try String(contentsOfFile: Paths.repository + "/MIGRATION.md", encoding: .utf8)
        let start = try #require(text.range(of: "```rehearsal\n"))
        let end = try #require(text[start.upperBound...].range(of: "```"))
        var steps: [Step] = []
        for raw in text[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("$ oceanid-apply ") {
                let command = line.dropFirst("$ oceanid-apply ".count)
                let parts = command.components(separatedBy: "# exit ")
                let exit = Int32(parts.last?.prefix { $0.isNumber } ?? "") ?? -1
                steps.append(
                    Step(arguments: parts[0].split(separator: " ").map(String.init), exit: exit, rows: []))
            } else if !line.isEmpty, !steps.isEmpty {
                steps[steps.count - 1].rows.append(line)
            }
        }
        return steps
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Whether `line` is what the documented `row` describes (see the suite's comment).
    static func matches(_ line: String, _ row: String) -> Bool {
        let fragments = collapsed(row).replacingOccurrences(of: "…", with: "<>")
            .split(separator: "<", omittingEmptySubsequences: false).enumerated().map { index, piece in
                index == 0 ? String(piece) : String(piece.drop { $0 != ">" }.dropFirst())
            }
        var rest = Substring(collapsed(line))
        guard let first = fragments.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        for fragment in fragments.dropFirst() where !fragment.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let found = rest.range(of: fragment.trimmingCharacters(in: .whitespaces)) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }

    /// The account as Pulumi left it, and the fleet's desired state for it.
    struct Account {
        let pulumi: PulumiLeftAccount
        let s3: ApplyBucketCORSTests.Fake
        let state: TemporaryFolder

        init() throws {
            pulumi = try PulumiLeftAccount(
                domain: "boathou.se",
                cnames: [
                    "gpu": CutOverRehearsalTests.nodeTunnel, "label": CutOverRehearsalTests.clusterTunnel,
                    "tethys": CutOverRehearsalTests.oldTunnel,
                ],
                byHand: { cloudflare in
                    try cloudflare.addByHand(type: "MX", name: "boathou.se", content: "mail.example.net")
                    try cloudflare.hook("/__service_tokens", ["name": "operators"])
                },
                gpuPolicies: [
                    ["name": "pulumi-operators", "decision": "allow", "include": [["everyone": [:] as [String: Any]]]]
                ],
                storageTitle: "Annotations", storageRegion: "us-east-1")
            s3 = try ApplyBucketCORSTests.Fake()
            state = try TemporaryFolder("rehearsal")
            var desired = DesiredState()
            desired.cloudflare = CloudflareState(
                accountId: ApplyAccessTests.account, zoneName: "boathou.se", zoneId: ApplyDNSTests.zone,
                apiToken: SecretReference(escKey: "cloudflareApiToken"),
                dnsRecords: [
                    DNSRecord(type: "CNAME", name: "gpu.boathou.se", content: CutOverRehearsalTests.nodeTunnel),
                    DNSRecord(type: "CNAME", name: "label.boathou.se", content: CutOverRehearsalTests.clusterTunnel),
                    DNSRecord(type: "CNAME", name: "tethys.boathou.se", content: CutOverRehearsalTests.clusterTunnel),
                ],
                accessApplications: [ApplyAccessTests.app("gpu.boathou.se", tokens: ["operators"])])
            var rule = ApplyBucketCORSTests.ours
            rule.allowedOrigins = ["https://label.boathou.se"]
            desired.labelStudio = LabelStudioState(
                url: "https://label.boathou.se", apiToken: SecretReference(escKey: "labelStudioApiKey"),
                storages: [ApplyLabelStudioTests.export()],
                bucketCORS: [BucketCORS(bucket: ApplyLabelStudioTests.bucket, region: "us-east-1", rules: [rule])])
            try PulumiLeftAccount.write(desired, in: state)
        }

        func run(_ arguments: [String]) -> ApplyRun {
            let s3 = [
                "AWS_ACCESS_KEY_ID": ApplyBucketCORSTests.keyId, "AWS_SECRET_ACCESS_KEY": ApplyBucketCORSTests.secret,
                "OCEANID_S3_ENDPOINT": self.s3.base,
            ]
            return applyRun(
                arguments, statePath: state.path + "/desired-state.json",
                environment: pulumi.environment.merging(s3) { _, new in new })
        }
    }

    @Test func theDocumentedSequenceRunsAsWrittenUnderFaults() throws {
        let steps = try Self.steps()
        #expect(steps.map(\.arguments) == [["plan"], ["plan", "--adopt"], ["apply", "--adopt", "--yes"], ["plan"]])
        let account = try Account()
        defer { account.state.remove() }
        let recordsBefore = try account.pulumi.cloudflare.records()
        for step in steps {
            if step.arguments.first == "apply" {
                try account.pulumi.cloudflare.faults(["rate_limit": 1, "html_500": 1, "lose_create": 1])
                try account.pulumi.studio.hook("/__faults", ["rate_limit": 1])
                try account.s3.hook("/__faults", ["slow_down": 1])
            }
            let run = account.run(step.arguments)
            #expect(run.status == step.exit, "\(step.arguments): \(run.out)\(run.err)")
            let lines = (run.out + run.err).split(separator: "\n").map(String.init)
            for row in step.rows {
                #expect(
                    lines.contains { Self.matches($0, row) },
                    "\(step.arguments): no line is '\(row)' in\n\(run.out)\(run.err)")
            }
            if step.arguments.first == "plan", step.exit != 0 {
                let table = run.out.split(separator: "\n").filter { !$0.hasPrefix("Plan: ") }
                #expect(table.count == step.rows.filter { !$0.hasPrefix("error:") }.count, "\(run.out)")
            }
        }
        // Adopted in place: every record keeps its ID, the MX nobody declared is untouched.
        let after = try account.pulumi.cloudflare.records()
        #expect(Set(after.compactMap { $0["id"] as? String }) == Set(recordsBefore.compactMap { $0["id"] as? String }))
        let mx = after.first { $0["type"] as? String == "MX" }
        #expect(mx?["content"] as? String == "mail.example.net" && mx?["comment"] as? String == nil)
    }

    @Test func aRowMatchesOnlyWhatItDescribes() {
        let row = "adopt dns CNAME gpu.boathou.se id <id> kept"
        #expect(Self.matches("adopt        dns   CNAME gpu.boathou.se  id 9f kept", row))
        #expect(!Self.matches("adopt+update dns   CNAME gpu.boathou.se  id 9f kept, ttl 300 → 1", row))
        #expect(!Self.matches("adopt        dns   CNAME gpu.boathou.se  id 9f", row))
        #expect(!Self.matches("conflict     dns   CNAME gpu.boathou.se  id 9f kept", row))
    }
}
