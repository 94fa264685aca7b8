import Foundation
import Testing
import TestSupport
import Workspace

/// The libgit2 layer on real temporary repositories, cross-checked with the git CLI.
@Suite struct GitRepositoryTests {
    func git(_ dir: TemporaryFolder, _ args: String...) throws -> String {
        let result = try runProcess("git", ["-C", dir.path] + args)
        #expect(result.status == 0, "git \(args.joined(separator: " ")): \(result.output)")
        return result.output
    }

    func newRepository() throws -> TemporaryFolder {
        let dir = try TemporaryFolder("oceanid-git")
        _ = try git(dir, "init", "-q", "-b", "main")
        _ = try git(dir, "config", "user.name", "Test")
        _ = try git(dir, "config", "user.email", "test@example.com")
        return dir
    }

    @Test func noRepositoryIsNilNotAnError() throws {
        let dir = try TemporaryFolder(); defer { dir.remove() }
        #expect(try GitRepository.discover(from: dir.path) == nil)
    }

    @Test func emptyRepositoryHasAnEmptyHeadAndIndex() throws {
        let dir = try newRepository(); defer { dir.remove() }
        let repo = try #require(try GitRepository.discover(from: dir.path + "/definitions"))
        #expect(repo.isUnborn)
        #expect(try repo.headEntries().isEmpty)
        #expect(try repo.indexEntries().isEmpty)
        #expect(repo.relativePath(dir.path + "/definitions") == "definitions")
        #expect(repo.relativePath("/elsewhere") == nil)
    }

    @Test func indexAndHeadMatchTheGitCLI() throws {
        let dir = try newRepository(); defer { dir.remove() }
        try dir.write("a.txt", "one\n")
        try dir.write("sub/b.yaml", "two: 2\n")
        _ = try git(dir, "add", ".")
        _ = try git(dir, "commit", "-q", "-m", "first")
        try dir.write("a.txt", "one, edited and staged\n")
        _ = try git(dir, "add", "a.txt")
        try dir.write("sub/b.yaml", "unstaged\n")
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
        #expect(try repo.indexEntries() == parse(try git(dir, "ls-files", "-s"), idColumn: 1))
        #expect(try repo.headEntries() == parse(try git(dir, "ls-tree", "-r", "HEAD"), idColumn: 2))
        let staged = try #require(try repo.indexEntries()["a.txt"])
        #expect(try repo.blobText(staged) == "one, edited and staged\n")
    }

    @Test func commitsExactlyTheGivenPathsAndKeepsOtherStagedWork() throws {
        let dir = try newRepository(); defer { dir.remove() }
        try dir.write("README.md", "hello\n")
        try dir.write("clusters/x.yaml", "x: 1\n")
        _ = try git(dir, "add", ".")
        _ = try git(dir, "commit", "-q", "-m", "first")
        try dir.write("README.md", "hello, staged by a person\n")
        _ = try git(dir, "add", "README.md")
        try dir.write("clusters/y.yaml", "y: 2\n")
        try FileManager.default.removeItem(atPath: dir.path + "/clusters/x.yaml")
        let repo = try #require(try GitRepository.discover(from: dir.path))
        let id = try repo.commit(written: ["clusters/y.yaml"], deleted: ["clusters/x.yaml"], message: "oceanid-gen: regenerate output\n")
        #expect(try git(dir, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == id)
        #expect(try git(dir, "show", "--name-status", "--format=%s", "HEAD")
                == "oceanid-gen: regenerate output\n\nD\tclusters/x.yaml\nA\tclusters/y.yaml\n")
        #expect(try git(dir, "diff", "--cached", "--name-only") == "README.md\n")
        #expect(try git(dir, "status", "--porcelain") == "M  README.md\n")
    }

    @Test func commitsOnAnEmptyRepositoryAndOnADetachedHead() throws {
        let dir = try newRepository(); defer { dir.remove() }
        try dir.write("clusters/x.yaml", "x: 1\n")
        let repo = try #require(try GitRepository.discover(from: dir.path))
        let first = try repo.commit(written: ["clusters/x.yaml"], deleted: [], message: "first\n")
        #expect(try git(dir, "log", "--format=%H %s") == "\(first) first\n")
        _ = try git(dir, "checkout", "-q", "--detach", "HEAD")
        let detached = try #require(try GitRepository.discover(from: dir.path))
        #expect(detached.isDetached)
        try dir.write("clusters/x.yaml", "x: 2\n")
        let second = try detached.commit(written: ["clusters/x.yaml"], deleted: [], message: "second\n")
        #expect(try git(dir, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == second)
        #expect(try git(dir, "rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines) == first)
    }

    @Test func corruptIndexIsAnErrorWithLibgit2sMessage() throws {
        let dir = try newRepository(); defer { dir.remove() }
        try dir.write(".git/index", "this is not an index")
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
