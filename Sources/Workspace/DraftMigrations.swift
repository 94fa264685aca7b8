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
    /// and append-only). A source that is HEAD itself has none.
    ///
    /// `renumbering`: committed migrations to move after the ones another branch committed
    /// with the same versions (two branches that each added V0004, merged): they are handled as
    /// drafts, and their databases' history and lock are read from the side of the merge that
    /// lacks them (the first of HEAD, MERGE_HEAD, HEAD^1, HEAD^2 without the file but with
    /// another migration of its version), so the next build writes their change again as the
    /// next free version and the kept side's checksums and order stay as locked.
    /// Throws `GitError` when the repository cannot be read, `WorkspaceError.renumber` when a
    /// path is not an owned migration or no side of a merge lacks it.
    public static func find(root: String, source: TreeSource, renumbering: [String] = []) throws -> DraftMigrations {
        guard source.name != "HEAD",
            let text = source.read(OwnedManifest.path),
            let manifest = try? OwnedManifest.parse(text),
            !manifest.appendOnly.isEmpty,
            let repository = try GitRepository.discover(from: root),
            let prefix = repository.relativePath(root)
        else {
            if let path = renumbering.first {
                throw WorkspaceError.renumber(path: path, reason: "needs a git repository and an owned migration")
            }
            return .none
        }
        let inRepository = { (path: String) in prefix.isEmpty ? path : prefix + "/" + path }
        var revisions: [String: String] = [:]  // database folder → the revision its history is read at
        for path in renumbering {
            guard manifest.appendOnly.contains(path), let name = path.split(separator: "/").last,
                let underscore = name.firstIndex(of: "_")
            else {
                throw WorkspaceError.renumber(path: path, reason: "is not a migration oceanid-gen wrote")
            }
            let version = String(name[..<underscore]) + "__"
            let folder = String(path.dropLast(name.count))
            let siblings = manifest.appendOnly.filter { $0 != path && $0.hasPrefix(folder + version) }
            let side = ["HEAD", "MERGE_HEAD", "HEAD^1", "HEAD^2"].first { revision in
                repository.blobID(inRepository(path), at: revision) == nil
                    && siblings.contains { repository.blobID(inRepository($0), at: revision) != nil }
            }
            guard let side else {
                throw WorkspaceError.renumber(
                    path: path,
                    reason: "no side of a merge (HEAD, MERGE_HEAD, HEAD^1, HEAD^2) has another \(version) without it")
            }
            revisions[databaseFolder(path)] = side
        }
        // A migration the branch being merged in committed is history too: someone may have
        // applied it (git-merge(1): MERGE_HEAD names that commit while the merge is open).
        let drafts = try manifest.appendOnly.filter {
            try repository.headBlobID(inRepository($0)) == nil
                && repository.blobID(inRepository($0), at: "MERGE_HEAD") == nil
        }.union(renumbering).sorted()
        guard !drafts.isEmpty else { return .none }
        let folders = Set(drafts.map(databaseFolder))
        var committed: [String: String?] = [:]
        for path in manifest.entries.keys where !drafts.contains(path) && folders.contains(databaseFolder(path)) {
            committed[path] = repository.blobID(inRepository(path), at: revisions[databaseFolder(path)] ?? "HEAD")
        }
        // A later migration of a renumbered database that the kept side lacks would be left
        // behind its own predecessor: it must be renumbered too.
        for path in manifest.appendOnly where revisions[databaseFolder(path)] != nil && !drafts.contains(path) {
            if committed[path] == .some(nil) {
                throw WorkspaceError.renumber(
                    path: path, reason: "comes from the same side as the renumbered migrations: renumber it too")
            }
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
