import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// Diagnostics in order of importance: errors first, then warnings; repeated warnings of one
/// code fold into one line with a count unless `--verbose`; `--errors-only` (the pre-commit
/// hook) prints the errors and one summary line; `--json` keeps every diagnostic.
@Suite struct DiagnosticOrderTests {
    /// One error (settings.yaml, which sorts after definitions/ by path) and the fleet's five
    /// placeholder warnings.
    static let settings = "# overrides\ncloudflareNodeTunnelMetricsPort: \"nope\"  # a port\n"
    static let error =
        "settings.yaml:2: error: malformed override of setting 'cloudflareNodeTunnelMetricsPort': expected an integer "
        + "[invalid-setting]"

    func run(_ arguments: [String], terminal: Bool = false) throws -> CapturedRun {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", Self.settings)
        return CapturedRun(Oceanid.definition, arguments, root: dir.path, terminal: terminal)
    }

    @Test func errorsComeFirstAndRepeatedWarningsFold() throws {
        let run = try run(["build"])
        #expect(run.status == 2)
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(lines.first == Self.error, "\(run.err)")
        // One warning per code: the five placeholders and the three invented defaults fold.
        let warnings = lines.filter { $0.contains(": warning: ") }
        #expect(warnings.count == 2, "\(run.err)")
        let placeholder = try #require(lines.firstIndex { $0.hasSuffix("[placeholder-setting]") })
        let fold = try #require(
            lines.firstIndex {
                $0.hasSuffix(": note: and 4 more [placeholder-setting] warnings like it (--verbose shows each)")
            }, "\(run.err)")
        #expect(placeholder < fold)
        #expect(
            lines.contains {
                $0.hasSuffix(": note: and 2 more [invented-default] warnings like it (--verbose shows each)")
            })
        // The fold note stands at the first warning's location, so every line still parses.
        let first = try #require(lines[placeholder].components(separatedBy: ": warning: ").first)
        #expect(lines[fold].hasPrefix(first + ": note: "))
    }

    @Test func verboseShowsEveryWarningAfterTheErrors() throws {
        let run = try run(["build", "--verbose"])
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(lines.first == Self.error)
        #expect(lines.filter { $0.hasSuffix("[placeholder-setting]") }.count == 5, "\(run.err)")
        #expect(!run.err.contains("more [placeholder-setting] warnings"))
        let errorIndex = try #require(lines.firstIndex(of: Self.error))
        let firstWarning = try #require(lines.firstIndex { $0.contains(": warning: ") })
        #expect(errorIndex < firstWarning)
    }

    @Test func errorsOnlyPrintsTheErrorsAndOneSummaryLine() throws {
        let run = try run(["--errors-only", "build"])
        #expect(run.status == 2)
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(lines.first == Self.error)
        #expect(!run.err.contains(": warning: "))
        #expect(lines.last == "1 error, 8 warnings (8 not shown; --verbose shows them)", "\(run.err)")
        #expect(lines.count == 3, "the error, its note and the summary: \(run.err)")
    }

    @Test func aTerminalFoldsTooAndCountsEverything() throws {
        let run = try run(["build"], terminal: true)
        #expect(run.err.hasPrefix(Self.error + "\n"), "\(run.err)")
        #expect(run.err.components(separatedBy: "warning: setting '").count == 3, "\(run.err)")
        #expect(
            run.err.contains("    note: and 4 more [placeholder-setting] warnings like it (--verbose shows each)\n"))
        #expect(run.err.hasSuffix("\n1 error, 8 warnings\n"))
    }

    @Test func jsonKeepsEveryDiagnostic() throws {
        let run = try run(["build", "--json"])
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.filter { $0["code"] as? String == "placeholder-setting" }.count == 5)
    }

    /// The hook's check on a clean tree: one line, counting the warnings it does not show.
    @Test func checkWithErrorsOnlyIsOneSummaryLine() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        #expect(CapturedRun(Oceanid.definition, ["build"], root: dir.path).status == 0)
        let run = CapturedRun(Oceanid.definition, ["check", "--against", "worktree", "--errors-only"], root: dir.path)
        #expect(run.status == 0)
        let lines = run.err.split(separator: "\n")
        #expect(lines.count == 1, "\(run.err)")
        #expect(
            lines.first?.hasPrefix("oceanid-gen check: working tree is up to date (") == true
                && lines.first?.hasSuffix(" files); 8 warnings not shown (--verbose shows them)") == true, "\(run.err)")
    }

    /// A Service selector typo: the caret sits under the mistyped value, not at the start of the
    /// declaration.
    @Test func theCaretSitsUnderTheMistypedSelectorValue() throws {
        var fleet = Fixtures.demo()
        let line = #line + 1
        let typo = Service("typo", selector: ["app.kubernetes.io/name": "wbe"]) { ServicePort("http", 80) }
        for i in fleet.clusters[0].items.indices {
            if case .namespace(var ns) = fleet.clusters[0].items[i], ns.name == "web" {
                ns.items.append(.service(typo))
                fleet.clusters[0].items[i] = .namespace(ns)
            }
        }
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let run = CapturedRun(FleetDefinition(fleet), ["build"], root: dir.path, terminal: true)
        #expect(run.status == 2)
        let lines = run.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.contains(":\(line): error: Service 'typo' selects") })
        let source = lines[header + 1]
        let caret = lines[header + 2]
        let column = try #require(source.range(of: "\"wbe\"")).lowerBound.utf16Offset(in: source) + 1
        #expect(caret.firstIndex(of: "^")?.utf16Offset(in: caret) == column, "\(source)\n\(caret)")
        #expect(caret.hasSuffix("^~~"), "\(caret)")
    }
}
