import CGit2
import Foundation

extension GitRepository {
    /// Every blob of a revision's tree (any name gitrevisions(7) takes): repository-relative path → blob id.
    /// Throws when the revision does not name a commit or tree.
    public func entries(at revision: String) throws -> [String: String] {
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, handle, revision + "^{tree}"), "reading \(revision)'s tree")
        defer { git_object_free(object) }
        final class Collector { var entries: [String: String] = [:] }
        let collector = Collector()
        let walk: git_treewalk_cb = { root, entry, payload in
            guard let entry, let payload, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(payload).takeUnretainedValue()
            let prefix = root.map { String(cString: $0) } ?? ""
            collector.entries[prefix + String(cString: git_tree_entry_name(entry))] =
                BlobID.hex(git_tree_entry_id(entry).pointee)
            return 0
        }
        try withExtendedLifetime(collector) {
            try GitError.check(
                git_tree_walk(object, GIT_TREEWALK_PRE, walk, Unmanaged.passUnretained(collector).toOpaque()),
                "walking \(revision)'s tree")
        }
        return collector.entries
    }

    /// The commit id (40 hex digits) of the best common ancestor of two revisions, as `git merge-base a b`.
    /// Throws when either revision is unknown or they share no history.
    public func mergeBase(_ one: String, _ other: String) throws -> String {
        var first = git_oid()
        var second = git_oid()
        try resolveCommit(one, into: &first)
        try resolveCommit(other, into: &second)
        var base = git_oid()
        try GitError.check(
            git_merge_base(&base, handle, &first, &second), "finding the merge base of \(one) and \(other)")
        return BlobID.hex(base)
    }

    private func resolveCommit(_ revision: String, into oid: inout git_oid) throws {
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, handle, revision + "^{commit}"), "resolving \(revision)")
        defer { git_object_free(object) }
        oid = git_object_id(object).pointee
    }
}
