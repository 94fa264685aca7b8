import DSL
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// The hook integration files are valid and run the same check as CI.
@Suite struct HookFilesTests {
    func read(_ path: String) throws -> String {
        try String(contentsOfFile: Paths.repository + "/" + path, encoding: .utf8)
    }

    @Test func preCommitFrameworkHookRunsTheScript() throws {
        let hooks = try #require(try YAMLReader.documents(try read(".pre-commit-hooks.yaml")).first)
        guard case .list(let entries) = hooks else {
            Issue.record("not a list")
            return
        }
        #expect(entries.first?["id"] == "oceanid-gen-check")
        #expect(entries.first?["entry"] == "scripts/pre-commit")
        #expect(entries.first?["pass_filenames"] == false)
        #expect(FileManager.default.isExecutableFile(atPath: Paths.repository + "/scripts/pre-commit"))
    }

    @Test func nativeHookChecksTheIndexAndIsValidBash() throws {
        let script = try read("scripts/pre-commit")
        #expect(script.contains("check --against index"))
        let syntax = try runProcess("bash", ["-n", Paths.repository + "/scripts/pre-commit"])
        #expect(syntax.status == 0, "\(syntax.output)")
    }

    /// `make build`'s dependency check needs only the build's libraries: it never runs python3
    /// (a stock python3 refuses pip install, PEP 668) and makes no .venv/; an unknown mode is a
    /// usage error. (scripts/stock-python-test.sh runs the test mode against Debian's python3.)
    @Test func theBuildsDependencyCheckNeverTouchesPython() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("scripts/deps.sh", try read("scripts/deps.sh"))
        let calls = dir.path + "/python-calls"
        try dir.write("stub/python3", "#!/bin/sh\necho \"$@\" >> \(calls)\nexit 1\n")
        #expect(chmod(dir.path + "/stub/python3", 0o755) == 0)
        let path = "PATH=\(dir.path)/stub:/usr/local/bin:/usr/bin:/bin"
        let build = try runProcess(path, ["bash", dir.path + "/scripts/deps.sh", "build"])
        #expect(build.status == 0, "\(build.output)")
        #expect(!FileManager.default.fileExists(atPath: calls), "python3 was run")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/.venv"))
        let usage = try runProcess(path, ["bash", dir.path + "/scripts/deps.sh", "everything"])
        #expect(usage.status == 64 && usage.output.contains("usage: scripts/deps.sh [build|test]"), "\(usage.output)")
        let makefile = try read("Makefile")
        #expect(makefile.contains("build:\n\t@scripts/deps.sh build\n"))
        #expect(makefile.contains("test: lint\n\t@scripts/deps.sh test\n"))
    }

    @Test func workflowRunsTheGoldenDiffAndTheValidators() throws {
        let workflow = try #require(try YAMLReader.documents(try read(".github/workflows/oceanid-gen.yml")).first)
        guard case .list(let steps) = workflow["jobs"]?["check"]?["steps"] ?? .null else {
            Issue.record("no steps")
            return
        }
        let commands = steps.compactMap { $0["run"]?.stringValue }.joined(separator: "\n")
        #expect(commands.contains("oceanid-gen check --against head"))
        #expect(commands.contains("scripts/validate-output.py clusters"))
    }
}
