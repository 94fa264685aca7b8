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

    /// The steps of `job`, in order.
    static func steps(_ job: String) throws -> [Tree] {
        guard case .list(let steps) = try workflow()["jobs"]?[job]?["steps"] ?? .null else {
            Issue.record("job \(job) has no steps")
            return []
        }
        return steps
    }

    /// The step of `job` whose name starts with `name`.
    static func step(_ job: String, _ name: String) throws -> Tree {
        try #require(try steps(job).first { $0["name"]?.stringValue?.hasPrefix(name) == true }, "no step \(name)")
    }

    /// What a run: script did: its exit status, what it printed, what it appended to
    /// `$GITHUB_OUTPUT`, and the command lines the stand-in `gh` was called with.
    struct StepRun {
        var status: Int32
        var output: String
        var githubOutput: String
        var gh: [String]
    }

    /// `script` under `bash -e` (what GitHub runs a `run:` with when no shell is named), in a
    /// scratch folder holding `files`, with `environment` and a stand-in `gh` (the shell script
    /// `gh`, which finds the folder as `$FOLDER`) first on the PATH; each `gh` call is recorded.
    static func run(
        _ script: String, environment: [String: String] = [:], gh: String = "exit 1", files: [String: String] = [:]
    ) throws -> StepRun {
        let folder = try TemporaryFolder("oceanid-step")
        defer { folder.remove() }
        for (path, text) in files { try folder.write(path, text) }
        try folder.write("bin/gh", "#!/bin/sh\necho \"$*\" >>\"$FOLDER/gh.log\"\n\(gh)\n")
        #expect(chmod(folder.path + "/bin/gh", 0o755) == 0)
        try folder.write("step.sh", script)
        try folder.write("github-output", "")
        let variables =
            [
                "PATH": "\(folder.path)/bin:/usr/bin:/bin", "FOLDER": folder.path,
                "GITHUB_OUTPUT": folder.path + "/github-output",
            ].merging(environment) { $1 }
        let result = try runProcess(
            "env", variables.map { "\($0.key)=\($0.value)" }.sorted() + ["bash", "-e", "step.sh"], cwd: folder.path)
        let read = { (path: String) in (try? String(contentsOfFile: folder.path + "/" + path, encoding: .utf8)) ?? "" }
        return StepRun(
            status: result.status, output: result.output, githubOutput: read("github-output"),
            gh: read("gh.log").split(separator: "\n").map(String.init))
    }

    /// What the comment step did: the Octokit calls (`create <body>` or `update <id> <body>`) and
    /// what it appended to the job summary.
    struct Posted {
        var calls: [String]
        var summary: String
    }

    /// The comment step's script (actions/github-script) run under Node with a recording stand-in
    /// for Octokit: `comments` are the pull request's comments, `plan` the Markdown, `status` the
    /// plan's exit code, `full` the whole plan (plan-full.md) when the Markdown was shortened,
    /// `head` the repository the pull request comes from (`o/r` is this one), `actor` who triggered
    /// the run, `artifactURL` what actions/upload-artifact gave as `artifact-url`.
    static func postComment(
        comments: String, plan: String?, status: String, full: String? = nil, head: String? = "o/r",
        actor: String = "ana", artifactURL: String = ""
    ) throws -> Posted {
        let step = try step("plan", "Post the plan")
        #expect(step["uses"]?.stringValue?.hasPrefix("actions/github-script@") == true)
        let script = try #require(step["with"]?["script"]?.stringValue)
        let folder = try TemporaryFolder("oceanid-comment")
        defer { folder.remove() }
        if let plan { try folder.write("plan.md", plan) }
        if let full { try folder.write("plan-full.md", full) }
        try folder.write("script.js", script)
        try folder.write("summary.md", "")
        let repository = head.map { #"{"full_name": "\#($0)"}"# } ?? "null"
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
            const context = {
              repo: { owner: 'o', repo: 'r' }, serverUrl: 'https://github.com', runId: 99, actor: '\(actor)',
              payload: { pull_request: { number: 7, head: { repo: \(repository) } } },
            };
            const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
            const run = new AsyncFunction('require', 'github', 'context', fs.readFileSync('script.js', 'utf8'));
            run(require, github, context).then(() => process.stdout.write(JSON.stringify(calls)),
              (error) => { console.error(error); process.exit(1); });
            """)
        let result = try runProcess(
            "env",
            [
                "STATUS=\(status)", "ARTIFACT_URL=\(artifactURL)", "GITHUB_STEP_SUMMARY=\(folder.path)/summary.md",
                "node", "harness.js",
            ], cwd: folder.path)
        #expect(result.status == 0, "\(result.output)")
        let calls = try JSONDecoder().decode([String].self, from: Data(result.output.utf8))
        return Posted(calls: calls, summary: try String(contentsOfFile: folder.path + "/summary.md", encoding: .utf8))
    }

    /// The first run creates the comment; later runs update the bot's comment that starts with the
    /// marker (not a person's comment quoting it); exit 3 opens with the approval notice; exit 2 says
    /// the fleet has errors.
    @Test func theCommentIsCreatedOnceThenUpdatedInPlace() throws {
        let marker = "<!-- oceanid-gen fleet-plan -->"
        let plan = "| kind | changes |\n|---|---|\n| Deployment | 1 |\n"
        #expect(try Self.postComment(comments: "[]", plan: plan, status: "1").calls == ["create \(marker)\n\(plan)"])
        let previous = """
            [{"id": 5, "user": {"type": "User"}, "body": "\(marker) quoted by a person"},
             {"id": 42, "user": {"type": "Bot"}, "body": "\(marker)\\nold plan"},
             {"id": 43, "user": {"type": "Bot"}, "body": "another bot"}]
            """
        let updated = try Self.postComment(comments: previous, plan: plan, status: "1")
        #expect(updated.calls == ["update 42 \(marker)\n\(plan)"])
        #expect(updated.summary == "")
        let approval = try Self.postComment(comments: previous, plan: plan, status: "3").calls
        #expect(approval.count == 1)
        #expect(approval.first?.hasPrefix("update 42 \(marker)\n**Needs a second approval**") == true, "\(approval)")
        #expect(approval.first?.hasSuffix(plan) == true)
        let errors = try Self.postComment(comments: "[]", plan: "", status: "2").calls
        #expect(
            errors.first?.hasPrefix("create \(marker)\n**oceanid-gen plan**: the fleet has errors") == true, "\(errors)"
        )
    }

    /// A fork's pull request (and Dependabot's, and one whose fork was deleted) has a read-only
    /// token: no comment is attempted (it would fail with 403), the plan goes to the job summary.
    @Test func aForksPlanGoesToTheJobSummaryInsteadOfAComment() throws {
        let plan = "| kind | changes |\n|---|---|\n| Deployment | 1 |\n"
        let senders: [(head: String?, actor: String)] = [
            ("mallory/r", "mallory"), (nil, "mallory"), ("o/r", "dependabot[bot]"),
        ]
        for (head, actor) in senders {
            let posted = try Self.postComment(comments: "[]", plan: plan, status: "3", head: head, actor: actor)
            #expect(posted.calls == [], "\(head ?? "deleted fork") \(actor): \(posted.calls)")
            #expect(posted.summary.hasPrefix("**Needs a second approval**"), "\(posted.summary)")
            #expect(posted.summary.hasSuffix(plan))
            #expect(!posted.summary.contains("<!-- oceanid-gen"))
        }
        // A branch of this repository by a person still gets its comment.
        #expect(try Self.postComment(comments: "[]", plan: plan, status: "1", actor: "bo").calls.count == 1)
    }

    /// A shortened comment names no file on the runner: the path becomes a link to the uploaded
    /// artifact (actions/upload-artifact's `artifact-url`), or to the run's page without it; with
    /// no mention of the path the link is added at the end.
    @Test func aShortenedCommentLinksTheArtifact() throws {
        let cut = "| kind | changes |\n\n(Cut at 60000 characters; the full plan is in `plan-full.md`.)\n"
        let artifact = "https://github.com/o/r/actions/runs/99/artifacts/7"
        let linked = try Self.postComment(
            comments: "[]", plan: cut, status: "1", full: "everything", artifactURL: artifact
        ).calls
        #expect(linked.count == 1)
        #expect(linked.first?.contains("the full plan is in [the artifact fleet-plan-full](\(artifact)).") == true)
        #expect(linked.first?.contains("`plan-full.md`") == false, "\(linked)")
        let run = try Self.postComment(comments: "[]", plan: cut, status: "1", full: "everything").calls
        #expect(run.first?.contains("[the artifact fleet-plan-full](https://github.com/o/r/actions/runs/99)") == true)
        let unmentioned = try Self.postComment(comments: "[]", plan: "| kind |\n", status: "1", full: "x").calls
        #expect(
            unmentioned.first?.hasSuffix(
                "\nThe whole plan: [the artifact fleet-plan-full](https://github.com/o/r/"
                    + "actions/runs/99).\n") == true, "\(unmentioned)")
        // Not shortened: nothing added.
        let whole = try Self.postComment(comments: "[]", plan: "| kind |\n", status: "1").calls
        #expect(whole.first?.contains("artifact") == false)
    }

    /// The approval job's script under bash with a stand-in `gh`: `reviews` come as two pages (as
    /// `--paginate` prints them); `permissions` are each user's `permission` on the repository
    /// (`read` when absent; the user `broken` makes the permission call fail); `planResult` is
    /// the plan job's result, `status` its exit code.
    static func approve(
        reviews: [String], permissions: [String: String] = ["bo": "write"], planResult: String = "success",
        status: String = "3", author: String = "ana", head: String = "c2"
    ) throws -> StepRun {
        let script = try #require(try steps("second-approval").first?["run"]?.stringValue)
        let pages =
            reviews.isEmpty ? ["[]"] : ["[" + reviews.dropLast().joined(separator: ",") + "]", "[\(reviews.last!)]"]
        var files = ["pages.json": pages.joined(separator: "\n")]
        for (user, permission) in permissions { files["permission/\(user)"] = permission }
        let gh = """
            case "$2" in
              repos/o/r/pulls/7/reviews*) cat "$FOLDER/pages.json" ;;
              repos/o/r/collaborators/broken/permission) exit 1 ;;
              repos/o/r/collaborators/*/permission)
                user=${2#repos/o/r/collaborators/}; user=${user%/permission}
                cat "$FOLDER/permission/$user" 2>/dev/null || echo read ;;
              *) exit 2 ;;
            esac
            """
        return try run(
            script,
            environment: [
                "REPO": "o/r", "PR": "7", "AUTHOR": author, "HEAD_SHA": head, "PLAN_RESULT": planResult,
                "STATUS": status,
            ], gh: gh, files: files)
    }

    static func review(
        _ user: String, _ state: String, _ commit: String = "c2", association: String = "MEMBER"
    ) -> String {
        #"{"user": {"login": "\#(user)"}, "state": "\#(state)", "commit_id": "\#(commit)", "#
            + #""author_association": "\#(association)"}"#
    }

    /// Passes with an approval of the head commit by someone with write access other than the
    /// author; fails with none, with the author's own, with one by someone who may not push
    /// (whatever their author_association), with one of an older commit, and when that reviewer's
    /// latest review requests changes (a comment after an approval does not undo it).
    @Test func theApprovalCheckCountsAnApprovalOfTheHeadCommitBySomeoneWhoMayPush() throws {
        #expect(try Self.approve(reviews: []).status == 1)
        let approved = try Self.approve(reviews: [Self.review("bo", "APPROVED")])
        #expect(approved.status == 0, "\(approved.output)")
        #expect(approved.gh.last == "api repos/o/r/collaborators/bo/permission --jq .permission")
        #expect(try Self.approve(reviews: [Self.review("ana", "APPROVED")], permissions: ["ana": "admin"]).status == 1)
        for permission in ["write", "maintain", "admin"] {
            #expect(
                try Self.approve(reviews: [Self.review("cy", "APPROVED")], permissions: ["cy": permission]).status == 0,
                "\(permission)")
        }
        // MEMBER and COLLABORATOR without push access (an organisation member, a triage or read collaborator).
        for (association, permission) in [("MEMBER", "read"), ("COLLABORATOR", "triage"), ("CONTRIBUTOR", "none")] {
            let refused = try Self.approve(
                reviews: [Self.review("eve", "APPROVED", association: association)], permissions: ["eve": permission])
            #expect(refused.status == 1, "\(association) \(permission)")
            #expect(refused.output.contains("eve approved but has \(permission) access: does not count"))
        }
        #expect(try Self.approve(reviews: [Self.review("broken", "APPROVED")]).status == 1)
        // One approver who may not push, one who may: passes.
        #expect(
            try Self.approve(
                reviews: [Self.review("eve", "APPROVED"), Self.review("bo", "APPROVED")], permissions: ["bo": "write"]
            ).status == 0)
        #expect(try Self.approve(reviews: [Self.review("bo", "APPROVED", "c1")]).status == 1)
        #expect(
            try Self.approve(reviews: [Self.review("bo", "APPROVED"), Self.review("bo", "CHANGES_REQUESTED")]).status
                == 1)
        #expect(try Self.approve(reviews: [Self.review("bo", "APPROVED"), Self.review("bo", "COMMENTED")]).status == 0)
        #expect(try Self.approve(reviews: [Self.review("cy", "COMMENTED"), Self.review("bo", "APPROVED")]).status == 0)
    }

    /// The approval job fails closed: it runs whatever the plan job did (`if: always()`; a skipped
    /// required check counts as passed) and passes only when the plan job succeeded with exit 0 or
    /// 1, or 3 with an approval; a failed, cancelled or skipped plan job fails it, approval or not.
    @Test func theApprovalCheckFailsWhenThePlanJobDidNotSucceed() throws {
        let job = try #require(try Self.workflow()["jobs"]?["second-approval"])
        #expect(job["if"] == "always()")
        #expect(job["needs"] == "plan")
        let approved = [Self.review("bo", "APPROVED")]
        for status in ["0", "1"] {
            let run = try Self.approve(reviews: [], status: status)
            #expect(run.status == 0, "\(status): \(run.output)")
            #expect(run.gh == [], "no change needs approval: no API call")
        }
        for status in ["2", "4", "64", ""] {
            #expect(try Self.approve(reviews: approved, status: status).status == 1, "exit \(status)")
        }
        for result in ["failure", "cancelled", "skipped"] {
            let run = try Self.approve(reviews: approved, planResult: result, status: "1")
            #expect(run.status == 1, "\(result)")
            #expect(run.output.contains("::error::the plan job did not succeed (\(result))"), "\(run.output)")
        }
    }

    /// The plan job's last step fails it unless the plan exited 0, 1 or 3, and it always runs.
    @Test func thePlanJobFailsOnFleetErrorsAndAPlanThatCouldNotRun() throws {
        let step = try #require(try Self.steps("plan").last)
        #expect(step["if"]?.stringValue == nil)
        let script = try #require(step["run"]?.stringValue)
        for status in ["0", "1", "3"] { #expect(try Self.run(script, environment: ["STATUS": status]).status == 0) }
        for status in ["2", "4", "64", ""] {
            let run = try Self.run(script, environment: ["STATUS": status])
            #expect(run.status == 1, "\(status)")
            #expect(run.output.contains("::error::oceanid-gen plan exited"))
        }
    }

    /// Only a SARIF 2.1.0 log goes to code scanning: a plan that could not run leaves an empty (or
    /// cut) fleet.sarif that hashFiles would still match; a fork's read-only token uploads nothing.
    @Test func anEmptyOrInvalidSARIFIsNotUploaded() throws {
        let step = try Self.step("plan", "Is there SARIF worth uploading")
        #expect(step["id"] == "sarif")
        let script = try #require(step["run"]?.stringValue)
        let valid = #"{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": []}"#
        #expect(try Self.run(script, files: ["fleet.sarif": valid]).githubOutput == "upload=true\n")
        for (name, files) in [
            ("empty", ["fleet.sarif": ""]), ("cut", ["fleet.sarif": String(valid.prefix(30))]),
            ("not SARIF", ["fleet.sarif": #"{"error": "x"}"#]), ("missing", [:]),
            ("two documents", ["fleet.sarif": valid + valid]),
        ] as [(String, [String: String])] {
            let run = try Self.run(script, files: files)
            #expect(run.status == 0 && run.githubOutput == "", "\(name): \(run)")
            #expect(run.output.contains("not uploaded"), "\(name)")
        }
        let upload = try Self.step("plan", "Diagnostics to code scanning")
        let condition = try #require(upload["if"]?.stringValue)
        #expect(condition.contains("steps.sarif.outputs.upload == 'true'"))
        #expect(condition.contains("github.event.pull_request.head.repo.full_name == github.repository"))
        #expect(!condition.contains("hashFiles"))
    }

    /// The container runs as root on a workspace the runner's user owns: the workspace is made a
    /// safe.directory before the first `oceanid-gen plan`.
    @Test func theWorkspaceIsASafeDirectoryBeforeThePlan() throws {
        let names = try Self.steps("plan").map { $0["name"]?.stringValue ?? $0["uses"]?.stringValue ?? "" }
        let safe = try #require(names.firstIndex { $0.hasPrefix("The workspace is a safe.directory") })
        let plan = try #require(names.firstIndex(of: "oceanid-gen plan"))
        #expect(safe < plan)
        #expect(
            try Self.steps("plan")[safe]["run"]?.stringValue
                == "git config --global --add safe.directory \"$GITHUB_WORKSPACE\"")
    }

    /// What CI meets, with the real binary: a clone owned by another user (the runner's, uid 1001)
    /// read by root. Without the step, libgit2 refuses the repository (exit 4); after the workflow's
    /// own step, in the same HOME, the plan runs. Needs root (chown), as in the container. (The
    /// base is HEAD~1: against HEAD itself the plan has nothing to read from git.)
    @Test(.enabled(if: geteuid() == 0, "chown needs root, as in the workflow's container"))
    func theSafeDirectoryStepLetsTheRealBinaryPlanAnotherUsersClone() throws {
        let binary = try #require(FreshCloneTests.binary, "build oceanid-gen first (swift build --build-tests)")
        let scratch = try TemporaryFolder("oceanid-safe-directory")
        defer { scratch.remove() }
        let clone = try FreshCloneTests().freshClone(into: scratch.path)
        try FileManager.default.createDirectory(atPath: scratch.path + "/home", withIntermediateDirectories: true)
        let chown = try runProcess("chown", ["-R", "1001:1001", clone])
        try #require(chown.status == 0, "\(chown.output)")
        let environment = ["HOME=\(scratch.path)/home", "XDG_CONFIG_HOME=\(scratch.path)/home/.config"]
        func plan() throws -> (status: Int32, output: String) {
            try runProcess(
                "env", environment + [binary, "plan", "--base", "HEAD~1", "--format", "markdown"], cwd: clone)
        }
        let refused = try plan()
        #expect(refused.status == 4, "\(refused.output)")
        #expect(
            refused.output.contains("opening the repository failed: config value 'safe.directory' was not found"),
            "\(refused.output)")
        let script = try #require(try Self.step("plan", "The workspace is a safe.directory")["run"]?.stringValue)
        let step = try runProcess(
            "env", environment + ["GITHUB_WORKSPACE=\(clone)", "bash", "-e", "-c", script], cwd: clone)
        #expect(step.status == 0, "\(step.output)")
        let planned = try plan()
        #expect([0, 1, 3].contains(planned.status), "\(planned.output)")
        #expect(planned.output.hasPrefix("### Fleet plan"), "\(planned.output)")
    }

    /// A review re-runs the workflow without rebuilding: "previous plan" reads the exit code the
    /// head commit's finished pull_request run left (artifact fleet-plan-status); a push's run, a
    /// review before that run finished, and a run without the artifact leave it empty (plan then).
    @Test func aReviewReusesThePlanOfItsHeadCommit() throws {
        let script = try #require(try Self.steps("previous").first?["run"]?.stringValue)
        let gh = """
            case "$1 $2" in
              "run list") cat "$FOLDER/runs" 2>/dev/null ;;
              "run download") [ -f "$FOLDER/status" ] && mkdir -p "$7" && cp "$FOLDER/status" "$7/fleet-plan-status" ;;
              *) exit 2 ;;
            esac
            """
        func previous(_ event: String, runs: String?, status: String?) throws -> StepRun {
            var files: [String: String] = [:]
            if let runs { files["runs"] = runs }
            if let status { files["status"] = status }
            let run = try Self.run(
                script, environment: ["EVENT": event, "HEAD_SHA": "c2"], gh: gh, files: files)
            #expect(run.status == 0, "\(run.output)")
            return run
        }
        let push = try previous("pull_request", runs: "41\n", status: "3\n")
        #expect(push.githubOutput == "" && push.gh == [])
        let reused = try previous("pull_request_review", runs: "41\n", status: "3\n")
        #expect(reused.githubOutput == "status=3\n", "\(reused.output)")
        #expect(
            reused.gh == [
                "run list --workflow fleet-plan.yml --event pull_request --commit c2 --status completed --limit 1 "
                    + "--json databaseId --jq .[0].databaseId // empty",
                "run download 41 --name fleet-plan-status --dir previous",
            ])
        #expect(try previous("pull_request_review", runs: "41\n", status: "2\n").githubOutput == "status=2\n")
        #expect(try previous("pull_request_review", runs: nil, status: "3\n").githubOutput == "")
        #expect(try previous("pull_request_review", runs: "41\n", status: nil).githubOutput == "")
        #expect(try previous("pull_request_review", runs: "41\n", status: "garbage\n").githubOutput == "")
    }

    /// With a reused exit code the plan job starts no container and every step but the last is
    /// skipped (no checkout, no build, no second comment), and the job's `status` is the reused one;
    /// the plan records its exit code for the next review.
    @Test func thePlanJobSkipsTheBuildWhenAReviewReusesTheExitCode() throws {
        let workflow = try Self.workflow()
        let plan = try #require(workflow["jobs"]?["plan"])
        #expect(plan["needs"] == "previous")
        #expect(plan["container"]?["image"] == "${{ needs.previous.outputs.status == '' && 'swift:6.1-noble' || '' }}")
        #expect(plan["env"]?["PREVIOUS"] == "${{ needs.previous.outputs.status }}")
        #expect(plan["outputs"]?["status"] == "${{ needs.previous.outputs.status || steps.plan.outputs.status }}")
        let steps = try Self.steps("plan")
        for step in steps.dropLast() where step["name"]?.stringValue != "Diagnostics to code scanning" {
            let condition = step["if"]?.stringValue ?? ""
            #expect(condition.hasPrefix("env.PREVIOUS == ''") || condition.contains("&& env.PREVIOUS == ''"), "\(step)")
        }
        let run = try #require(try Self.step("plan", "oceanid-gen plan")["run"]?.stringValue)
        #expect(run.contains("echo \"$status\" >fleet-plan-status"))
        let upload = try Self.step("plan", "The exit code, for a review's run")
        #expect(upload["with"]?["name"] == "fleet-plan-status")
        #expect(workflow["jobs"]?["previous"]?["name"] == "previous plan")
    }

    /// A new push cancels the older push's run; a review never cancels a push's run (its own
    /// group) and reviews queue rather than cancel one another.
    @Test func aReviewNeverCancelsAPushesRun() throws {
        let concurrency = try #require(try Self.workflow()["concurrency"])
        #expect(concurrency["group"] == "fleet-plan-${{ github.event.pull_request.number }}-${{ github.event_name }}")
        #expect(concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}")
    }

    /// contents: read everywhere; pull-requests: write and security-events: write only for the
    /// plan job; the approval job reads pull requests and nothing else; "previous plan" reads runs.
    @Test func itAsksForTheLeastPermissions() throws {
        let workflow = try Self.workflow()
        #expect(workflow["permissions"] == .map([.init("contents", "read")]))
        #expect(
            workflow["jobs"]?["plan"]?["permissions"]
                == .map([
                    .init("contents", "read"), .init("pull-requests", "write"), .init("security-events", "write"),
                ]))
        #expect(workflow["jobs"]?["second-approval"]?["permissions"] == .map([.init("pull-requests", "read")]))
        #expect(workflow["jobs"]?["previous"]?["permissions"] == .map([.init("actions", "read")]))
    }

    /// Exit code 3 (a change that needs a second person's approval) runs the job "needs second
    /// approval", which fails without an approval by someone other than the author; reviews re-run it.
    @Test func exitCodeThreeHasItsOwnFailingCheck() throws {
        #expect(ExitStatus.needsApproval.rawValue == 3)
        let workflow = try Self.workflow()
        let job = try #require(workflow["jobs"]?["second-approval"])
        #expect(job["name"] == "needs second approval")
        #expect(workflow["on"]?["pull_request_review"]?["types"] == .list(["submitted", "dismissed"]))
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(text.contains(#".user.login != $author and .commit_id == $head"#))
    }
}
