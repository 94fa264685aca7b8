import Foundation
import TestSupport
import Testing
import Workspace

/// The libgit2 layer on real temporary repositories, cross-checked with the git CLI.
@Suite struct GitRepositoryTests {
    func newRepository() throws -> GitFixture { try GitFixture() }
    func lines(_ output: String) -> [String] { output.split(separator: "\n").map(String.init) }

    @Test func noRepositoryIsNilNotAnError() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        #expect(try GitRepository.discover(from: dir.path) == nil)
    }

    @Test func emptyRepositoryHasAnEmptyHeadAndIndex() throws {
        let dir = try newRepository()
        defer { dir.remove() }
        let repo = try #require(try GitRepository.discover(from: dir.path + "/definitions"))
        #expect(repo.isUnborn)
        #expect(try repo.headEntries().isEmpty)
        #expect(try repo.headBlobID("a.txt") == nil)
        #expect(try repo.indexEntries().isEmpty)
        #expect(repo.relativePath(dir.path + "/definitions") == "definitions")
        #expect(repo.relativePath("/elsewhere") == nil)
    }

    @Test func indexAndHeadMatchTheGitCLI() throws {
        let dir = try newRepository()
        defer { dir.remove() }
        try dir.commit(["a.txt": "one\n", "sub/b.yaml": "two: 2\n"])
        try dir.folder.write("a.txt", "one, edited and staged\n")
        try dir.run("add", "a.txt")
        try dir.folder.write("sub/b.yaml", "unstaged\n")
        let repo = try #require(try GitRepository.discover(from: dir.path))
        func parse(_ output: String, idColumn: Int) -> [String: String] {
            var result: [String: String] = [:]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                let fields = parts[0].split(separator: " ")
                result[String(parts[1])] = String(fields[idColumn])
            }
            return result
        }
        #expect(try repo.indexEntries() == parse(try dir.run("ls-files", "-s"), idColumn: 1))
        #expect(try repo.headEntries() == parse(try dir.run("ls-tree", "-r", "HEAD"), idColumn: 2))
        // One path's id, as `git rev-parse HEAD:<path>` answers; a folder or a missing path is none.
        #expect(
            try repo.headBlobID("sub/b.yaml")
                == (try dir.run("rev-parse", "HEAD:sub/b.yaml")).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try repo.headBlobID("sub") == nil && repo.headBlobID("missing.txt") == nil)
        #expect(try repo.stagedPaths() == lines(try dir.run("diff", "--cached", "--name-only")))
        #expect(try repo.unstagedPaths() == lines(try dir.run("diff", "--name-only")))
        #expect(try repo.stagedPaths() == ["a.txt"])
        #expect(try repo.unstagedPaths() == ["sub/b.yaml"])
        let staged = try #require(try repo.indexEntries()["a.txt"])
        #expect(try repo.blobText(staged) == "one, edited and staged\n")
    }

    @Test func commitsExactlyTheGivenPathsAndKeepsOtherStagedWork() throws {
        let dir = try newRepository()
        defer { dir.remove() }
        try dir.commit(["README.md": "hello\n", "clusters/x.yaml": "x: 1\n"])
        try dir.folder.write("README.md", "hello, staged by a person\n")
        try dir.run("add", "README.md")
        try dir.folder.write("clusters/y.yaml", "y: 2\n")
        try FileManager.default.removeItem(atPath: dir.path + "/clusters/x.yaml")
        let repo = try #require(try GitRepository.discover(from: dir.path))
        let id = try repo.commit(
            written: ["clusters/y.yaml"], deleted: ["clusters/x.yaml"], message: "oceanid-gen: regenerate output\n")
        #expect(try dir.run("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == id)
        #expect(
            try dir.run("show", "--name-status", "--format=%s", "HEAD")
                == "oceanid-gen: regenerate output\n\nD\tclusters/x.yaml\nA\tclusters/y.yaml\n")
        #expect(try dir.run("diff", "--cached", "--name-only") == "README.md\n")
        #expect(try dir.run("status", "--porcelain") == "M  README.md\n")
    }

    @Test func commitsOnAnEmptyRepositoryAndOnADetachedHead() throws {
        let dir = try newRepository()
        defer { dir.remove() }
        try dir.folder.write("clusters/x.yaml", "x: 1\n")
        let repo = try #require(try GitRepository.discover(from: dir.path))
        let first = try repo.commit(written: ["clusters/x.yaml"], deleted: [], message: "first\n")
        #expect(try dir.run("log", "--format=%H %s") == "\(first) first\n")
        try dir.run("checkout", "-q", "--detach", "HEAD")
        let detached = try #require(try GitRepository.discover(from: dir.path))
        #expect(detached.isDetached)
        try dir.folder.write("clusters/x.yaml", "x: 2\n")
        let second = try detached.commit(written: ["clusters/x.yaml"], deleted: [], message: "second\n")
        #expect(try dir.run("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == second)
        #expect(try dir.run("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines) == first)
    }

    @Test func corruptIndexIsAnErrorWithLibgit2sMessage() throws {
        let dir = try newRepository()
        defer { dir.remove() }
        try dir.folder.write(".git/index", "this is not an index")
        let repo = try #require(try GitRepository.discover(from: dir.path))
        #expect(throws: GitError.self) { try repo.indexEntries() }
        do {
            _ = try repo.indexEntries()
        } catch let error as GitError {
            #expect(error.description.hasPrefix("git: opening the index failed: "))
            #expect(!error.message.hasPrefix("libgit2 error"), "libgit2's own message: \(error.message)")
        }
    }
}
