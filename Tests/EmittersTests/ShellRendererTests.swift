import Compiler
import Emitters
import Foundation
import Rendering
import TestSupport
import Testing

/// The shell renderer quotes every value: bash reads each word back exactly, whatever it
/// holds, and shellcheck accepts the scripts.
@Suite struct ShellRendererTests {
    static let hostile = [
        "2.17.1", "2.17.1; touch /tmp/PWNED #", "v2.9.0\ntouch /tmp/PWNED", "$(reboot)", "`id`", "${HOME}", "a'b", "'",
        "\"",
        "back\\slash", "*", "~", "a b", "", "-", "=x", "x=y", "#hash", "!bang", "semi;colon", "amp&", "pipe|", "<in",
        ">out",
        "tab\there", "caf\u{E9}", "\u{1F41F}", "{a,b}", "[ab]", "?",
    ]

    @Test func everyLiteralWordReadsBackExactly() throws {
        let words: [ShellScript.Line] = Self.hostile.map {
            .command([[.literal("printf"), .literal("%s\\0"), .literal($0)]])
        }
        let text = ShellRenderer.render(
            ShellScript(lines: [.command([[.literal("set"), .literal("-euo"), .literal("pipefail")]])] + words))
        let dir = try TemporaryFolder("shell")
        defer { dir.remove() }
        try dir.write("s.sh", text)
        let result = try runProcess("bash", [dir.path + "/s.sh"], cwd: dir.path)
        #expect(result.status == 0, "\(result.output)\n\(text)")
        let read = result.output.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(read == Self.hostile, "\(text)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/PWNED"))
        // SC2016 (info) says "$(reboot)" will not expand in single quotes: that is the point here.
        let lint = try runProcess("shellcheck", ["--severity=style", "--exclude=SC2016", dir.path + "/s.sh"])
        #expect(lint.status == 0, "\(lint.output)")
    }

    @Test func commentsCannotEndEarly() {
        let text = ShellRenderer.render(ShellScript(lines: [.comment("Flux v2.9.0\ntouch /tmp/PWNED")]))
        #expect(text.hasSuffix("# Flux v2.9.0\n# touch /tmp/PWNED\n"))
    }

    @Test func variablesAreIdentifiers() {
        #expect(ShellRenderer.identifier("PULUMI_ACCESS_TOKEN") == "PULUMI_ACCESS_TOKEN")
        #expect(ShellRenderer.identifier("1pulumi-token") == "_1PULUMI_TOKEN")
        #expect(
            ShellRenderer.word(.required("TOKEN", message: "set $TOKEN `now` } \"x\""))
                == #""${TOKEN:?set \$TOKEN \`now\` \} \"x\"}""#)
        #expect(
            ShellRenderer.word(.joined([.literal("--from-literal=K="), .variable("K")])) == #"--from-literal=K="${K}""#)
    }
}
