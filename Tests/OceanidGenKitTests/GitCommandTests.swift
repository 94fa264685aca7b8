import DSL
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// `check --against` and `build --commit` on real repositories.
@Suite struct GitCommandTests {
    let demo = FleetDefinition(Fixtures.demo())

    func repository() throws -> GitFixture {
        let git = try GitFixture()
        try git.folder.write("definitions/README.md", "the fleet\n")
        return git
    }

    @Test func checkComparesWithTheIndexByDefault() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(demo, ["build", "--commit"], root: dir.path).status == 0)
        #expect(CapturedRun(demo, ["check"], root: dir.path).status == 0)

        // An unstaged hand edit: what is about to be committed is still right.
        let path = "clusters/lab/frontend/service-web.yaml"
        try dir.folder.write(path, (dir.folder.read(path) ?? "") + "# edited\n")
        #expect(CapturedRun(demo, ["check"], root: dir.path).status == 0)
        let worktree = CapturedRun(demo, ["check", "--against", "worktree"], root: dir.path)
        #expect(worktree.status == 1)
        #expect(worktree.out.contains("\(path): hand-edited"))

        // Staged, the pre-commit check catches it; HEAD is still clean.
        try dir.run("add", path)
        let staged = CapturedRun(demo, ["check"], root: dir.path)
        #expect(staged.status == 1)
        #expect(staged.out.contains("\(path): hand-edited\n--- a/\(path)"))
        #expect(staged.out.contains("-# edited"))
        #expect(staged.err.contains("differ from the index"))
        #expect(CapturedRun(demo, ["check", "--against", "head"], root: dir.path).status == 0)
    }

    /// The program runs the working tree's definitions and settings.yaml: a check of the index (the
    /// pre-commit hook) or of HEAD holding other ones would vouch for output the commit's own
    /// definitions do not make, so it refuses (exit 4) and says how to line them up.
    @Test func checkRefusesAnIndexOrHEADWhoseDefinitionsOrSettingsAreNotTheWorkingTrees() throws {
        let dir = try repository()
        defer { dir.remove() }
        try dir.folder.write("definitions/Apps.swift", "// replicas 5\n")
        try dir.folder.write("definitions/.scratch/Notes.swift", "// not compiled (a dot folder)\n")
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        try dir.run("add", "-A")
        try dir.run("commit", "-q", "-m", "fleet")
        #expect(CapturedRun(demo, ["check"], root: dir.path).status == 0)
        #expect(CapturedRun(demo, ["check", "--against", "head"], root: dir.path).status == 0)

        // Edited after staging, as in: build, `git add -A`, edit again, commit.
        try dir.folder.write("definitions/Apps.swift", "// replicas 6\n")
        let index = CapturedRun(demo, ["check"], root: dir.path)
        #expect(index.status == 4, "\(index.err)")
        #expect(
            index.err
                == "oceanid-gen check: definitions/Apps.swift differs between the index and the working tree; "
                + "check compiles the working tree's definitions and settings, so it cannot vouch for the index's: "
                + "stage them (`git add definitions/Apps.swift`) or set them aside (`git stash push --keep-index`), "
                + "then check again\n")
        #expect(CapturedRun(demo, ["check", "--against", "head"], root: dir.path).status == 4)
        #expect(CapturedRun(demo, ["check", "--against", "worktree"], root: dir.path).status == 0)
        let json = CapturedRun(demo, ["check", "--json"], root: dir.path)
        #expect(json.status == 4 && json.out.contains("cannot vouch for the index"), "\(json.out)")
        try dir.run("add", "definitions/Apps.swift")
        let staged = CapturedRun(demo, ["check"], root: dir.path)
        #expect(staged.status == 0, "\(staged.err)")

        // A new definitions file and an unstaged settings.yaml count too; files outside the
        // compiled set (a dot folder, a README) do not.
        try dir.folder.write("definitions/Extra.swift", "// new\n")
        try dir.folder.write("settings.yaml", "# overrides\n")
        try dir.folder.write("definitions/.scratch/Notes.swift", "// edited, still not compiled\n")
        try dir.folder.write("definitions/README.md", "edited\n")
        let both = CapturedRun(demo, ["check"], root: dir.path)
        #expect(both.status == 4)
        #expect(
            both.err.hasPrefix(
                "oceanid-gen check: definitions/Extra.swift, settings.yaml differ between the index and the working tree"
            ),
            "\(both.err)")
        #expect(both.err.contains("(`git add definitions settings.yaml`)"), "\(both.err)")
        try dir.run("add", "-A")
        #expect(CapturedRun(demo, ["check"], root: dir.path).status == 0)
    }

    @Test func checkReportsMissingAndUnownedGeneratedFilesInTheIndex() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        // Nothing staged yet: every generated file is missing from the index.
        let run = CapturedRun(demo, ["check", "--json"], root: dir.path)
        #expect(run.status == 1)
        #expect(run.out.contains("\"status\" : \"missing\""))
        try dir.run("add", "-A")
        #expect(CapturedRun(demo, ["check"], root: dir.path).status == 0)
        // A generated-looking file nobody owns (e.g. left by a lost manifest).
        try dir.folder.write(
            "clusters/lab/web/configmap-old.yaml", "# Generated by oceanid-gen from definitions/.\nkind: ConfigMap\n")
        try dir.run("add", "-A")
        let stray = CapturedRun(demo, ["check"], root: dir.path)
        #expect(stray.status == 1)
        #expect(stray.out.contains("clusters/lab/web/configmap-old.yaml: unowned-generated"))
        // build leaves a file it does not own alone: the advice is to move or delete it.
        #expect(stray.err.contains("; move or delete the unowned files named above"), "\(stray.err)")
        #expect(!stray.err.contains("run `make build`"), "\(stray.err)")
    }

    /// The output is made from settings.yaml as it is on disk: --commit refuses, before
    /// writing anything, while settings.yaml differs from HEAD (untracked, edited or staged).
    @Test func buildCommitRefusesOutputOfUncommittedSettings() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(demo, ["build", "--commit"], root: dir.path).status == 0)
        try dir.folder.write("settings.yaml", "# overrides\n")
        let before = dir.folder.snapshot()
        let refused = CapturedRun(demo, ["build", "--commit"], root: dir.path)
        #expect(refused.status == 4)
        #expect(
            refused.err.contains("settings.yaml differs from HEAD and the generated output depends on it"),
            "\(refused.err)")
        #expect(dir.folder.snapshot() == before, "nothing written")
        try dir.run("add", "settings.yaml")
        #expect(CapturedRun(demo, ["build", "--commit"], root: dir.path).status == 4, "staged is not committed")
        try dir.run("commit", "-q", "-m", "settings")
        #expect(CapturedRun(demo, ["build", "--commit"], root: dir.path).status == 0)
    }

    @Test func buildCommitCommitsOnlyGeneratedPaths() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(demo, ["build", "--commit"], root: dir.path).status == 0)
        try dir.folder.write("definitions/README.md", "the fleet, staged by a person\n")
        try dir.run("add", "definitions/README.md")

        var smaller = Fixtures.demo()
        smaller.clusters[0].items.removeAll { if case .namespace(let ns) = $0 { ns.name == "batch" } else { false } }
        let run = CapturedRun(FleetDefinition(smaller), ["build", "--commit"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("committed "))
        let changed = try dir.run("show", "--name-only", "--format=%s", "HEAD").split(separator: "\n").dropFirst(2)
        #expect(!changed.isEmpty)
        #expect(
            changed.allSatisfy {
                $0.hasPrefix("clusters/lab/") || $0 == "policy/input/lab.json" || $0.hasPrefix("docs/")
                    || $0 == ".oceanid-gen/manifest"
            }, "\(changed)")
        #expect(changed.contains("clusters/lab/batch/job-train-once.yaml"))
        #expect(try dir.run("diff", "--cached", "--name-only") == "definitions/README.md\n")
        #expect(try dir.run("log", "-1", "--format=%s") == "oceanid-gen: regenerate output\n")
        // Nothing changed: nothing to commit, no empty commit.
        let head = try dir.run("rev-parse", "HEAD")
        #expect(CapturedRun(FleetDefinition(smaller), ["build", "--commit"], root: dir.path).status == 0)
        #expect(try dir.run("rev-parse", "HEAD") == head)
    }

    /// `make build` then `build --commit`: the second build writes nothing, yet commits every
    /// generated path the first wrote (they differ from HEAD); deletions made by an earlier
    /// build are committed too; hand-written files stay uncommitted.
    @Test func buildCommitCommitsWhatAnEarlierBuildWrote() throws {
        let dir = try repository()
        defer { dir.remove() }
        try dir.run("add", "definitions/README.md")
        try dir.run("commit", "-q", "-m", "definitions")
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        try dir.folder.write("notes.txt", "hand-written\n")
        let run = CapturedRun(demo, ["build", "--commit"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.hasPrefix("oceanid-gen build: up to date ("), "\(run.out)")
        #expect(run.out.contains("\ncommitted "), "\(run.out)")
        let committed = try dir.run("show", "--name-only", "--format=", "HEAD").split(separator: "\n")
        #expect(committed.contains("clusters/lab/batch/job-train-once.yaml"))
        #expect(committed.contains(".oceanid-gen/manifest"))
        #expect(!committed.contains("notes.txt"))
        #expect(try dir.run("status", "--porcelain") == "?? notes.txt\n")

        // An earlier build deleted a file; build --commit commits the deletion.
        var smaller = Fixtures.demo()
        smaller.clusters[0].items.removeAll { if case .namespace(let ns) = $0 { ns.name == "batch" } else { false } }
        #expect(CapturedRun(FleetDefinition(smaller), ["build"], root: dir.path).status == 0)
        let second = CapturedRun(FleetDefinition(smaller), ["build", "--commit"], root: dir.path)
        #expect(second.out.contains("\ncommitted "), "\(second.out)")
        let body = try dir.run("log", "-1", "--format=%b")
        #expect(body.contains(" deleted by `oceanid-gen build --commit`") && !body.contains(" 0 deleted"), "\(body)")
        #expect(try dir.run("status", "--porcelain") == "?? notes.txt\n")
    }

    /// What `make check` runs right after `make build` (nothing staged yet): the working tree is
    /// what the definitions generate; the index (the hook's comparison) is not yet.
    @Test func checkAgainstTheWorkingTreeAfterBuildIsClean() throws {
        let dir = try repository()
        defer { dir.remove() }
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        let worktree = CapturedRun(demo, ["check", "--against", "worktree"], root: dir.path)
        #expect(worktree.status == 0, "\(worktree.out)")
        #expect(worktree.err.contains("working tree is up to date"), "\(worktree.err)")
        #expect(CapturedRun(demo, ["check", "--against", "index"], root: dir.path).status == 1)
        let makefile = try String(contentsOfFile: Paths.repository + "/Makefile", encoding: .utf8)
        let recipe = makefile.components(separatedBy: "\ncheck:\n").last?.components(separatedBy: "\n\n").first ?? ""
        #expect(recipe.contains("$(BIN) check --against worktree"), "\(recipe)")
        let hook = try String(contentsOfFile: Paths.repository + "/scripts/pre-commit", encoding: .utf8)
        #expect(hook.contains("check --against index"))
    }

    @Test func commitOutsideARepositoryIsAWorkspaceError() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let run = CapturedRun(demo, ["build", "--commit"], root: dir.path)
        #expect(run.status == 4)
        #expect(run.err.contains("--commit needs a git repository"))
        #expect(dir.snapshot().isEmpty)
        let check = CapturedRun(demo, ["check"], root: dir.path)
        #expect(check.err.contains("not in a git repository; comparing with the working tree"))
    }

    /// An applied migration cannot change: editing it is caught by check against the working
    /// tree and, once staged, the index (its bytes no longer match schema.lock.json); build
    /// and build --commit refuse and write nothing; deleting it is named with the command
    /// that restores it.
    @Test func appliedMigrationsCannotBeEditedOrDeleted() throws {
        let definition = FleetDefinition(Fleet("shop") { Database("shop", schemas: ["catalog"]) })
        let dir = try repository()
        defer { dir.remove() }
        let path = "sql/shop/migrations/V0001__create_shop.sql"
        #expect(CapturedRun(definition, ["build"], root: dir.path).status == 0)
        let original = try #require(dir.folder.read(path))
        try dir.commit([:], message: "first migration")
        #expect(CapturedRun(definition, ["check", "--against", "head"], root: dir.path).status == 0)

        try dir.folder.write(
            path,
            original.replacingOccurrences(
                of: "CREATE SCHEMA \"catalog\";", with: "CREATE SCHEMA \"catalog\";\nALTER SCHEMA catalog OWNER TO x;"))
        let before = dir.folder.snapshot()
        let worktree = CapturedRun(definition, ["check", "--against", "worktree", "--json"], root: dir.path)
        #expect(worktree.status == 2)
        #expect(worktree.out.contains("was edited, renamed or reordered after it was committed"), "\(worktree.out)")
        let build = CapturedRun(definition, ["build"], root: dir.path)
        #expect(build.status == 2)
        #expect(build.err.contains("\(path):1: error: migration '\(path)' was edited"), "\(build.err)")
        #expect(dir.folder.snapshot() == before, "a refused build writes nothing")
        try dir.run("add", "-A")
        let staged = CapturedRun(definition, ["check"], root: dir.path)
        #expect(staged.status == 2)
        #expect(staged.err.contains("was edited"), "\(staged.err)")
        #expect(CapturedRun(definition, ["build", "--commit"], root: dir.path).status == 2)
        #expect(try dir.run("log", "--format=%s").split(separator: "\n").count == 1, "nothing was committed")

        try dir.run("checkout", "HEAD", "--", path)
        try FileManager.default.removeItem(atPath: dir.path + "/" + path)
        let deleted = CapturedRun(definition, ["build"], root: dir.path)
        #expect(deleted.status == 2)
        #expect(deleted.err.contains("restore it (git checkout HEAD -- \(path))"), "\(deleted.err)")
    }
}
