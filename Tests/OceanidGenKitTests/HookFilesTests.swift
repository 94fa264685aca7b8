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
