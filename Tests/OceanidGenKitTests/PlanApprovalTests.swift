import DSL
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit

/// `plan`'s loading path and exit codes: unchanged files left out by blob id, the approval classes
/// settings.yaml chooses (`planApprovalRisks`), exit 3 for approval and 4 for an unreadable base.
@Suite struct PlanApprovalTests {
    /// The fleet of `PlanCommandTests` (a Deployment `api` and, when `worker`, a Deployment `worker`).
    static func shop(image: String = "busybox:1.36.1", worker: Bool = true) -> FleetDefinition {
        PlanCommandTests.shop(image: image, worker: worker)
    }

    func repository() throws -> GitFixture {
        let git = try GitFixture()
        try git.folder.write("definitions/README.md", "the fleet\n")
        #expect(CapturedRun(Self.shop(), ["build", "--commit"], root: git.path).status == 0)
        _ = try git.run("checkout", "-q", "-b", "feature")
        return git
    }

    /// Every class, comma-separated, as the diagnostics list them.
    static let allowed = FleetPlan.Risk.allCases.map(\.rawValue).joined(separator: ", ")

    @Test func settingsYamlChoosesWhichClassesNeedApproval() throws {
        let git = try repository()
        defer { git.remove() }
        // A deleted workload: approval by default (deletes), not when the team leaves deletes out.
        let deleted = Self.shop(worker: false)
        #expect(CapturedRun(deleted, ["plan", "--format", "text"], root: git.path).status == 3)
        try git.folder.write("settings.yaml", "# the team's choice\nplanApprovalRisks: [exposes, destructive-sql]\n")
        let relaxed = CapturedRun(deleted, ["plan", "--format", "text"], root: git.path)
        #expect(relaxed.status == 1, "\(relaxed.out)\(relaxed.err)")
        #expect(relaxed.out.hasPrefix("3 changes against merge base with main ("), "\(relaxed.out)")
        #expect(!relaxed.out.contains("approval"), "\(relaxed.out)")

        // A new image restarts pods: exit 1 by default, 3 once restarts need approval.
        let image = Self.shop(image: "busybox:1.37.0")
        try git.folder.write("settings.yaml", "")
        #expect(CapturedRun(image, ["plan", "--format", "text"], root: git.path).status == 1)
        try git.folder.write("settings.yaml", "planApprovalRisks:\n  - restarts\n  - deletes\n")
        let strict = CapturedRun(image, ["plan", "--format", "json"], root: git.path)
        #expect(strict.status == 3, "\(strict.out)\(strict.err)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(strict.out.utf8)) as? [String: Any])
        #expect(document["needsApproval"] as? Bool == true)
        let approval = try #require(document["approval"] as? [String: Any], "\(strict.out)")
        #expect(approval["risks"] as? [String] == ["deletes", "restarts"])
        #expect(approval["chosenBy"] as? String == "settings.yaml:1 (planApprovalRisks)")
        let reasons = approval["reasons"] as? [[String: Any]] ?? []
        #expect(reasons.count == 1, "\(strict.out)")
        #expect(reasons.first?["risk"] as? String == "restarts")
        #expect(reasons.first?["changes"] as? [String] == ["Deployment shop/api"], "\(strict.out)")

        // Markdown says the same, below the headline.
        let markdown = CapturedRun(image, ["plan", "--format", "markdown"], root: git.path)
        #expect(markdown.status == 3)
        #expect(
            markdown.out.contains(
                "; needs a second person's approval (restarts ×1).\n\n"
                    + "- Approval classes (settings.yaml:1 (planApprovalRisks)): `deletes`, `restarts`.\n"
                    + "- `restarts` needs approval: `Deployment shop/api`.\n\n| Kind |"), "\(markdown.out)")

        // An empty list: nothing needs approval, even a deletion.
        try git.folder.write("settings.yaml", "planApprovalRisks: []\n")
        #expect(CapturedRun(deleted, ["plan", "--format", "text"], root: git.path).status == 1)
    }

    @Test func theDefaultApprovalIsSaidToBeTheDefault() throws {
        let git = try repository()
        defer { git.remove() }
        let run = CapturedRun(Self.shop(worker: false), ["plan", "--format", "json"], root: git.path)
        #expect(run.status == 3, "\(run.out)\(run.err)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let approval = document["approval"] as? [String: Any] ?? [:]
        #expect(approval["risks"] as? [String] == ["deletes", "exposes", "destructive-sql"])
        #expect(approval["chosenBy"] as? String == "default")
        let reasons = approval["reasons"] as? [[String: Any]] ?? []
        #expect(reasons.first?["risk"] as? String == "deletes")
        #expect(reasons.first?["changes"] as? [String] == ["Deployment shop/worker"], "\(run.out)")
    }

    @Test func aBadApprovalClassIsAnErrorAtItsLine() throws {
        let text = "# approval\nplanApprovalRisks:\n  - deletes\n  - delete\n  - {name: cloud}\n"
        let (overrides, diagnostics) = SettingsFile.overrides(text: text, file: "settings.yaml")
        #expect(overrides.isEmpty, "the tool's key is not a fleet setting")
        #expect(
            diagnostics.map { $0.formatted() } == [
                "settings.yaml:4: error: malformed override of setting 'planApprovalRisks': 'delete' is not a risk "
                    + "class; the allowed values are \(Self.allowed) [invalid-setting]\n"
                    + "    note: did you mean 'deletes'?",
                "settings.yaml:5: error: malformed override of setting 'planApprovalRisks': has an item that is not a "
                    + "class name; the allowed values are \(Self.allowed) [invalid-setting]",
            ])
    }

    @Test func aScalarIsNotAList() throws {
        let (_, diagnostics) = SettingsFile.overrides(
            text: "squidImage: squid:7\nplanApprovalRisks: deletes\n", file: "settings.yaml")
        #expect(
            diagnostics.map { $0.formatted() } == [
                "settings.yaml:2: error: malformed override of setting 'planApprovalRisks': 'deletes' must be a list "
                    + "of risk classes, such as [deletes, exposes, destructive-sql]; the allowed values are "
                    + "\(Self.allowed) [invalid-setting]"
            ])
    }

    @Test func everyCommandRefusesABadValue() throws {
        let git = try repository()
        defer { git.remove() }
        try git.folder.write("settings.yaml", "planApprovalRisks: [deletes, exposse]\n")
        let plan = CapturedRun(Self.shop(), ["plan", "--format", "text"], root: git.path)
        #expect(plan.status == 2, "\(plan.out)\(plan.err)")
        #expect(
            plan.err.contains(
                "settings.yaml:1: error: malformed override of setting 'planApprovalRisks': 'exposse' is not a risk "
                    + "class"), "\(plan.err)")
        #expect(plan.err.contains("note: did you mean 'exposes'?"), "\(plan.err)")
        #expect(CapturedRun(Self.shop(), ["build"], root: git.path).status == 2)
    }

    @Test func outsideGitThePlanIsAWorkspaceError() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("definitions/README.md", "the fleet\n")
        let run = CapturedRun(Self.shop(), ["plan", "--format", "text"], root: dir.path)
        #expect(run.status == 4, "\(run.out)\(run.err)")
        #expect(run.err.contains("is not in a git repository; plan needs a base revision"), "\(run.err)")
    }

    @Test func filesWithTheBaseBytesAreLeftOut() throws {
        let git = try repository()
        defer { git.remove() }
        let generated = try #require(
            BuildPipeline(definition: Self.shop(image: "busybox:1.37.0"), root: git.path).generate().files)
        let inputs = try FleetPlanInputs.read(files: generated, root: git.path, base: "main")
        // The Deployment and the policy input (it lists images) differ; every other file is skipped.
        let changed = ["clusters/lab/api/deployment-api.yaml", "policy/input/lab.json"]
        #expect(inputs.head.keys.sorted() == changed)
        #expect(inputs.base.keys.sorted() == changed)
        #expect(inputs.unchanged == generated.count - 2)
        #expect(Set(inputs.origins.keys).isSubset(of: changed), "\(inputs.origins)")
        #expect(inputs.origins[changed[0]]?.contains("PlanCommandTests.swift:") == true, "\(inputs.origins)")
        #expect(inputs.baseName == "main")

        // A file only the base has (the worker, deleted) is read from the base alone.
        let fewer = try #require(BuildPipeline(definition: Self.shop(worker: false), root: git.path).generate().files)
        let deleted = try FleetPlanInputs.read(files: fewer, root: git.path, base: "main")
        #expect(deleted.base["clusters/lab/api/deployment-worker.yaml"]?.contains("kind: Deployment") == true)
        #expect(deleted.head["clusters/lab/api/deployment-worker.yaml"] == nil)
    }

    @Test func yamlIsReadAsPlainValuesFromOneParse() throws {
        let text = """
            # generated header
            kind: ConfigMap
            metadata: {name: a, namespace: ns}
            data:
              empty:
              nothing: null
              word: "null"
              port: 8080
              flag: true
            ---
            kind: Service
            spec:
              ports: [{name: http, port: 80}]
            """
        let documents = try #require(FleetPlan.yamlDocuments(text))
        #expect(documents.count == 2)
        let config = try #require(documents.first as? [String: Any])
        let data = try #require(config["data"] as? [String: Any])
        #expect(data["empty"] is NSNull && data["nothing"] is NSNull)
        #expect(data["word"] as? String == "null", "a quoted null is a string")
        #expect(data["port"] as? String == "8080" && data["flag"] as? String == "true")
        #expect(
            FleetPlan.flatten(documents[1]) == [
                "kind": "Service", "spec.ports[name=http].name": "http",
                "spec.ports[name=http].port": "80",
            ])
        // A stream that breaks after a good document is not half-read.
        #expect(FleetPlan.yamlDocuments("kind: A\n---\nkind: [B\n") == nil)
    }
}
