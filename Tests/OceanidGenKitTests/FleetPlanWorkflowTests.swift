import DSL
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit

/// The pull-request workflow (.github/workflows/fleet-plan.yml): actionlint (with shellcheck over
/// its run: scripts) finds nothing, its oceanid-gen command lines are ones the CLI accepts, it asks
/// for no more permissions than it needs, and exit code 3 has its own failing check.
@Suite struct FleetPlanWorkflowTests {
    static let path = Paths.repository + "/.github/workflows/fleet-plan.yml"
    static let actionlint = Paths.repository + "/.venv/bin/actionlint"

    static func workflow() throws -> Tree {
        try #require(try YAMLReader.documents(try String(contentsOfFile: path, encoding: .utf8)).first)
    }

    /// actionlint over `text` written as a workflow file; shellcheck (Debian's, on the PATH)
    /// checks each run: script as part of it.
    static func lint(_ text: String) throws -> (status: Int32, output: String) {
        #expect(
            FileManager.default.isExecutableFile(atPath: actionlint),
            "actionlint is not in .venv; run scripts/deps.sh test")
        let shellcheck = try runProcess("sh", ["-c", "command -v shellcheck"])
        #expect(shellcheck.status == 0, "shellcheck is not installed; run scripts/deps.sh test")
        let folder = try TemporaryFolder("oceanid-workflow")
        defer { folder.remove() }
        try folder.write(".github/workflows/fleet-plan.yml", text)
        return try runProcess(
            actionlint, ["-shellcheck", "shellcheck", "-no-color", ".github/workflows/fleet-plan.yml"],
            cwd: folder.path)
    }

    @Test func actionlintAndShellcheckFindNothing() throws {
        let result = try Self.lint(try String(contentsOfFile: Self.path, encoding: .utf8))
        #expect(result.status == 0, "\(result.output)")
    }

    /// The lint is not a rubber stamp: an unquoted variable in a run: script is shellcheck's SC2086,
    /// an unknown expression context is actionlint's own.
    @Test func theLintFindsAnUnquotedVariableAndAnUnknownContext() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let unquoted = text.replacingOccurrences(
            of: #"--base "origin/$BASE_REF" --format sarif"#, with: "--base origin/$BASE_REF --format sarif")
        #expect(unquoted != text)
        let shell = try Self.lint(unquoted)
        #expect(shell.status != 0 && shell.output.contains("SC2086"), "\(shell.output)")
        let context = text.replacingOccurrences(of: "github.event.pull_request.base.ref", with: "githb.event.base")
        #expect(context != text)
        let expression = try Self.lint(context)
        #expect(expression.status != 0 && expression.output.contains("githb"), "\(expression.output)")
    }

    /// Each `oceanid-gen plan` line of the workflow parses as a plan command line of this CLI.
    @Test func itsCommandLinesAreOnesTheCLIAccepts() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        // The plan lines, with their continuation joined and the shell's redirections dropped.
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        let lines = joined.split(separator: "\n").filter { $0.contains(".build/debug/oceanid-gen plan") }
        #expect(lines.count == 2)
        var formats: [String] = []
        for line in lines {
            let words = line.split(separator: " ").map(String.init).filter { !$0.isEmpty }
            let start = try #require(words.firstIndex(of: ".build/debug/oceanid-gen"))
            let arguments = words[(start + 1)...].prefix { !$0.hasPrefix(">") && !$0.hasPrefix("2>") }
                .map { $0.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "$BASE_REF", with: "main") }
            let plan = try #require(try OceanidGen.parseAsRoot(Array(arguments)) as? Plan)
            #expect(plan.base == "origin/main")
            formats.append(plan.format?.rawValue ?? "")
            if plan.format == .markdown { #expect(plan.fullPlan == "plan-full.md") }
        }
        #expect(formats == ["markdown", "sarif"])
        #expect(text.contains("sarif_file: fleet.sarif") && text.contains(">fleet.sarif"))
        #expect(text.contains("path: plan-full.md"))
        #expect(text.contains("fetch-depth: 0"))
        // One comment, found again by the marker it starts with.
        #expect(text.contains("const marker = '<!-- oceanid-gen fleet-plan -->';"))
        #expect(text.contains("const body = marker + '\\n' + plan;"))
        #expect(text.contains("github.rest.issues.updateComment"))
    }

    /// contents: read everywhere; pull-requests: write and security-events: write only for the
    /// plan job; the approval job reads pull requests and nothing else.
    @Test func itAsksForTheLeastPermissions() throws {
        let workflow = try Self.workflow()
        #expect(workflow["permissions"] == .map([.init("contents", "read")]))
        #expect(
            workflow["jobs"]?["plan"]?["permissions"]
                == .map([
                    .init("contents", "read"), .init("pull-requests", "write"), .init("security-events", "write"),
                ]))
        #expect(workflow["jobs"]?["second-approval"]?["permissions"] == .map([.init("pull-requests", "read")]))
    }

    /// Exit code 3 (a change that needs a second person's approval) runs the job "needs second
    /// approval", which fails without an approval by someone other than the author; reviews re-run it.
    @Test func exitCodeThreeHasItsOwnFailingCheck() throws {
        #expect(ExitStatus.workspaceError.rawValue == 3)
        let workflow = try Self.workflow()
        let job = try #require(workflow["jobs"]?["second-approval"])
        #expect(job["name"] == "needs second approval")
        #expect(job["needs"] == "plan")
        #expect(job["if"] == "needs.plan.outputs.status == '3'")
        #expect(workflow["on"]?["pull_request_review"]?["types"] == .list(["submitted", "dismissed"]))
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(text.contains(#".user.login != $author and .commit_id == $head"#))
    }
}
