import CGit2
import Compiler
import Crypto

/// Git blob ids (what `git hash-object` prints). The manifest records
/// these, so `check` can compare the tree, the index and HEAD by id without reading blobs.
public enum BlobID {
    /// Initialises libgit2 once per process; Swift runs a global's initializer exactly once.
    ///
    /// Without strict hash verification: by default libgit2 computes every object's SHA-1 again when it
    /// reads it (`GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION`, "may impact performance due to an additional
    /// checksum calculation on each object", git2/common.h), with its collision-detecting SHA-1, a third
    /// of what a plan of 10,000 changed apps spent in libgit2 (the base's tree and 10,000 blobs). git does
    /// not hash an object again on an ordinary read either (`git fsck` does); zlib's own checksum still
    /// catches a damaged object.
    static let libgit2: Void = {
        _ = git_libgit2_init()
        _ = oceanid_git_set_strict_hash_verification(0)
    }()

    /// The id of a blob: SHA-1 of `blob <size>\0<bytes>` (git's object format). Computed with
    /// swift-crypto's SHA-1, several times faster than libgit2's collision-detecting one on
    /// 40,000 generated files (the same digest for every input that is not a crafted SHA-1
    /// collision; `ofUsingLibgit2` is kept to prove it in the tests).
    public static func of(_ text: String) -> String {
        var text = text
        return text.withUTF8 { of(UnsafeRawBufferPointer($0)) }
    }

    /// The id of a blob of exactly these bytes: 40 lower-case hex digits, as `git hash-object` prints.
    /// No encoding is involved, so the id is what git stores for the file on disk.
    public static func of(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { of($0) }
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Array("blob \(bytes.count)\0".utf8))
        hasher.update(bufferPointer: bytes)
        return Hex.lowercase(hasher.finalize())
    }

    /// libgit2's `git_odb_hash`, what `git hash-object` computes.
    public static func ofUsingLibgit2(_ bytes: [UInt8]) -> String {
        _ = libgit2
        var oid = git_oid()
        let status = bytes.withUnsafeBytes { buffer in
            git_odb_hash(&oid, buffer.baseAddress, buffer.count, GIT_OBJECT_BLOB)
        }
        precondition(status == 0, "git_odb_hash cannot fail for an in-memory blob")
        return hex(oid)
    }

    static func hex(_ oid: git_oid) -> String {
        var oid = oid
        var buffer = [CChar](repeating: 0, count: 40)
        _ = git_oid_fmt(&buffer, &oid)
        return String(decoding: buffer.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
