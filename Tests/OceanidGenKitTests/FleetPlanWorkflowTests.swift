import DSL
import Foundation
import TestSupport
import Testing

@testable import OceanidGenKit

#if canImport(Glibc)
    import Glibc
#endif

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

    /// The comment step's script (actions/github-script) run under Node with a recording stand-in
    /// for Octokit: `comments` are the pull request's comments, `plan` the Markdown, `status` the
    /// plan's exit code. Returns the calls made, as `create <body>` or `update <id> <body>`.
    static func postComment(comments: String, plan: String?, status: String) throws -> [String] {
        let workflow = try workflow()
        guard case .list(let steps) = workflow["jobs"]?["plan"]?["steps"] ?? .null else {
            Issue.record("no steps")
            return []
        }
        let step = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/github-script@") == true })
        let script = try #require(step["with"]?["script"]?.stringValue)
        let folder = try TemporaryFolder("oceanid-comment")
        defer { folder.remove() }
        if let plan { try folder.write("plan.md", plan) }
        try folder.write("script.js", script)
        try folder.write(
            "harness.js",
            """
            const fs = require('fs');
            const calls = [];
            const comments = \(comments);
            const github = {
              paginate: async (method, args) => method(args),
              rest: { issues: {
                listComments: async (args) => comments,
                updateComment: async (args) => { calls.push('update ' + args.comment_id + ' ' + args.body); },
                createComment: async (args) => { calls.push('create ' + args.body); },
              } },
            };
            const context = { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number: 7 } } };
            const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
            const run = new AsyncFunction('require', 'github', 'context', fs.readFileSync('script.js', 'utf8'));
            run(require, github, context).then(() => process.stdout.write(JSON.stringify(calls)),
              (error) => { console.error(error); process.exit(1); });
            """)
        let result = try runProcess("env", ["STATUS=\(status)", "node", "harness.js"], cwd: folder.path)
        #expect(result.status == 0, "\(result.output)")
        return try JSONDecoder().decode([String].self, from: Data(result.output.utf8))
    }

    /// The first run creates the comment; later runs update the bot's comment that starts with the
    /// marker (not a person's comment quoting it); exit 3 opens with the approval notice; exit 2 says
    /// the fleet has errors.
    @Test func theCommentIsCreatedOnceThenUpdatedInPlace() throws {
        let marker = "<!-- oceanid-gen fleet-plan -->"
        let plan = "| kind | changes |\n|---|---|\n| Deployment | 1 |\n"
        #expect(try Self.postComment(comments: "[]", plan: plan, status: "1") == ["create \(marker)\n\(plan)"])
        let previous = """
            [{"id": 5, "user": {"type": "User"}, "body": "\(marker) quoted by a person"},
             {"id": 42, "user": {"type": "Bot"}, "body": "\(marker)\\nold plan"},
             {"id": 43, "user": {"type": "Bot"}, "body": "another bot"}]
            """
        #expect(try Self.postComment(comments: previous, plan: plan, status: "1") == ["update 42 \(marker)\n\(plan)"])
        let approval = try Self.postComment(comments: previous, plan: plan, status: "3")
        #expect(approval.count == 1)
        #expect(approval.first?.hasPrefix("update 42 \(marker)\n**Needs a second approval**") == true, "\(approval)")
        #expect(approval.first?.hasSuffix(plan) == true)
        let errors = try Self.postComment(comments: "[]", plan: "", status: "2")
        #expect(
            errors.first?.hasPrefix("create \(marker)\n**oceanid-gen plan**: the fleet has errors") == true, "\(errors)"
        )
    }

    /// The approval step's run: script under bash, with a stand-in `gh` printing `reviews` (two
    /// pages, as `--paginate` prints them): its exit status.
    static func approve(reviews: [String], author: String = "ana", head: String = "c2") throws -> Int32 {
        let workflow = try workflow()
        guard case .list(let steps) = workflow["jobs"]?["second-approval"]?["steps"] ?? .null else {
            Issue.record("no steps")
            return -1
        }
        let script = try #require(steps.first?["run"]?.stringValue)
        let folder = try TemporaryFolder("oceanid-approval")
        defer { folder.remove() }
        let pages =
            reviews.isEmpty ? ["[]"] : ["[" + reviews.dropLast().joined(separator: ",") + "]", "[\(reviews.last!)]"]
        try folder.write("pages.json", pages.joined(separator: "\n"))
        try folder.write("bin/gh", "#!/bin/sh\ncat \"$(dirname \"$0\")/../pages.json\"\n")
        #expect(chmod(folder.path + "/bin/gh", 0o755) == 0)
        try folder.write("approve.sh", script)
        let result = try runProcess(
            "env",
            [
                "PATH=\(folder.path)/bin:/usr/bin:/bin", "REPO=o/r", "PR=7", "AUTHOR=\(author)", "HEAD_SHA=\(head)",
                "bash", "-e", "approve.sh",
            ], cwd: folder.path)
        return result.status
    }

    static func review(
        _ user: String, _ state: String, _ commit: String = "c2", association: String = "MEMBER"
    ) -> String {
        #"{"user": {"login": "\#(user)"}, "state": "\#(state)", "commit_id": "\#(commit)", "#
            + #""author_association": "\#(association)"}"#
    }

    /// Passes with an approval of the head commit by a collaborator other than the author; fails
    /// with none, with the author's own, with one by someone who is not a collaborator, with one of
    /// an older commit, and when that reviewer's latest review requests changes (a comment after an
    /// approval does not undo it).
    @Test func theApprovalCheckCountsAnotherPersonsApprovalOfTheHeadCommit() throws {
        #expect(try Self.approve(reviews: []) == 1)
        #expect(try Self.approve(reviews: [Self.review("bo", "APPROVED")]) == 0)
        #expect(try Self.approve(reviews: [Self.review("ana", "APPROVED")]) == 1)
        #expect(try Self.approve(reviews: [Self.review("bo", "APPROVED", association: "COLLABORATOR")]) == 0)
        #expect(try Self.approve(reviews: [Self.review("eve", "APPROVED", association: "NONE")]) == 1)
        #expect(try Self.approve(reviews: [Self.review("eve", "APPROVED", association: "CONTRIBUTOR")]) == 1)
        #expect(try Self.approve(reviews: [Self.review("bo", "APPROVED", "c1")]) == 1)
        #expect(
            try Self.approve(reviews: [Self.review("bo", "APPROVED"), Self.review("bo", "CHANGES_REQUESTED")]) == 1)
        #expect(try Self.approve(reviews: [Self.review("bo", "APPROVED"), Self.review("bo", "COMMENTED")]) == 0)
        #expect(try Self.approve(reviews: [Self.review("cy", "COMMENTED"), Self.review("bo", "APPROVED")]) == 0)
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
        #expect(ExitStatus.needsApproval.rawValue == 3)
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
