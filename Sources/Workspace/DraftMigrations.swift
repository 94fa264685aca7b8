import Compiler

/// The developer's drafts: append-only files (migrations) oceanid-gen wrote that no commit holds
/// yet (neither HEAD nor, during a merge, MERGE_HEAD). Nobody can have applied a migration that was never committed, so while the schema
/// changes a build rewrites the draft instead of stacking another version on it: however many
/// builds an uncommitted change takes, it leaves one new migration.
///
/// The compiler therefore reads a database's history as HEAD has it whenever that database has
/// a draft: the drafts are hidden, and every other file oceanid-gen owns in the database's
/// folder (`sql/<db>/`, the schema lock among them) is read from HEAD, so the lock's checksums
/// and order are verified against the committed migrations only. Files oceanid-gen does not
/// own, and databases without a draft, are read from the tree as before. Outside a git
/// repository nothing is a draft (nothing says what was committed).
///
/// HEAD is libgit2's view (`GitRepository.headBlobID`), the same the `--commit` path uses; an
/// unborn HEAD holds nothing, so every owned append-only file is a draft.
public struct DraftMigrations: Sendable {
    /// The drafts, root-relative, sorted.
    public let paths: [String]
    /// Owned files in a draft's database folder, other than drafts: path → HEAD's blob id
    /// (nil when HEAD has no such file). The compiler reads these from HEAD.
    let committed: [String: String?]
    let repository: GitRepository?

    /// No drafts: every input is read from the tree.
    public static let none = DraftMigrations(paths: [], committed: [:], repository: nil)

    /// The drafts of the tree at `root` as `source` shows it (its manifest says what is owned
    /// and append-only). A source that is HEAD itself has none. Throws `GitError` when the
    /// repository cannot be read.
    public static func find(root: String, source: TreeSource) throws -> DraftMigrations {
        guard source.name != "HEAD",
            let text = source.read(OwnedManifest.path),
            let manifest = try? OwnedManifest.parse(text),
            !manifest.appendOnly.isEmpty,
            let repository = try GitRepository.discover(from: root),
            let prefix = repository.relativePath(root)
        else { return .none }
        let inRepository = { (path: String) in prefix.isEmpty ? path : prefix + "/" + path }
        // A migration the branch being merged in committed is history too: someone may have
        // applied it (git-merge(1): MERGE_HEAD names that commit while the merge is open).
        let drafts = try manifest.appendOnly.filter {
            try repository.headBlobID(inRepository($0)) == nil
                && repository.blobID(inRepository($0), at: "MERGE_HEAD") == nil
        }.sorted()
        guard !drafts.isEmpty else { return .none }
        let folders = Set(drafts.map(databaseFolder))
        var committed: [String: String?] = [:]
        for path in manifest.entries.keys where !drafts.contains(path) && folders.contains(databaseFolder(path)) {
            committed[path] = try repository.headBlobID(inRepository(path))
        }
        return DraftMigrations(paths: drafts, committed: committed, repository: repository)
    }

    /// `sql/<db>` for `sql/<db>/migrations/V0002__x.sql`: the first two path components.
    static func databaseFolder(_ path: String) -> String {
        path.split(separator: "/", maxSplits: 2).prefix(2).joined(separator: "/")
    }

    /// What the compiler reads: `base` with the drafts hidden and the owned files of their
    /// databases' folders as HEAD has them. `base` itself when there is no draft.
    public func inputs(over base: InputTree) -> InputTree {
        paths.isEmpty ? base : DraftHidingInputs(base: base, drafts: self)
    }
}

/// `DraftMigrations.inputs(over:)`: the committed history of the databases with drafts.
struct DraftHidingInputs: InputTree, @unchecked Sendable {
    let base: InputTree
    let drafts: DraftMigrations

    func read(_ path: String) -> String? {
        if drafts.paths.contains(path) { return nil }
        if let id = drafts.committed[path] { return id.flatMap { try? drafts.repository?.blobText($0) } }
        return base.read(path)
    }

    func files(under folders: [String]) -> [String] {
        let inHead = drafts.committed.compactMap { path, id in
            id != nil && folders.contains(where: { path.hasPrefix($0 + "/") }) ? path : nil
        }
        let listed = base.files(under: folders).filter { !drafts.paths.contains($0) && drafts.committed[$0] == nil }
        return Set(listed + inHead).sorted()
    }
}
