import Foundation
import TestSupport
import Testing
import Workspace

@testable import SourceDigest

/// The program's identity is the content of its sources: the digest the build tool compiles
/// in and the one oceanid-gen computes of a tree are the same function of paths and bytes,
/// and of nothing else.
@Suite struct SourceDigestTests {
    func definitions(_ files: [String: String]) throws -> TemporaryFolder {
        let dir = try TemporaryFolder("digest")
        for (path, text) in files { try dir.write("definitions/" + path, text) }
        return dir
    }

    @Test func contentOnlyTouchingChangesNothingAndAnyByteDoes() throws {
        let dir = try definitions([
            "Apps.swift": "let apps = 1\n", "More/Nodes.swift": "let nodes = 2\n",
            "README.md": "not compiled\n",
        ])
        defer { dir.remove() }
        let before = SourceDigest.definitions(root: dir.path)
        #expect(before.files.keys.sorted() == ["definitions/Apps.swift", "definitions/More/Nodes.swift"])
        // Touched: new times, a rewrite with the same bytes (another inode), a mode change.
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-86_400)],
            ofItemAtPath: dir.path + "/definitions/Apps.swift")
        try dir.write("definitions/More/Nodes.swift", "let nodes = 2\n")
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600],
            ofItemAtPath: dir.path + "/definitions/Apps.swift")
        try dir.write("definitions/README.md", "edited, still not compiled\n")
        try dir.write("definitions/.#Apps.swift", "an editor's lock file\n")
        #expect(SourceDigest.definitions(root: dir.path) == before)
        #expect(SourceDigest.definitions(root: dir.path).combined == before.combined)

        try dir.write("definitions/Apps.swift", "let apps = 2\n")  // one byte
        let edited = SourceDigest.definitions(root: dir.path)
        #expect(edited.combined != before.combined)
        #expect(edited.changes(since: before) == [.init(path: "definitions/Apps.swift", kind: .edited)])
        try dir.write("definitions/Apps.swift", "let apps = 1\n")  // reverted
        #expect(SourceDigest.definitions(root: dir.path) == before)

        try dir.write("definitions/New.swift", "")
        let added = SourceDigest.definitions(root: dir.path)
        #expect(added.combined != before.combined)
        #expect(added.changes(since: before) == [.init(path: "definitions/New.swift", kind: .added)])
        try FileManager.default.removeItem(atPath: dir.path + "/definitions/New.swift")
        try FileManager.default.removeItem(atPath: dir.path + "/definitions/More/Nodes.swift")
        let removed = SourceDigest.definitions(root: dir.path)
        #expect(removed.combined != before.combined)
        #expect(removed.changes(since: before) == [.init(path: "definitions/More/Nodes.swift", kind: .removed)])
    }

    /// A definitions file that is a symbolic link counts as the bytes it points to, which the
    /// compiler reads: an edit of its target is an edit.
    @Test func aLinkedFileCountsAsItsTargetsBytes() throws {
        let dir = try definitions(["A.swift": "let a = 1\n"])
        defer { dir.remove() }
        try dir.write("shared/B.swift", "let b = 1\n")
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/definitions/B.swift",
            withDestinationPath: dir.path + "/shared/B.swift")
        let before = SourceDigest.definitions(root: dir.path)
        #expect(before.files.keys.sorted() == ["definitions/A.swift", "definitions/B.swift"])
        try dir.write("shared/B.swift", "let b = 2\n")
        #expect(
            SourceDigest.definitions(root: dir.path).changes(since: before)
                == [.init(path: "definitions/B.swift", kind: .edited)])
    }

    /// A file's path counts as well as its bytes: the same bytes moved are another program.
    @Test func aRenameChangesTheDigest() throws {
        let dir = try definitions(["A.swift": "let a = 1\n"])
        defer { dir.remove() }
        let before = SourceDigest.definitions(root: dir.path)
        try FileManager.default.moveItem(
            atPath: dir.path + "/definitions/A.swift",
            toPath: dir.path + "/definitions/B.swift")
        #expect(SourceDigest.definitions(root: dir.path).combined != before.combined)
    }

    /// The compiler digest covers the compiler's sources and the manifest, not its docs.
    @Test func theCompilerDigestCoversItsSourcesAndManifest() throws {
        let dir = try definitions(["A.swift": "let a = 1\n"])
        defer { dir.remove() }
        try dir.write("Sources/Compiler/Pipeline.swift", "// the compiler\n")
        try dir.write("Sources/Compiler/README.md", "# docs\n")
        try dir.write("Package.swift", "// swift-tools-version: 6.1\n")
        let before = SourceDigest.compiler(root: dir.path).combined
        try dir.write("Sources/Compiler/README.md", "# other docs\n")
        #expect(SourceDigest.compiler(root: dir.path).combined == before)
        try dir.write("Sources/Compiler/Pipeline.swift", "// the compiler, edited\n")
        #expect(SourceDigest.compiler(root: dir.path).combined != before)
        try dir.write("Sources/Compiler/Pipeline.swift", "// the compiler\n")
        try dir.write("Package.swift", "// swift-tools-version: 6.2\n")
        #expect(SourceDigest.compiler(root: dir.path).combined != before)
    }

    /// The plain-Swift SHA-256 against FIPS 180-4's examples and `sha256sum` on every length
    /// around the padding boundaries.
    @Test func sha256IsSHA256() throws {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let dir = try TemporaryFolder("sha")
        defer { dir.remove() }
        var generator = SystemRandomNumberGenerator()
        var expected: [String: String] = [:]
        for length in Array(0...130) + [1_000, 65_537] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let name = "f\(length)"
            try Data(bytes).write(to: URL(fileURLWithPath: dir.path + "/" + name))
            var split = SHA256()  // fed in uneven pieces
            var at = 0
            var step = 1
            while at < bytes.count {
                split.update(bytes[at..<min(bytes.count, at + step)])
                at += step
                step = step * 7 % 67 + 1
            }
            let whole = SHA256.hex(of: bytes)
            #expect(split.finalizeHex() == whole, "length \(length)")
            expected[name] = whole
        }
        let sums = try runProcess("sha256sum", expected.keys.sorted(), cwd: dir.path)
        #expect(sums.status == 0, "\(sums.output)")
        for line in sums.output.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(expected[String(parts[1])] == String(parts[0]), "\(line)")
        }
        #expect(sums.output.split(separator: "\n").count == expected.count)
    }
}
