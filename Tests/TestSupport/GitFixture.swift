import DSL
import Foundation
import OceanidGenKit
import Testing

/// A temporary git repository driven by the git CLI, to cross-check the libgit2 layer.
public struct GitFixture: Sendable {
    public let folder: TemporaryFolder
    public var path: String { folder.path }

    /// `git init` on branch main with a committer identity configured.
    public init() throws {
        folder = try TemporaryFolder("oceanid-git")
        try run("init", "-q", "-b", "main")
        try run("config", "user.name", "Test")
        try run("config", "user.email", "test@example.com")
    }

    /// Runs git in the repository; records an issue when it fails.
    @discardableResult
    public func run(_ args: String..., sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let result = try runProcess("git", ["-C", folder.path] + args)
        #expect(
            result.status == 0, "git \(args.joined(separator: " ")): \(result.output)", sourceLocation: sourceLocation)
        return result.output
    }

    /// Writes the files, then stages and commits everything.
    public func commit(
        _ files: [String: String], message: String = "commit",
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) { try folder.write(path, text) }
        try run("add", "-A", sourceLocation: sourceLocation)
        try run("commit", "-q", "-m", message, sourceLocation: sourceLocation)
    }

    /// A fleet repository to plan in, the one `plan`'s tests share: `definitions/README.md` (what makes
    /// the folder a fleet root), `definition` built and committed on main (`build --commit`, the base),
    /// then a new branch `branch` checked out (nil: stays on main). Records an issue at the caller, with
    /// what the build printed, when the build fails.
    public init(
        fleet definition: FleetDefinition, branch: String? = "feature",
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        try self.init()
        try folder.write("definitions/README.md", "the fleet\n")
        let built = CapturedRun(definition, ["build", "--commit"], root: path)
        #expect(built.status == 0, "\(built.out)\(built.err)", sourceLocation: sourceLocation)
        if let branch { try run("checkout", "-q", "-b", branch, sourceLocation: sourceLocation) }
    }

    public func remove() { folder.remove() }
}
