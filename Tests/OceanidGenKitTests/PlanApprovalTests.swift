import DSL
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit

/// `plan`'s loading path and exit codes: unchanged files left out by blob id, the approval classes
/// the base's settings.yaml chooses (`planApprovalRisks`) and a change of them, exit 3 for approval and 4
/// for an unreadable base.
@Suite struct PlanApprovalTests {
    /// The fleet of `PlanCommandTests` (a Deployment `api` and, when `worker`, a Deployment `worker`).
    static func shop(image: String = "busybox:1.36.1", worker: Bool = true) -> FleetDefinition {
        PlanCommandTests.shop(image: image, worker: worker)
    }

    /// Every class, comma-separated, as the diagnostics list them.
    static let allowed = FleetPlan.Risk.allCases.map(\.rawValue).joined(separator: ", ")

    /// Commits `text` as settings.yaml on the feature branch: the base of `plan --base HEAD`.
    func commitPolicy(_ git: GitFixture, _ text: String) throws {
        try git.commit(["settings.yaml": text], message: "policy")
    }

    @Test func theBaseSettingsYamlChoosesWhichClassesNeedApproval() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        // A deleted workload: approval by default (deletes), not when the team leaves deletes out.
        let deleted = Self.shop(worker: false)
        #expect(CapturedRun(deleted, ["plan", "--format", "text"], root: git.path).status == 3)
        try commitPolicy(git, "# the team's choice\nplanApprovalRisks: [exposes, destructive-sql]\n")
        let relaxed = CapturedRun(deleted, ["plan", "--base", "HEAD", "--format", "text"], root: git.path)
        #expect(relaxed.status == 1, "\(relaxed.out)\(relaxed.err)")
        #expect(relaxed.out.hasPrefix("3 changes against HEAD.\n"), "\(relaxed.out)")
        #expect(!relaxed.out.lowercased().contains("approval"), "\(relaxed.out)")

        // A new image restarts pods: exit 1 by default, 3 once restarts need approval.
        let image = Self.shop(image: "busybox:1.37.0")
        try commitPolicy(git, "")
        #expect(CapturedRun(image, ["plan", "--base", "HEAD", "--format", "text"], root: git.path).status == 1)
        try commitPolicy(git, "planApprovalRisks:\n  - restarts\n  - deletes\n")
        let strict = CapturedRun(image, ["plan", "--base", "HEAD", "--format", "json"], root: git.path)
        #expect(strict.status == 3, "\(strict.out)\(strict.err)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(strict.out.utf8)) as? [String: Any])
        #expect(document["needsApproval"] as? Bool == true)
        let approval = try #require(document["approval"] as? [String: Any], "\(strict.out)")
        #expect(approval["risks"] as? [String] == ["deletes", "restarts"])
        #expect(approval["chosenBy"] as? String == "settings.yaml:1 at the base (planApprovalRisks)")
        #expect(approval["policyChange"] == nil, "the head keeps the base's policy")
        let reasons = approval["reasons"] as? [[String: Any]] ?? []
        #expect(reasons.count == 1, "\(strict.out)")
        #expect(reasons.first?["risk"] as? String == "restarts")
        #expect(reasons.first?["changes"] as? [String] == ["Deployment shop/api"], "\(strict.out)")

        // Markdown says the same, below the headline.
        let markdown = CapturedRun(image, ["plan", "--base", "HEAD", "--format", "markdown"], root: git.path)
        #expect(markdown.status == 3)
        #expect(
            markdown.out.contains(
                "; needs a second person's approval (restarts ×1).\n\n"
                    + "- Approval classes (settings.yaml:1 at the base (planApprovalRisks)): `deletes`, `restarts`.\n"
                    + "- `restarts` needs approval: `Deployment shop/api`.\n\n| Kind |"), "\(markdown.out)")

        // An empty list: nothing needs approval, even a deletion.
        try commitPolicy(git, "planApprovalRisks: []\n")
        #expect(CapturedRun(deleted, ["plan", "--base", "HEAD", "--format", "text"], root: git.path).status == 1)
    }

    @Test func aPullRequestCannotChooseItsOwnPolicy() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        // The review's case: delete a workload and set `planApprovalRisks: []` in the same change. The base
        // (main) has no settings.yaml, so the defaults judge the deletion, and the weakened policy is reported.
        try git.folder.write("settings.yaml", "# nothing needs review\nplanApprovalRisks: []\n")
        let deleted = Self.shop(worker: false)
        let text = CapturedRun(deleted, ["plan", "--format", "text"], root: git.path)
        #expect(text.status == 3, "\(text.out)\(text.err)")
        let message =
            "the approval policy changed: planApprovalRisks [deletes, exposes, destructive-sql] (default) → [] "
            + "(settings.yaml:2 (planApprovalRisks)) (takes effect after merge)"
        let lines = text.out.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasSuffix("; needs a second person's approval (deletes ×1, approval policy).") == true,
            "\(text.out)")
        #expect(lines.contains("  Approval classes (default): deletes, exposes, destructive-sql."), "\(text.out)")
        #expect(lines.contains("  Needs approval: \(message)."), "\(text.out)")

        let json = CapturedRun(deleted, ["plan", "--format", "json"], root: git.path)
        #expect(json.status == 3)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let approval = try #require(document["approval"] as? [String: Any])
        #expect(approval["chosenBy"] as? String == "default")
        let change = try #require(approval["policyChange"] as? [String: Any], "\(json.out)")
        #expect(change["base"] as? [String] == ["deletes", "exposes", "destructive-sql"])
        #expect(change["head"] as? [String] == [])
        #expect(change["message"] as? String == message)

        let markdown = CapturedRun(deleted, ["plan", "--format", "markdown"], root: git.path)
        #expect(markdown.out.contains("- Needs approval: \(message).\n"), "\(markdown.out)")
    }

    @Test func aPolicyChangeAloneNeedsApproval() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        try commitPolicy(git, "planApprovalRisks: [deletes]\n")
        // Nothing the fleet generates changes, but the policy would: exit 3, not 0.
        try git.folder.write("settings.yaml", "planApprovalRisks: [deletes, credentials]\n")
        let run = CapturedRun(Self.shop(), ["plan", "--base", "HEAD", "--format", "text"], root: git.path)
        #expect(run.status == 3, "\(run.out)\(run.err)")
        #expect(
            run.out == "No changes against HEAD; needs a second person's approval (approval policy).\n"
                + "  Approval classes (settings.yaml:1 at the base (planApprovalRisks)): deletes.\n"
                + "  Needs approval: the approval policy changed: planApprovalRisks [deletes] (settings.yaml:1 at the "
                + "base (planApprovalRisks)) → [deletes, credentials] (settings.yaml:1 (planApprovalRisks)) (takes "
                + "effect after merge).\n", "\(run.out)")
        // Moving the key, or writing out what the base had, is no change of policy.
        try git.folder.write("settings.yaml", "# moved\n\nplanApprovalRisks:\n  - deletes\n")
        let moved = CapturedRun(Self.shop(), ["plan", "--base", "HEAD", "--format", "text"], root: git.path)
        #expect(moved.status == 0, "\(moved.out)\(moved.err)")
        #expect(moved.out == "No changes against HEAD.\n")
    }

    @Test func aBaseWithoutSettingsYamlHasTheDefaults() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let generated = try #require(BuildPipeline(definition: Self.shop(), root: git.path).generate().files)
        let inputs = try FleetPlanInputs.read(files: generated, root: git.path, base: "main")
        #expect(inputs.baseSettings == nil)
        #expect(PlanApproval.read(settingsText: inputs.baseSettings, file: "settings.yaml") == .standard)
        try commitPolicy(git, "planApprovalRisks: [cloud]\n")
        let committed = try FleetPlanInputs.read(files: generated, root: git.path, base: "HEAD")
        #expect(committed.baseSettings == "planApprovalRisks: [cloud]\n")
    }

    @Test func theDefaultApprovalIsSaidToBeTheDefault() throws {
        let git = try GitFixture(fleet: Self.shop())
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
        let git = try GitFixture(fleet: Self.shop())
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

    /// Every class, as the plan lists them.
    static let every = "[" + FleetPlan.Risk.allCases.map(\.rawValue).joined(separator: ", ") + "]"

    @Test func aBadValueAtTheBaseIsSaidAndFailsClosedToEveryClass() throws {
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        // The base holds a value no command of this version accepts (committed past the hook, or by a
        // version with other classes); the working tree fixes it to every class, so the policy is unchanged
        // and only the fallback can make the image change (restarts) need approval.
        try commitPolicy(git, "# the team's choice\nplanApprovalRisks: [deletes, exposse]\n")
        try git.folder.write("settings.yaml", "planApprovalRisks: \(Self.every)\n")
        let image = Self.shop(image: "busybox:1.37.0")
        let warning =
            "settings.yaml:2 at the base (HEAD): planApprovalRisks [deletes, exposse] is not usable ('exposse' is "
            + "not a risk class); plan requires approval for every class instead, \(Self.every); fix the value on HEAD"
        let json = CapturedRun(image, ["plan", "--base", "HEAD", "--format", "json"], root: git.path)
        #expect(json.status == 3, "\(json.out)\(json.err)")
        #expect(json.err == "warning: \(warning)\n")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let approval = try #require(document["approval"] as? [String: Any], "\(json.out)")
        #expect(approval["warning"] as? String == warning)
        #expect(approval["risks"] as? [String] == FleetPlan.Risk.allCases.map(\.rawValue))
        let chosenBy = "every class: settings.yaml:2 at the base (planApprovalRisks) is invalid"
        #expect(approval["chosenBy"] as? String == chosenBy)
        #expect(approval["policyChange"] == nil, "\(json.out)")
        let reasons = approval["reasons"] as? [[String: Any]] ?? []
        #expect(reasons.map { $0["risk"] as? String } == ["restarts"], "\(json.out)")

        let markdown = CapturedRun(image, ["plan", "--base", "HEAD", "--format", "markdown"], root: git.path)
        #expect(markdown.status == 3)
        #expect(markdown.err == "warning: \(warning)\n")
        #expect(
            markdown.out.contains(
                "; needs a second person's approval (restarts ×1).\n\n- Warning: \(warning).\n"
                    + "- Approval classes (every class: settings.yaml:2 at the base (planApprovalRisks) is invalid): "),
            "\(markdown.out)")

        // With nothing that changes, the warning is still in the report, not only on stderr.
        let same = CapturedRun(Self.shop(), ["plan", "--base", "HEAD", "--format", "text"], root: git.path)
        #expect(same.status == 0, "\(same.out)\(same.err)")
        #expect(same.out.hasPrefix("No changes against HEAD.\n  Warning: \(warning).\n"), "\(same.out)")
    }

    @Test func aBaseValueOfTheWrongShapeOrNotYAMLIsSaid() {
        let file = "settings.yaml"
        func warning(_ text: String) -> String? {
            PlanApproval.read(baseSettingsText: text, file: file, revision: "main").warning
        }
        let instead = "plan requires approval for every class instead, \(Self.every); fix the value on main"
        #expect(
            warning("planApprovalRisks: deletes\n")
                == "settings.yaml:1 at the base (main): planApprovalRisks deletes is not a list of risk classes; "
                + instead)
        #expect(
            warning("a: 1\nplanApprovalRisks:\n  - delete\n  - {name: cloud}\n")
                == "settings.yaml:2 at the base (main): planApprovalRisks [delete, {name: cloud}] is not usable "
                + "('delete', '{name: cloud}' are not risk classes); \(instead)")
        let broken = PlanApproval.read(
            baseSettingsText: "a: 1\nplanApprovalRisks: [deletes\n", file: file, revision: "main")
        #expect(
            broken.warning
                == "settings.yaml at the base (main) is not YAML, so whether it sets planApprovalRisks cannot be "
                + "told: \(instead)")
        #expect(broken.origin == "every class: settings.yaml:2 at the base (planApprovalRisks) is invalid")
        #expect(broken.risks == Set(FleetPlan.Risk.allCases))
        // Good values, no key, no file and an empty file warn of nothing.
        let good = PlanApproval.read(baseSettingsText: "planApprovalRisks: [cloud]\n", file: file, revision: "main")
        #expect(good.warning == nil && good.risks == [.cloud] && good.atBase)
        for text in ["squidImage: squid:7\n", "", nil] as [String?] {
            let policy = PlanApproval.read(baseSettingsText: text, file: file, revision: "main")
            #expect(policy.warning == nil && policy.risks == PlanApproval.standard.risks, "\(text ?? "nil")")
        }
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
        let git = try GitFixture(fleet: Self.shop())
        defer { git.remove() }
        let generated = try #require(
            BuildPipeline(definition: Self.shop(image: "busybox:1.37.0"), root: git.path).generate().files)
        let inputs = try FleetPlanInputs.read(files: generated, root: git.path, base: "main")
        // The Deployment and the policy input (it lists images) differ; every other file is skipped.
        let changed = ["clusters/lab/api/deployment-api.yaml", "policy/input/lab.json"]
        #expect(inputs.head.keys.sorted() == changed)
        #expect(inputs.base.keys.sorted() == changed)
        #expect(inputs.unchanged == generated.count - 2)
        // The declarations behind them are the plan's sources' (what `plan` locates: only the files that differ).
        let sources = FleetPlan.Sources(
            ir: nil, files: generated.filter { inputs.head[$0.path] != nil }, root: git.path)
        #expect(sources.origins.keys.sorted() == changed, "\(sources.origins)")
        #expect(sources.origins[changed[0]]?.contains("PlanCommandTests.swift:") == true, "\(sources.origins)")
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
