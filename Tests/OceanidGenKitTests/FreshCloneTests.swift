import Foundation
import TestSupport
import Testing

/// The must-show of issue 25: a fresh `git clone` of this repository, with no rebuild, runs
/// the oceanid-gen built here. Its files are all newer than the binary, so a freshness check
/// on file times would refuse it; the check compares content with the digest compiled in.
@Suite struct FreshCloneTests {
    /// The oceanid-gen built with the tests (beside the test runner, or in .build/debug).
    static var binary: String? {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("oceanid-gen").path
        return [beside, Paths.repository + "/.build/debug/oceanid-gen"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs git and requires it to succeed.
    @discardableResult
    func git(_ arguments: [String], in folder: String) throws -> String {
        let result = try runProcess("git", ["-C", folder] + arguments)
        try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.output)")
        return result.output
    }

    /// `git clone` of the repository the tests run in. When its working tree differs from
    /// HEAD (an edit not committed yet, which the binary was built from), the clone gets the
    /// difference as one more commit: it then stands for a clone of that commit.
    func freshClone(into folder: String) throws -> String {
        let clone = folder + "/oceanid"
        try git(["clone", "-q", "--local", "--no-hardlinks", Paths.repository, clone], in: folder)
        let diff = try runProcess("git", ["-C", Paths.repository, "diff", "HEAD", "--binary"])
        try #require(diff.status == 0, "\(diff.output)")
        let untracked = try git(["ls-files", "--others", "--exclude-standard"], in: Paths.repository)
            .split(separator: "\n").map(String.init)
        guard !diff.output.isEmpty || !untracked.isEmpty else { return clone }
        let patch = folder + "/working-tree.patch"
        try Data(diff.output.utf8).write(to: URL(fileURLWithPath: patch))
        if !diff.output.isEmpty { try git(["apply", "--binary", patch], in: clone) }
        for path in untracked {
            let target = URL(fileURLWithPath: clone + "/" + path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(),
                withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Paths.repository + "/" + path, toPath: target.path)
        }
        try git(["add", "-A"], in: clone)
        try git(
            ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "the working tree"],
            in: clone)
        return clone
    }

    @Test func aFreshCloneRunsTheBinaryBuiltHereUntilADefinitionIsEdited() throws {
        let binary = try #require(Self.binary, "build oceanid-gen first (swift build --build-tests, make test)")
        let scratch = try TemporaryFolder("fresh-clone")
        defer { scratch.remove() }
        let clone = try freshClone(into: scratch.path)
        func check() throws -> (status: Int32, output: String) { try runProcess(binary, ["check", "--root", clone]) }

        let fresh = try check()
        #expect(fresh.status == 0, "a fresh clone of the same sources runs: \(fresh.output)")
        #expect(fresh.output.contains("oceanid-gen check: index is up to date"), "\(fresh.output)")
        // The placeholder warnings point at the clone's definitions, not at where it was built.
        #expect(
            fresh.output.contains("\ndefinitions/Edge.swift:") || fresh.output.hasPrefix("definitions/Edge.swift:"),
            "\(fresh.output)")
        #expect(!fresh.output.contains(Paths.repository + "/definitions"), "\(fresh.output)")

        let file = "definitions/Nodes.swift"
        let original = try String(contentsOfFile: clone + "/" + file, encoding: .utf8)
        try (original + "// an edit the binary has not seen\n")
            .write(toFile: clone + "/" + file, atomically: true, encoding: .utf8)
        let edited = try check()
        #expect(edited.status == 4, "\(edited.output)")
        #expect(
            edited.output.contains(
                "error: the definitions differ from the ones compiled into this oceanid-gen "
                    + "(\(file) edited); run `make build` first"), "\(edited.output)")

        try git(["checkout", "--", file], in: clone)
        // Newer than the binary and than everything else: file times do not count.
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(3600)],
            ofItemAtPath: clone + "/" + file)
        let reverted = try check()
        #expect(reverted.status == 0, "the reverted edit runs again: \(reverted.output)")
    }
}
