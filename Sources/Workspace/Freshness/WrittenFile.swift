#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file `Workspace.apply` wrote, with the temp file's metadata taken before the rename:
/// what the stat cache may enter once it finds the file in place still that file
/// (`Freshness.remember`). Apply only reports it; it feeds no cache itself.
public struct WrittenFile: Equatable, Sendable {
    /// Relative to the root.
    public var path: String
    /// The git blob id of the bytes written.
    public var blobID: String
    var size: Int64
    var mtime: StatCache.Stamp
    var inode: UInt64

    init(path: String, blobID: String, written: stat) {
        self.path = path
        self.blobID = blobID
        self.size = Int64(written.st_size)
        self.mtime = StatCache.Stamp.modified(written)
        self.inode = UInt64(written.st_ino)
    }
}
