import Compiler
import DSL
import Foundation
import OceanidGenKit
import TestSupport
import Testing
import Workspace

/// Two branches that each add an app, merged by git: the bookkeeping (`.oceanid-gen/manifest`,
/// merged with git's union driver through `.oceanid-gen/.gitattributes`) never conflicts; a
/// generated file that does is rebuilt by `build` from the merged definitions, and `check`
/// names it until then.
@Suite struct MergeTests {
    /// The demo fleet with extra apps (a Deployment and its Service each) in namespace web.
    static func demo(adding apps: [String]) -> FleetDefinition {
        var fleet = Fixtures.demo()
        for i in fleet.clusters[0].items.indices {
            guard case .namespace(var namespace) = fleet.clusters[0].items[i], namespace.name == "web" else { continue }
            for name in apps { namespace.items.append(.component(app(name))) }
            fleet.clusters[0].items[i] = .namespace(namespace)
        }
        return FleetDefinition(fleet)
    }

    static func app(_ name: String) -> Component {
        Component(name) {
            let workload = Deployment(name) {
                Container(name, image: Image("ghcr.io/demo/\(name):1.0.0")) {
                    Port("http", 8080)
                }
                .resources(requests: .init(cpu: "50m", memory: "32Mi"), limits: .init(cpu: "1", memory: "64Mi"))
                .readiness(.http("/", port: "http", period: 5))
                .liveness(.tcp(port: "http", initialDelay: 5))
                .securityContext(.restricted)
            }
            .pinned(to: "lab-1")
            workload
            Service(selecting: workload) { ServicePort("http", 80, target: "http") }
        }
    }

    func git(_ dir: GitFixture, _ args: String...) throws -> (status: Int32, output: String) {
        try runProcess("git", ["-C", dir.path] + args)
    }

    @Test func branchesAddingDifferentAppsMergeThenBuildThenCheck() throws {
        try mergeThenBuildThenCheck(union: true)
    }

    /// The same merge in a clone whose attributes give the manifest git's plain text merge
    /// (`.git/info/attributes` wins over the tree's, gitattributes(5)): the manifest conflicts,
    /// which is what the union driver spares, and build still repairs it from both sides.
    @Test func withoutTheUnionDriverTheManifestConflictsAndBuildStillRepairsIt() throws {
        try mergeThenBuildThenCheck(union: false)
    }

    func mergeThenBuildThenCheck(union: Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let dir = try GitFixture()
        defer { dir.remove() }
        try dir.folder.write("definitions/README.md", "the fleet\n")
        if !union { try dir.folder.write(".git/info/attributes", ".oceanid-gen/manifest merge=text\n") }
        #expect(CapturedRun(Self.demo(adding: []), ["build"], root: dir.path).status == 0)
        #expect(dir.folder.read(OwnedManifest.attributesPath) == OwnedManifest.attributes)
        try dir.commit([:], message: "base")

        for (branch, app) in [("alpha", "alpha-api"), ("beta", "beta-api")] {
            try dir.run("checkout", "-q", "-b", branch, "main")
            let built = CapturedRun(Self.demo(adding: [app]), ["build"], root: dir.path)
            #expect(built.status == 0, "\(built.err)")
            // A hand-written file both branches changed: its conflict stays the person's.
            try dir.commit(["definitions/README.md": "the fleet, with \(app)\n"], message: "add \(app)")
        }
        try dir.run("checkout", "-q", "alpha")
        let merge = try git(dir, "merge", "-q", "--no-edit", "beta")
        let conflicted = try dir.run("diff", "--name-only", "--diff-filter=U").split(separator: "\n").map(String.init)
        // Both apps sit next to each other in the namespace's kustomization: git cannot merge
        // that generated file, but the manifest beside it merges.
        #expect(merge.status != 0 && !conflicted.isEmpty, "\(merge.output)")
        #expect(conflicted.contains(OwnedManifest.path) == !union, "\(conflicted)", sourceLocation: sourceLocation)
        #expect(conflicted.contains("definitions/README.md"), "\(conflicted)", sourceLocation: sourceLocation)
        let generatedConflicts = conflicted.filter { $0 != "definitions/README.md" }
        #expect(
            !generatedConflicts.isEmpty
                && generatedConflicts.allSatisfy {
                    $0.hasPrefix("clusters/") || $0.hasPrefix("docs/") || $0 == OwnedManifest.path
                },
            "\(conflicted)", sourceLocation: sourceLocation)

        let merged = Self.demo(adding: ["alpha-api", "beta-api"])
        let before = CapturedRun(merged, ["check"], root: dir.path)
        #expect(before.status == 1)
        for path in generatedConflicts { #expect(before.out.contains("\(path): unmerged"), "\(before.out)") }
        #expect(!before.out.contains("definitions/README.md"), "\(before.out)")
        #expect(before.err.contains("run `make build` (oceanid-gen build)"), "\(before.err)")
        let worktree = CapturedRun(merged, ["check", "--against", "worktree"], root: dir.path)
        #expect(worktree.status == 1)
        let file = try #require(generatedConflicts.first { $0 != OwnedManifest.path })
        #expect(worktree.out.contains("\(file): merge-conflict"), "\(worktree.out)")
        #expect(!worktree.out.contains("hand-edited"), "\(worktree.out)")

        // The fix: build on the merged definitions. No generated file is edited by hand.
        let build = CapturedRun(merged, ["build"], root: dir.path)
        #expect(build.status == 0, "\(build.err)")
        #expect(build.err.contains("a merge left in conflict and marked them resolved"), "\(build.err)")
        #expect(try dir.run("diff", "--name-only", "--diff-filter=U") == "definitions/README.md\n")
        try dir.folder.write("definitions/README.md", "the fleet, with alpha-api and beta-api\n")
        #expect(CapturedRun(merged, ["check", "--against", "worktree"], root: dir.path).status == 0)
        try dir.run("add", "-A")
        #expect(CapturedRun(merged, ["check"], root: dir.path).status == 0)
        try dir.run("commit", "-q", "--no-edit")
        #expect(CapturedRun(merged, ["check", "--against", "head"], root: dir.path).status == 0)
        let manifest = try #require(dir.folder.read(OwnedManifest.path))
        #expect(manifest.contains("/alpha-api/") && manifest.contains("/beta-api/"), "\(manifest)")
        #expect(try OwnedManifest.parse(manifest).merged.isEmpty)
    }

    /// A manifest merged without the attribute (git's conflict markers) or with it (a path
    /// listed twice) is read as both sides' lines; such a path is not hand-edited, and the next
    /// plan writes one line per path again.
    @Test func aMergedManifestIsReadAndRepaired() throws {
        let one = String(repeating: "1", count: 40)
        let two = String(repeating: "2", count: 40)
        let three = String(repeating: "3", count: 40)
        let markers = """
            # header
            <<<<<<< HEAD
            \(one) a/kustomization.yaml
            \(three) a/alpha.yaml
            ||||||| base
            =======
            \(two) a/kustomization.yaml
            \(three) a/beta.yaml
            >>>>>>> beta

            """
        let manifest = try OwnedManifest.parse(markers)
        #expect(manifest.entries == ["a/kustomization.yaml": one, "a/alpha.yaml": three, "a/beta.yaml": three])
        #expect(manifest.merged == ["a/kustomization.yaml": [one, two]])
        #expect(!OwnedManifest.hasConflictMarkers(Array("a\n=======\nb\n".utf8)))
        #expect(OwnedManifest.hasConflictMarkers(Array("<<<<<<< HEAD\na\n=======\nb\n>>>>>>> beta\n".utf8)))

        let dir = try TemporaryFolder("oceanid-merged")
        defer { dir.remove() }
        try dir.write(OwnedManifest.path, markers)
        try dir.write("a/kustomization.yaml", "merged by git\n")
        let files = [
            GeneratedFile(path: "a/kustomization.yaml", contents: "both\n"),
            GeneratedFile(path: "a/alpha.yaml", contents: "alpha\n"),
        ]
        let plan = try Workspace(root: dir.path).plan(files)
        #expect(plan.updates.map(\.change) == [.update(handEdited: false)])
        #expect(plan.manifestChanged)
        let report = try Workspace(root: dir.path).apply(plan)
        #expect(report.manifestWritten && report.attributesWritten)
        let repaired = try OwnedManifest.parse(try #require(dir.read(OwnedManifest.path)))
        #expect(repaired.merged.isEmpty)
        #expect(Set(repaired.entries.keys) == ["a/kustomization.yaml", "a/alpha.yaml"])
    }
}
