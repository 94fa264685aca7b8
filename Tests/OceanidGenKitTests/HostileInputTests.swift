import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// What a break-it review found: edits that look equal but are not, files with Windows line
/// endings, values with control characters, leftovers that kept the no-op shortcut off.
@Suite struct HostileInputTests {
    let demo = FleetDefinition(Fixtures.demo())

    /// Swift's String == is canonical equivalence: the Kelvin sign equals K, a decomposed é
    /// the composed one. Files are compared as bytes.
    @Test func aLookAlikeEditIsAnEdit() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        let path = "clusters/lab/frontend/kustomization.yaml"
        let original = try #require(dir.read(path))
        try dir.write(
            path, original.replacingOccurrences(of: "kind: Kustomization", with: "kind: \u{212A}ustomization"))
        #expect(dir.read(path) != nil && Array(dir.read(path)!.utf8) != Array(original.utf8))
        let check = CapturedRun(demo, ["check", "--against", "worktree"], root: dir.path)
        #expect(check.status == 1 && check.out.contains("\(path): hand-edited"), "\(check.out)")
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        #expect(Array(try #require(dir.read(path)).utf8) == Array(original.utf8), "rewritten")
    }

    /// Reading repairs invalid UTF-8 to U+FFFD: an invalid byte put where the generated text
    /// has U+FFFD must still be an edit.
    @Test func anInvalidByteIsAnEditEvenWhereTheTextHasTheReplacementCharacter() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", "aws.labelStudio.exportTitle: \"S3 \\uFFFD export\"\n")
        #expect(CapturedRun(Oceanid.definition, ["build"], root: dir.path).status == 0)
        let path = dir.path + "/cloud/desired-state.json"
        let original = try #require(FileManager.default.contents(atPath: path))
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        var bytes = [UInt8](original)
        let at = try #require(
            (0..<(bytes.count - 2)).first { Array(bytes[$0..<($0 + 3)]) == replacement }, "the title is in the state")
        bytes.replaceSubrange(at..<(at + 3), with: [0xFF])
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let check = CapturedRun(Oceanid.definition, ["check", "--against", "worktree"], root: dir.path)
        #expect(check.status == 1 && check.out.contains("cloud/desired-state.json: hand-edited"), "\(check.out)")
        #expect(CapturedRun(Oceanid.definition, ["build"], root: dir.path).status == 0)
        #expect(FileManager.default.contents(atPath: path) == original, "rewritten")
    }

    /// libyaml counts NEL, LS and PS as line breaks; excerpts and line numbers agree with it.
    @Test func unicodeLineBreaksCountAsLines() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", "# note\u{2028}more\ntritonImage: triton\n")
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        // "more" is a line of its own for libyaml, which then refuses line 3: the excerpt
        // shows that same line.
        #expect(
            run.err.contains("settings.yaml:3: error: settings.yaml is not valid YAML")
                && run.err.contains("    3 | tritonImage: triton\n"),
            "\(run.err)")
    }

    /// Bidirectional overrides in a value are shown, not obeyed (CVE-2021-42574).
    @Test func bidiControlsAreShown() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", "tritonImage: \"abc\u{202E}def\"\n")
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(run.status == 2 && run.err.contains("abc\\u{202E}def") && !run.err.contains("\u{202E}"), "\(run.err)")
    }

    @Test func windowsLineEndingsInSettings() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", "# overrides\r\ntritonImage: a:1\r\ntritonImage: b:2\r\n")
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        #expect(run.status == 2)
        #expect(
            run.err.contains(
                "settings.yaml:3: error: setting 'tritonImage' is given twice in settings.yaml [duplicate-setting]\n    3 | tritonImage: b:2\n"
            ),
            "one line per line, no carriage return: \(run.err)")
        #expect(!run.err.contains("\r"))
    }

    /// A value with a line break or an escape sequence stays on one printed line, shown, not
    /// obeyed; in a terminal the caret is under the value, not the same text in the key.
    @Test func controlCharactersAreShownNotPrinted() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", "tritonImage: \"a\\nb\\e[31mRED\"\n")
        let piped = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(piped.status == 2)
        #expect(!piped.err.contains("\u{1B}") && piped.err.contains("'a\\nb\\u{1B}[31mRED'"), "\(piped.err)")
        for line in piped.err.split(separator: "\n") {
            #expect(
                line.contains(": error: ") || line.contains(": warning: ") || line.contains(": note: ")
                    || line.hasPrefix("    note: "),
                "every line is a diagnostic or a note: \(line)")
        }
        try dir.write("settings.yaml", "tritonImage: triton\n")
        let terminal = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        #expect(terminal.err.contains("    1 | tritonImage: triton\n      |              ^~~~~~\n"), "\(terminal.err)")
        // An unknown key is the key's fault, even when the value spells it too.
        try dir.write("settings.yaml", "zz: zz\n")
        let unknown = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        #expect(unknown.err.contains("    1 | zz: zz\n      | ^~\n"), "\(unknown.err)")
    }

    /// A temp file an interrupted build left beside the manifest is removed; a binary file
    /// under an output root is known by its real blob id. Neither keeps the shortcut off.
    @Test func leftoversAndBinaryFilesDoNotDisableTheShortcut() throws {
        let git = try GitFixture()
        defer { git.remove() }
        try git.folder.write("definitions/README.md", "the fleet\n")
        let program = "feedface"
        #expect(CapturedRun(demo, ["build"], root: git.path, programID: program).status == 0)
        let leftover = git.path + "/.oceanid-gen/.manifest.2147483646.oceanid-tmp"  // no such process
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data("half".utf8)))
        #expect(
            FileManager.default.createFile(
                atPath: git.path + "/docs/picture.png", contents: Data([0x89, 0x50, 0xFF, 0xFE, 0x00, 0xC3])))
        #expect(CapturedRun(demo, ["build"], root: git.path, programID: program).status == 0)
        #expect(!FileManager.default.fileExists(atPath: leftover), "the dead build's temp file is gone")
        Thread.sleep(forTimeInterval: 0.02)
        #expect(CapturedRun(demo, ["build"], root: git.path, programID: program).status == 0)
        try git.run("add", "-A")
        let broken = FleetDefinition(Fleet("broken") { Cluster("lab") { Namespace("Not_A_Name") } })
        #expect(CapturedRun(broken, ["build"], root: git.path, programID: program).status == 0, "worktree: shortcut")
        #expect(
            CapturedRun(broken, ["check", "--against", "index"], root: git.path, programID: program).status == 0,
            "index: the png's id is its bytes' id")
    }
}
