import CGit2

/// Git blob ids (what `git hash-object` prints), computed by libgit2. The manifest records
/// these, so `check` can compare the tree, the index and HEAD by id without reading blobs.
public enum BlobID {
    /// Initialises libgit2 once per process; Swift runs a global's initializer exactly once.
    static let libgit2: Void = { _ = git_libgit2_init() }()

    public static func of(_ bytes: [UInt8]) -> String {
        _ = libgit2
        var oid = git_oid()
        let status = bytes.withUnsafeBytes { buffer in
            git_odb_hash(&oid, buffer.baseAddress, buffer.count, GIT_OBJECT_BLOB)
        }
        precondition(status == 0, "git_odb_hash cannot fail for an in-memory blob")
        return hex(oid)
    }

    public static func of(_ text: String) -> String { of(Array(text.utf8)) }

    static func hex(_ oid: git_oid) -> String {
        var oid = oid
        var buffer = [CChar](repeating: 0, count: 40)
        _ = git_oid_fmt(&buffer, &oid)
        return String(decoding: buffer.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
