import CGit2
import Foundation

/// A git repository opened through libgit2: its index, its HEAD tree, blob contents, and
/// commits of exactly the generated paths. Owns the handle and frees it on deinit.
public final class GitRepository: @unchecked Sendable {
    let handle: OpaquePointer
    /// The working tree's root, without a trailing slash.
    public let workdir: String

    private init(handle: OpaquePointer, workdir: String) {
        self.handle = handle
        self.workdir = workdir
    }

    deinit { git_repository_free(handle) }

    /// The repository containing `path`, or nil when there is none (not an error: the
    /// tool also runs outside git). Bare repositories are refused: there is no tree to compare.
    public static func discover(from path: String) throws -> GitRepository? {
        _ = BlobID.libgit2
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let found = git_repository_discover(&buffer, path, 0, nil)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(found, "discovering a repository above \(path)")
        var repo: OpaquePointer?
        try GitError.check(git_repository_open(&repo, buffer.ptr), "opening the repository")
        guard let repo else { throw GitError(operation: "opening the repository", code: -1, message: "no handle") }
        guard let dir = git_repository_workdir(repo) else {
            git_repository_free(repo)
            throw GitError(
                operation: "opening the repository", code: -1, message: "a bare repository has no working tree")
        }
        var workdir = String(cString: dir)
        while workdir.count > 1 && workdir.hasSuffix("/") { workdir.removeLast() }
        return GitRepository(handle: repo, workdir: workdir)
    }

    /// The repository's git directory (`.git`, or `.git/worktrees/<name>` for a linked
    /// work tree), without a trailing slash: where per-checkout data such as the stat cache lives.
    public var gitDirectory: String {
        var path = String(cString: git_repository_path(handle))
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// HEAD points at a branch with no commit yet (a new repository).
    public var isUnborn: Bool { git_repository_head_unborn(handle) == 1 }
    /// HEAD points at a commit directly rather than at a branch.
    public var isDetached: Bool { git_repository_head_detached(handle) == 1 }

    /// The path of `absolute` relative to the working tree, or nil when it lies outside it.
    public func relativePath(_ absolute: String) -> String? {
        let path = URL(fileURLWithPath: absolute).standardizedFileURL.path
        if path == workdir { return "" }
        guard path.hasPrefix(workdir + "/") else { return nil }
        return String(path.dropFirst(workdir.count + 1))
    }

    // MARK: Reading

    /// Stage-0 entries of the index: path → blob id.
    public func indexEntries() throws -> [String: String] {
        let index = try openIndex()
        defer { git_index_free(index) }
        var entries: [String: String] = [:]
        let count = git_index_entrycount(index)
        for i in 0..<count {
            guard let entry = git_index_get_byindex(index, i) else { continue }
            let stage = (Int32(entry.pointee.flags) & 0x3000) >> 12
            guard stage == 0, let path = entry.pointee.path else { continue }
            entries[String(cString: path)] = BlobID.hex(entry.pointee.id)
        }
        return entries
    }

    /// The blob id of one path (repository-relative) in a revision's tree: `MERGE_HEAD` or
    /// any name git's revision syntax takes (gitrevisions(7)); nil when the revision does not
    /// exist (no merge in progress) or has no blob there.
    public func blobID(_ path: String, at revision: String) -> String? {
        var tree: OpaquePointer?
        guard git_revparse_single(&tree, handle, revision + "^{tree}") == 0 else { return nil }
        defer { git_object_free(tree) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, path) == 0, let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return git_tree_entry_type(entry) == GIT_OBJECT_BLOB ? BlobID.hex(git_tree_entry_id(entry).pointee) : nil
    }

    /// Paths the index holds in conflict (entries at stages 1–3, left by a merge, rebase or
    /// cherry-pick that stopped), repository-relative, sorted; empty without any.
    public func conflictedPaths() throws -> [String] {
        let index = try openIndex()
        defer { git_index_free(index) }
        guard git_index_has_conflicts(index) != 0 else { return [] }
        var paths: Set<String> = []
        for i in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, i), let path = entry.pointee.path else { continue }
            if (Int32(entry.pointee.flags) & 0x3000) >> 12 != 0 { paths.insert(String(cString: path)) }
        }
        return paths.sorted()
    }

    /// Marks conflicted paths resolved with what the working tree now holds, as `git add` (or
    /// `git rm` for a path gone from disk) would: the stage-0 entry replaces stages 1–3.
    /// Paths are repository-relative; the index is written once.
    public func resolveConflicts(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        let index = try openIndex()
        defer { git_index_free(index) }
        for path in paths.sorted() {
            if FileManager.default.fileExists(atPath: workdir + "/" + path) {
                try GitError.check(git_index_add_bypath(index, path), "staging \(path)")
            } else {
                try GitError.check(git_index_conflict_remove(index, path), "resolving \(path)")
                let code = git_index_remove_bypath(index, path)
                if code != GIT_ENOTFOUND.rawValue { try GitError.check(code, "unstaging \(path)") }
            }
        }
        try GitError.check(git_index_write(index), "writing the index")
    }

    /// The blob id of one path in HEAD's tree (repository-relative), nil when HEAD has no
    /// blob there or no commit yet; one tree lookup, not a walk of the whole tree.
    public func headBlobID(_ path: String) throws -> String? {
        guard !isUnborn else { return nil }
        var tree: OpaquePointer?
        try GitError.check(git_revparse_single(&tree, handle, "HEAD^{tree}"), "reading HEAD's tree")
        defer { git_object_free(tree) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, path) == 0, let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return git_tree_entry_type(entry) == GIT_OBJECT_BLOB ? BlobID.hex(git_tree_entry_id(entry).pointee) : nil
    }

    /// Every blob of HEAD's tree: path → blob id; empty for an unborn HEAD.
    public func headEntries() throws -> [String: String] {
        guard !isUnborn else { return [:] }
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, handle, "HEAD^{tree}"), "reading HEAD's tree")
        defer { git_object_free(object) }
        final class Collector { var entries: [String: String] = [:] }
        let collector = Collector()
        let walk: git_treewalk_cb = { root, entry, payload in
            guard let entry, let payload, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(payload).takeUnretainedValue()
            let name = String(cString: git_tree_entry_name(entry))
            let prefix = root.map { String(cString: $0) } ?? ""
            collector.entries[prefix + name] = BlobID.hex(git_tree_entry_id(entry).pointee)
            return 0
        }
        try withExtendedLifetime(collector) {
            try GitError.check(
                git_tree_walk(object, GIT_TREEWALK_PRE, walk, Unmanaged.passUnretained(collector).toOpaque()),
                "walking HEAD's tree")
        }
        return collector.entries
    }

    /// Paths whose staged content differs from HEAD (added, modified or removed), sorted.
    public func stagedPaths() throws -> [String] {
        let head = try headEntries()
        let index = try indexEntries()
        return Set(head.keys).union(index.keys).filter { head[$0] != index[$0] }.sorted()
    }

    /// Tracked paths whose working-tree content differs from the index (or that are gone), sorted.
    public func unstagedPaths() throws -> [String] {
        try indexEntries().compactMap { path, id in
            guard let data = FileManager.default.contents(atPath: workdir + "/" + path) else { return path }
            return BlobID.of(Array(data)) == id ? nil : path
        }.sorted()
    }

    /// The exact bytes of a blob.
    public func blobBytes(_ id: String) throws -> [UInt8] {
        var oid = git_oid()
        try GitError.check(git_oid_fromstr(&oid, id), "parsing blob id \(id)")
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, handle, &oid), "reading blob \(id)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// The contents of a blob, as UTF-8 text (invalid bytes repaired).
    public func blobText(_ id: String) throws -> String {
        String(decoding: try blobBytes(id), as: UTF8.self)
    }

    private func openIndex() throws -> OpaquePointer {
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, handle), "opening the index")
        guard let index else { throw GitError(operation: "opening the index", code: -1, message: "no index") }
        return index
    }

    // MARK: Committing

    /// Commits exactly `written` (paths relative to the working tree, read from disk) and
    /// `deleted` on top of HEAD, leaving anything else staged as it was. The index is
    /// updated for these paths only. Returns the new commit's id.
    public func commit(written: [String], deleted: [String], message: String) throws -> String {
        // The new tree: HEAD's tree plus exactly these changes (never the rest of the index).
        var scratch: OpaquePointer?
        try GitError.check(git_index_new(&scratch), "creating an in-memory index")
        defer { git_index_free(scratch) }
        var parent: OpaquePointer?
        if !isUnborn {
            try GitError.check(git_revparse_single(&parent, handle, "HEAD^{commit}"), "reading HEAD")
            var tree: OpaquePointer?
            try GitError.check(git_commit_tree(&tree, parent), "reading HEAD's tree")
            defer { git_tree_free(tree) }
            try GitError.check(git_index_read_tree(scratch, tree), "loading HEAD's tree")
        }
        defer { if parent != nil { git_object_free(parent) } }
        for path in written.sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: workdir + "/" + path))
            // An in-memory index cannot hash buffers itself: store the blob, then add its id.
            var blobID = git_oid()
            try data.withUnsafeBytes { bytes in
                try GitError.check(
                    git_blob_create_from_buffer(&blobID, handle, bytes.baseAddress, bytes.count), "storing \(path)")
            }
            var entry = git_index_entry()
            entry.mode = GIT_FILEMODE_BLOB.rawValue
            entry.id = blobID
            entry.file_size = UInt32(truncatingIfNeeded: data.count)
            try path.withCString { cPath in
                entry.path = cPath
                try GitError.check(git_index_add(scratch, &entry), "staging \(path)")
            }
        }
        for path in deleted.sorted() {
            let code = git_index_remove(scratch, path, 0)
            if code != GIT_ENOTFOUND.rawValue { try GitError.check(code, "removing \(path)") }
        }
        var treeID = git_oid()
        try GitError.check(git_index_write_tree_to(&treeID, scratch, handle), "writing the tree")
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, handle, &treeID), "reading the new tree")
        defer { git_tree_free(tree) }

        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, handle) < 0 {
            try GitError.check(
                git_signature_now(&signature, "oceanid-gen", "oceanid-gen@localhost"), "making a signature")
        }
        defer { git_signature_free(signature) }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        try GitError.check(
            git_commit_create(
                &commitID, handle, "HEAD", signature, signature, "UTF-8", message, tree,
                parents.count, &parents), "committing")

        // Stage the same paths in the real index so it agrees with the new HEAD for them.
        let index = try openIndex()
        defer { git_index_free(index) }
        for path in written.sorted() { try GitError.check(git_index_add_bypath(index, path), "staging \(path)") }
        for path in deleted.sorted() {
            let code = git_index_remove_bypath(index, path)
            if code != GIT_ENOTFOUND.rawValue { try GitError.check(code, "unstaging \(path)") }
        }
        try GitError.check(git_index_write(index), "writing the index")
        return BlobID.hex(commitID)
    }
}
