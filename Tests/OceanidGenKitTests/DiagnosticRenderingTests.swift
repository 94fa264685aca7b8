import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// Diagnostics in a terminal show the source line and a caret; anywhere else they stay the
/// one-line `path:line: severity: message [code]` scripts and editors parse.
@Suite struct DiagnosticRenderingTests {
    static let settings = "# overrides\ncloudflareNodeTunnelMetricsPort: \"nope\"  # a port\n"

    @Test func aTerminalGetsTheLineACaretUnderTheValueNotesAndACount() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", Self.settings)
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        #expect(run.status == 2)
        let expected = """
            settings.yaml:2: error: malformed override of setting 'cloudflareNodeTunnelMetricsPort': expected an integer [invalid-setting]
                2 | cloudflareNodeTunnelMetricsPort: "nope"  # a port
                  |                                  ^~~~~~

            """
        // Diagnostics are sorted by absolute path: where the settings.yaml block falls among the
        // definitions' warnings depends on where the repository and the temp folder are.
        #expect(run.err.hasPrefix(expected) || run.err.contains("\n" + expected), "\(run.err)")
        // The note at the declaration, with its own line.
        #expect(run.err.contains(": note: setting declared here\n   "))
        // A warning about a setting puts the caret under the setting's name in the definitions.
        let lines = run.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let warning = try #require(
            lines.firstIndex { $0.contains("warning: setting 'cloudflareAccountId' is the all-zero placeholder") })
        let source = lines[warning + 1]
        let caret = lines[warning + 2]
        let column = try #require(source.range(of: "cloudflareAccountId")).lowerBound.utf16Offset(in: source)
        #expect(caret.firstIndex(of: "^")?.utf16Offset(in: caret) == column, "\(source)\n\(caret)")
        #expect(caret.hasSuffix("^" + String(repeating: "~", count: "cloudflareAccountId".count - 1)))
        // The five placeholders and the three invented defaults.
        #expect(lines.last(where: { !$0.isEmpty }) == "1 error, 8 warnings")
        #expect(!run.err.contains("\u{1B}["), "no color when not asked")
    }

    @Test func notATerminalKeepsTheOneLineForm() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", Self.settings)
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "settings.yaml:2: error: malformed override of setting 'cloudflareNodeTunnelMetricsPort': expected an integer [invalid-setting]"
            ))
        #expect(
            lines.allSatisfy { $0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ") },
            "\(run.err)")
        #expect(!run.err.contains(" | ") && !run.err.contains("1 error"))
    }

    /// The real binary under a pseudo-terminal (script(1)) prints the caret form in color;
    /// through a pipe, the plain form.
    @Test func theBinaryInAPseudoTerminal() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "oceanid-gen"
        ).path
        let built =
            FileManager.default.isExecutableFile(atPath: binary)
            ? binary : Paths.repository + "/.build/debug/oceanid-gen"
        try #require(FileManager.default.isExecutableFile(atPath: built), "build oceanid-gen first (make test does)")
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", Self.settings)
        // The binary runs only on the definitions compiled into it.
        try FileManager.default.removeItem(atPath: dir.path + "/definitions")
        try FileManager.default.copyItem(atPath: Paths.repository + "/definitions", toPath: dir.path + "/definitions")
        let command = "'\(built)' build --root '\(dir.path)' --color always"
        let terminal = try runProcess("script", ["-qec", command, "/dev/null"])
        #expect(terminal.status == 2, "\(terminal.output)")
        #expect(terminal.output.contains("\u{1B}[1;31merror:\u{1B}[0m"), "red errors in a terminal")
        #expect(
            terminal.output.contains("\u{1B}[2m    2 |\u{1B}[0m cloudflareNodeTunnelMetricsPort: \"nope\""),
            "the source line in a gutter")
        #expect(
            terminal.output.contains("\u{1B}[1;32m^~~~~~\u{1B}[0m"), "a green caret under \"nope\": \(terminal.output)")
        #expect(terminal.output.contains("1 error, 8 warnings"))
        let piped = try runProcess(built, ["build", "--root", dir.path])
        #expect(piped.status == 2)
        #expect(
            piped.output.split(separator: "\n").contains { $0.hasPrefix("settings.yaml:2: error: malformed override") },
            "\(piped.output)")
        #expect(!piped.output.contains("\u{1B}[") && !piped.output.contains(" | "))
    }
}
