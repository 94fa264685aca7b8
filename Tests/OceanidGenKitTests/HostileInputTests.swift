import DSL
import Fleet
import Foundation
import OceanidGenKit
import Testing
import TestSupport

/// What a break-it review found: edits that look equal but are not, files with Windows line
/// endings, values with control characters, leftovers that kept the no-op shortcut off.
@Suite struct HostileInputTests {
    let demo = FleetDefinition(Fixtures.demo())

    /// Swift's String == is canonical equivalence: the Kelvin sign equals K, a decomposed é
    /// the composed one. Files are compared as bytes.
    @Test func aLookAlikeEditIsAnEdit() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        let path = "clusters/lab/frontend/kustomization.yaml"
        let original = try #require(dir.read(path))
        try dir.write(path, original.replacingOccurrences(of: "kind: Kustomization", with: "kind: \u{212A}ustomization"))
        #expect(dir.read(path) != nil && Array(dir.read(path)!.utf8) != Array(original.utf8))
        let check = CapturedRun(demo, ["check", "--against", "worktree"], root: dir.path)
        #expect(check.status == 1 && check.out.contains("\(path): hand-edited"), "\(check.out)")
        #expect(CapturedRun(demo, ["build"], root: dir.path).status == 0)
        #expect(Array(try #require(dir.read(path)).utf8) == Array(original.utf8), "rewritten")
    }

    @Test func windowsLineEndingsInSettings() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", "# overrides\r\ntritonImage: a:1\r\ntritonImage: b:2\r\n")
        let run = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        #expect(run.status == 2)
        #expect(run.err.contains("settings.yaml:3: error: setting 'tritonImage' is given twice in settings.yaml [duplicate-setting]\n    3 | tritonImage: b:2\n"),
                "one line per line, no carriage return: \(run.err)")
        #expect(!run.err.contains("\r"))
    }

    /// A value with a line break or an escape sequence stays on one printed line, shown, not
    /// obeyed; in a terminal the caret is under the value, not the same text in the key.
    @Test func controlCharactersAreShownNotPrinted() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        try dir.write("settings.yaml", "tritonImage: \"a\\nb\\e[31mRED\"\n")
        let piped = CapturedRun(Oceanid.definition, ["build"], root: dir.path)
        #expect(piped.status == 2)
        #expect(!piped.err.contains("\u{1B}") && piped.err.contains("'a\\nb\\u{1B}[31mRED'"), "\(piped.err)")
        for line in piped.err.split(separator: "\n") {
            #expect(line.contains(": error: ") || line.contains(": warning: ") || line.contains(": note: ") || line.hasPrefix("    note: "),
                    "every line is a diagnostic or a note: \(line)")
        }
        try dir.write("settings.yaml", "tritonImage: triton\n")
        let terminal = CapturedRun(Oceanid.definition, ["build"], root: dir.path, terminal: true)
        #expect(terminal.err.contains("    1 | tritonImage: triton\n      |              ^~~~~~\n"), "\(terminal.err)")
    }

    /// A temp file an interrupted build left beside the manifest is removed; a binary file
    /// under an output root is known by its real blob id. Neither keeps the shortcut off.
    @Test func leftoversAndBinaryFilesDoNotDisableTheShortcut() throws {
        let git = try GitFixture(); defer { git.remove() }
        try git.folder.write("definitions/README.md", "the fleet\n")
        let program = "feedface"
        #expect(CapturedRun(demo, ["build"], root: git.path, programID: program).status == 0)
        let leftover = git.path + "/.oceanid-gen/.manifest.2147483646.oceanid-tmp"  // no such process
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data("half".utf8)))
        #expect(FileManager.default.createFile(atPath: git.path + "/docs/picture.png", contents: Data([0x89, 0x50, 0xFF, 0xFE, 0x00, 0xC3])))
        #expect(CapturedRun(demo, ["build"], root: git.path, programID: program).status == 0)
        #expect(!FileManager.default.fileExists(atPath: leftover), "the dead build's temp file is gone")
        Thread.sleep(forTimeInterval: 0.02)
        #expect(CapturedRun(demo, ["build"], root: git.path, programID: program).status == 0)
        try git.run("add", "-A")
        let broken = FleetDefinition(Fleet("broken") { Cluster("lab") { Namespace("Not_A_Name") } })
        #expect(CapturedRun(broken, ["build"], root: git.path, programID: program).status == 0, "worktree: shortcut")
        #expect(CapturedRun(broken, ["check", "--against", "index"], root: git.path, programID: program).status == 0,
                "index: the png's id is its bytes' id")
    }
}
