import DSL
import Foundation
import OceanidGenKit
import TestSupport
import Testing
import Workspace

/// `oceanid-gen plan`: the base's committed output against what the definitions generate.
@Suite struct PlanCommandTests {
    /// A small fleet that is not the real one: a Deployment `api` (image `image`, optionally reading
    /// a secret) and, when `worker`, a Deployment `worker`; `reversed` declares them in the other order.
    static func shop(
        image: String = "busybox:1.36.1", worker: Bool = true, secret: String? = nil, reversed: Bool = false,
        line: Int = #line
    ) -> FleetDefinition {
        let db = SecretDeclaration("shop-db", keys: ["url": "shopDbUrl"])
        let api = Deployment("api", line: line) {
            Container("api", image: Image(image)) {
                Port("http", 8080)
                if let secret { Env("DATABASE_URL", secretNamed: secret, key: "url") }
            }
            .args(["sh", "-c", "sleep infinity"])
            .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "50m", memory: "32Mi"))
            .securityContext(.restricted)
        }
        let jobs = Deployment("worker") {
            Container("worker", image: "busybox:1.36.1")
                .args(["sh", "-c", "sleep infinity"])
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "50m", memory: "32Mi"))
                .securityContext(.restricted)
        }
        return FleetDefinition(
            Fleet("shop") {
                Cluster("lab") {
                    Node("lab-1", role: .server)
                    PulumiESCStore(
                        organization: "shop-org", project: "default", environment: "lab", configNamespace: "lab",
                        token: .init(namespace: "shop", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"))
                    Namespace("shop") {
                        db
                        if let secret { SecretDeclaration(secret, keys: ["url": "shopDbUrl"]) }
                        Component("api") {
                            if reversed {
                                if worker { jobs }
                                api
                            } else {
                                api
                                if worker { jobs }
                            }
                        }
                    }
                }
            })
    }

    @Test func reorderedDeclarationsPlanNothing() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let same = CapturedRun(Self.shop(), ["plan", "--format", "text"], root: git.path)
        #expect(same.status == 0, "\(same.out)\(same.err)")
        #expect(same.out.hasPrefix("No changes against merge base with main ("), "\(same.out)")
        let reordered = CapturedRun(Self.shop(reversed: true), ["plan", "--format", "text"], root: git.path)
        #expect(reordered.status == 0, "\(reordered.out)\(reordered.err)")
    }

    @Test func aNewImageRestartsThePodsAndNamesTheDeclaration() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let line = #line + 1
        let fleet = Self.shop(image: "busybox:1.37.0", line: line)
        let run = CapturedRun(fleet, ["plan", "--format", "text"], root: git.path)
        #expect(run.status == 1, "\(run.out)\(run.err)")
        let lines = run.out.split(separator: "\n").map(String.init)
        // The policy input lists every image too, but no guardrail verdict changes: it is not listed.
        #expect(lines.first?.hasPrefix("1 change against merge base with main (") == true, "\(run.out)")
        #expect(
            lines.dropFirst().first?.hasPrefix("~ Deployment shop/api (clusters/lab/api/deployment-api.yaml, /")
                == true, "\(run.out)")
        #expect(lines.dropFirst().first?.hasSuffix("PlanCommandTests.swift:\(line)) [restarts]") == true, "\(run.out)")
        #expect(
            lines.dropFirst(2).first
                == "    spec.template.spec.containers[name=api].image: busybox:1.36.1 -> busybox:1.37.0",
            "\(run.out)")
        #expect(lines.count == 3, "\(run.out)")
    }

    @Test func aSecretReferenceIsACredentialsChange() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let run = CapturedRun(Self.shop(secret: "shop-db-v2"), ["plan", "--format", "json"], root: git.path)
        #expect(run.status == 1, "\(run.out)\(run.err)")
        let document = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
        let changes = document?["changes"] as? [[String: Any]] ?? []
        let deployment = changes.first { $0["kind"] as? String == "Deployment" }
        #expect(deployment?["name"] as? String == "shop/api")
        #expect(deployment?["risks"] as? [String] == ["restarts", "credentials"], "\(run.out)")
        #expect(document?["needsApproval"] as? Bool == false)
    }

    @Test func aDeletedWorkloadNeedsApprovalAndExitsThree() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let run = CapturedRun(Self.shop(worker: false), ["plan", "--format", "text"], root: git.path)
        #expect(run.status == 3, "\(run.out)\(run.err)")
        #expect(run.out.contains("needs a second person's approval (deletes ×1)"), "\(run.out)")
        // The deleted object's declaration is gone: the component that no longer declares it is named.
        let deleted = run.out.split(separator: "\n").first { $0.hasPrefix("- Deployment shop/worker ") }
        #expect(deleted?.hasPrefix("- Deployment shop/worker (clusters/lab/api/deployment-worker.yaml, /") == true)
        #expect(
            deleted.map(String.init)
                == run.out.split(separator: "\n").first { $0.hasPrefix("~ Kustomization ") }
                .map {
                    "- Deployment shop/worker (clusters/lab/api/deployment-worker.yaml, " + $0.split(separator: ", ")
                        .last! + " [deletes]"
                },
            "\(run.out)")
        #expect(
            run.out.contains(
                "\n~ Kustomization clusters/lab/api/kustomization.yaml (clusters/lab/api/kustomization.yaml, /"),
            "\(run.out)")
        #expect(run.out.contains("\n    resources[1]: deployment-worker.yaml -> (none)\n"), "\(run.out)")
    }

    @Test func anExplicitBaseIsReadFromGit() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        #expect(CapturedRun(Self.shop(image: "busybox:1.37.0"), ["build", "--commit"], root: git.path).status == 0)
        // Against the feature branch's own commit nothing changes; against main the image does.
        let head = CapturedRun(Self.shop(image: "busybox:1.37.0"), ["plan", "--base", "HEAD"], root: git.path)
        #expect(head.status == 0, "\(head.out)\(head.err)")
        let main = CapturedRun(
            Self.shop(image: "busybox:1.37.0"), ["plan", "--base", "main", "--format", "markdown"], root: git.path)
        #expect(main.status == 1)
        #expect(main.out.hasPrefix("### Fleet plan\n\n1 change against main.\n\n| Kind |"), "\(main.out)")
        #expect(main.out.contains("| Deployment | 0 | 1 | 0 | `restarts` |"), "\(main.out)")
        #expect(main.out.contains("<details><summary>Deployment (1)</summary>"), "\(main.out)")
        let unknown = CapturedRun(Self.shop(), ["plan", "--base", "no-such-branch"], root: git.path)
        #expect(unknown.status == 4)
        #expect(unknown.err.contains("no-such-branch"), "\(unknown.err)")
    }

    /// The JSON report of a run: `command`, `exitCode`, `error`; nil when stdout is not one JSON object.
    static func report(_ run: CapturedRun) -> (command: String?, exitCode: Int?, error: String?)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any] else {
            return nil
        }
        return (object["command"] as? String, object["exitCode"] as? Int, object["error"] as? String)
    }

    /// `--json` (and `--format json`) prints one JSON document on stdout whatever stops the plan: an
    /// unreadable base (4) and fleet errors (2) say so in `error`.
    @Test func everyFailurePrintsOneJSONReport() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        for flags in [["--json"], ["--format", "json"]] {
            let unknown = CapturedRun(Self.shop(), ["plan", "--base", "no-such-branch"] + flags, root: git.path)
            #expect(unknown.status == 4)
            let report = Self.report(unknown)
            #expect(report?.command == "plan" && report?.exitCode == 4, "\(flags): \(unknown.out)")
            #expect(report?.error?.contains("no-such-branch") == true, "\(flags): \(unknown.out)")
            let broken = CapturedRun(
                SARIFTests.shop(root: git.path, duplicate: true), ["plan"] + flags, root: git.path)
            #expect(broken.status == 2)
            #expect(Self.report(broken)?.exitCode == 2, "\(flags): \(broken.out)")
            #expect(
                Self.report(broken)?.error == "the fleet has 1 error; nothing was planned", "\(flags): \(broken.out)")
            #expect(broken.out.contains(#""code" : "duplicate-object""#), "\(broken.out)")
        }
        // Definitions other than the compiled-in ones (exit 4 before planning): --format json reports too.
        try git.folder.write("definitions/Shop.swift", "// as compiled\n")
        let compiled = ProgramFingerprint.definitions(at: git.path)
        try git.folder.write("definitions/Shop.swift", "// edited after the build\n")
        for flags in [["--json"], ["--format", "json"], ["--format=json"]] {
            let stale = CapturedRun(Self.shop(), ["plan"] + flags, root: git.path, compiledDefinitions: compiled)
            #expect(stale.status == 4)
            #expect(Self.report(stale)?.error?.contains("definitions/Shop.swift edited") == true, "\(stale.out)")
        }
        let staleSARIF = CapturedRun(
            Self.shop(), ["plan", "--format", "sarif", "--json"], root: git.path, compiledDefinitions: compiled)
        #expect(staleSARIF.status == 4 && staleSARIF.out.isEmpty, "\(staleSARIF.out)")
        // Without --json stdout stays empty: the error is on stderr.
        let text = CapturedRun(Self.shop(), ["plan", "--base", "no-such-branch", "--format", "text"], root: git.path)
        #expect(text.status == 4 && text.out.isEmpty, "\(text.out)")
    }

    /// An explicit --format wins over --json: `--format sarif --json` prints the SARIF log (of the head's
    /// diagnostics, also when the base cannot be read), `--format text --json` the text plan.
    @Test func anExplicitFormatWinsOverJSON() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let fleet = Self.shop(image: "busybox:1.37.0")
        let sarif = CapturedRun(fleet, ["plan", "--format", "sarif", "--json"], root: git.path)
        #expect(sarif.status == 1, "\(sarif.err)")
        #expect(sarif.out.contains(#""version" : "2.1.0""#) && Self.report(sarif)?.command == nil, "\(sarif.out)")
        let unreadable = CapturedRun(
            fleet, ["plan", "--format", "sarif", "--json", "--base", "no-such-branch"], root: git.path)
        #expect(unreadable.status == 4)
        #expect(unreadable.out.contains(#""version" : "2.1.0""#), "\(unreadable.out)")
        let text = CapturedRun(fleet, ["plan", "--format", "text", "--json"], root: git.path)
        #expect(text.status == 1)
        #expect(text.out.hasPrefix("1 change against merge base with main ("), "\(text.out)")
    }
}
